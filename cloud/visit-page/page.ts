// Serves the patient's page of a video visit at `/v/<token>`: a small HTML shell, the page's
// script (compiled once from browser/patient.ts) and simple-peer's prebuilt browser bundle. The
// page carries no PHI and no clinic data; what the link is good for, it asks the service itself.
// Headers keep the token out of referrers and caches, and allow camera and microphone to this
// page only.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

const shell = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Video visit</title>
<style>
  body { font: 17px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem; padding: 1rem; color: #1a1a1a; }
  video { width: 100%; max-height: 50vh; background: #222; border-radius: 6px; margin: .5rem 0; }
  label { display: block; margin-top: .75rem; font-weight: 600; }
  input, select { font: inherit; padding: .4rem; width: 100%; max-width: 24rem; box-sizing: border-box; }
  button { font: inherit; padding: .5rem 1rem; margin: .5rem .5rem 0 0; border-radius: 6px; border: 1px solid #0b6e4f; background: #0b6e4f; color: #fff; cursor: pointer; }
  button:disabled { background: #ccc; border-color: #999; color: #333; cursor: default; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f59f00; outline-offset: 2px; }
  meter { width: 100%; max-width: 24rem; }
  [role=alert] { color: #a61e1e; }
  .visit-info { margin: 0 0 .5rem; font-weight: 600; }
  /* The call fills the screen's height: title and status, then the pictures, then controls and chat, all in view. */
  .call { display: flex; flex-direction: column; height: calc(100dvh - 2rem); }
  .call h1 { margin: 0; font-size: 1.3rem; }
  .call p { margin: .15rem 0; }
  .call > * { flex-shrink: 0; }
  .call > .stage { position: relative; flex: 1 1 auto; min-height: 6rem; }
  .stage video { margin: 0; height: 100%; max-height: none; object-fit: contain; }
  .stage video[aria-label="Your camera"] { position: absolute; right: .5rem; bottom: .5rem; width: 28%; height: auto; border: 2px solid #fff; }
  .camera-off { position: absolute; left: .5rem; right: .5rem; top: .5rem; margin: 0; padding: .5rem; text-align: center; color: #fff; background: rgba(0, 0, 0, .75); border-radius: 6px; }
  .controls button { margin-top: .4rem; }
  .call [role=log] { max-height: 5.5rem; overflow-y: auto; flex: 0 0 auto; margin-top: .5rem; border: 1px solid #bbb; border-radius: 6px; }
  .call [role=log] ul { margin: .25rem 0; padding-left: 1.2rem; }
  .call form label { margin-top: .25rem; }
  .call form { display: flex; flex-wrap: wrap; gap: 0 .5rem; align-items: end; }
  .call form label { flex-basis: 100%; }
  .call form input { flex: 1; width: auto; max-width: none; }
</style>
</head>
<body>
<main id="app"><p>Loading your visit…</p><noscript>This page needs JavaScript to hold the video call.</noscript></main>
<script src="/v-assets/simplepeer.min.js"></script>
<script src="/v-assets/patient.js"></script>
</body>
</html>`;

const headers = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; media-src 'self' blob: mediastream:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=()',
};

let script: Promise<string> | null = null;
const patientScript = () =>
  (script ??= build({
    entryPoints: [fileURLToPath(new URL('./browser/patient.ts', import.meta.url))],
    bundle: true, write: false, format: 'iife', target: 'es2020', minify: true, logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? ''));

export function registerVisitPage(app: FastifyInstance): void {
  app.get('/v/:token', async (_req, reply) => reply.headers(headers).type('text/html; charset=utf-8').send(shell));
  app.get('/v-assets/patient.js', async (_req, reply) => reply.headers(headers).type('text/javascript; charset=utf-8').send(await patientScript()));
  app.get('/v-assets/simplepeer.min.js', async (_req, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(await readFile(require.resolve('simple-peer/simplepeer.min.js'), 'utf8')));
}
