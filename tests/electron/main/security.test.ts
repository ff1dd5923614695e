// The Electron shell's options and guards, checked in plain Node (the running app is checked by
// tests/e2e/electron-shell.spec.ts where an Electron binary exists).
import { describe, expect, it } from 'vitest';
import { keystoreDecision } from '../../../electron/main/keystore-policy';
import { appContentSecurityPolicy as contentSecurityPolicy, isNavigationAllowed, isPermissionAllowed, isScreenShareAllowed, mainWindowOptions } from '../../../electron/main/security';

describe('main window options', () => {
  const prefs = mainWindowOptions('/app/preload/index.cjs').webPreferences;
  it('isolates and sandboxes the renderer with web security on and no Node', () => {
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('content security policy', () => {
  const directives = Object.fromEntries(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  it('allows scripts only from the app itself: no inline script, no eval', () => {
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    expect(directives['object-src']).toEqual(["'none'"]);
  });
});

describe('permission handler', () => {
  it('grants camera and microphone to the app page only', () => {
    expect(isPermissionAllowed('media', 'file:///app/index.html', 'file://', ['video', 'audio'])).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', 'file://', ['video'])).toBe(false);
    expect(isPermissionAllowed('media', 'http://localhost:5173/', 'http://localhost:5173', ['audio'])).toBe(true);
  });
  it('denies everything else', () => {
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'fullscreen']) {
      expect(isPermissionAllowed(p, 'file:///app/index.html', 'file://')).toBe(false);
    }
    expect(isPermissionAllowed('media', 'file:///app/index.html', 'file://', ['video', 'screen'])).toBe(false);
    expect(isPermissionAllowed('display-capture', 'https://evil.example/', 'file://')).toBe(false);
  });
  it('lets the app page share its own window, from a click, without sound', () => {
    const ask = { securityOrigin: 'file://', userGesture: true, videoRequested: true, audioRequested: false };
    expect(isPermissionAllowed('display-capture', 'file:///app/index.html', 'file://')).toBe(true);
    expect(isScreenShareAllowed(ask, 'file://')).toBe(true);
    expect(isScreenShareAllowed({ ...ask, securityOrigin: 'https://evil.example' }, 'file://')).toBe(false);
    expect(isScreenShareAllowed({ ...ask, userGesture: false }, 'file://')).toBe(false);
    expect(isScreenShareAllowed({ ...ask, audioRequested: true }, 'file://')).toBe(false);
    expect(isScreenShareAllowed({ ...ask, securityOrigin: 'http://localhost:5173' }, 'http://localhost:5173')).toBe(true);
  });
  it('denies every navigation', () => {
    expect(isNavigationAllowed('https://example.com')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
  });
});

describe('keystore policy', () => {
  it("refuses Linux's basic_text fallback unless an admin allowed it", () => {
    const refused = keystoreDecision({ available: true, backend: 'basic_text', allowBasicText: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('keystore-unavailable');
    expect(keystoreDecision({ available: true, backend: 'basic_text', allowBasicText: true }).ok).toBe(true);
    expect(keystoreDecision({ available: true, backend: 'gnome_libsecret', allowBasicText: false }).ok).toBe(true);
    expect(keystoreDecision({ available: false, backend: 'gnome_libsecret', allowBasicText: true }).ok).toBe(false);
  });
});
