// The Content-Security-Policy every Chartroom page is served with, in Electron and in the
// browser host: scripts only from the app itself (no inline script, no eval), no plugins,
// no framing. `connectSrc` adds the browser host's event socket.

export function contentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine sets style attributes at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "media-src 'self' blob: mediastream:",
    // Attached PDFs and images are shown from in-memory blobs, never from files.
    "frame-src blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
