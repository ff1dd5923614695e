// The browser host: loopback only, the launch token and the Origin/Host checks guard every
// call, malformed bodies get invalid-input, and events reach the page's WebSocket.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../electron/browser-host/host';
import { setUpClinic } from '../../helpers/engine';

let host: BrowserHost | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await host?.close();
  await cleanup?.();
});

async function start() {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const rendererDir = join(c.dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Chartroom</title>');
  host = await startBrowserHost({ engine: c.engine, invoke: c.invoke, rendererDir });
  return { c, host };
}

const call = (h: BrowserHost, name: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: h.origin, 'x-chartroom-token': h.token, ...headers },
    body,
  });

describe('browser host', () => {
  it('listens on 127.0.0.1 only and serves the page with a strict CSP', async () => {
    const { host: h } = await start();
    expect(new URL(h.origin).hostname).toBe('127.0.0.1');
    expect(h.url).toContain('#token=');
    const page = await fetch(h.origin);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('answers calls that carry the token from the page origin', async () => {
    const { host: h } = await start();
    const r = await call(h, 'session.current', '{}');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, value: { user: { username: 'admin' }, state: 'active' } });
  });

  it('refuses a large body without the token before reading it, and says a too-large one is too large', async () => {
    const { host: h } = await start();
    // 1.9 MB of JSON without the token: refused for who sent it, not for its size.
    const big = JSON.stringify({ data: 'x'.repeat(1_900_000) });
    expect((await call(h, 'documents.upload', big, { 'x-chartroom-token': 'guess' })).status).toBe(401);
    const tooLarge = await call(h, 'documents.upload', JSON.stringify({ data: 'x'.repeat(3_000_000) }));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ ok: false, error: { code: 'invalid-input', message: 'The request is larger than 2 MB: documents are attached in parts.' } });
  });

  it('refuses a missing or wrong token, a foreign Origin and a foreign Host', async () => {
    const { host: h } = await start();
    expect((await call(h, 'session.current', '{}', { 'x-chartroom-token': 'guess' })).status).toBe(401);
    expect((await call(h, 'session.current', '{}', { 'x-chartroom-token': '' })).status).toBe(401);
    expect((await call(h, 'session.current', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call(h, 'session.current', '{}', { origin: 'null' })).status).toBe(403);
    const noOrigin = await fetch(`${h.origin}/api/call/session.current`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-chartroom-token': h.token }, body: '{}',
    });
    expect(noOrigin.status).toBe(403);
  });

  it('answers malformed JSON and unknown calls with codes, not stack traces', async () => {
    const { host: h } = await start();
    const bad = await call(h, 'patients.search', '{"query": ');
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body).toEqual({ ok: false, error: { code: 'invalid-input', message: 'The request could not be read.' } });
    const proto = await call(h, 'patients.search', '{"__proto__": {"x": 1}, "query": "a"}');
    expect(((await proto.json()) as { error: { code: string } }).error.code).toBe('invalid-input');
    const unknown = await call(h, 'patients.drop', '{}');
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown-call');
  });

  it('pushes contract events to an authorised socket and closes others', async () => {
    const { c, host: h } = await start();
    const wsUrl = `${h.origin.replace('http', 'ws')}/api/events`;
    const refused = new WebSocket(`${wsUrl}?token=wrong`, { origin: h.origin });
    const code = await new Promise<number>((res) => refused.on('close', (c2) => res(c2)));
    expect(code).toBe(1008);
    const foreign = new WebSocket(`${wsUrl}?token=${h.token}`, { origin: 'http://evil.example' });
    expect(await new Promise<number>((res) => foreign.on('close', (c2) => res(c2)))).toBe(1008);

    const ws = new WebSocket(`${wsUrl}?token=${h.token}`, { origin: h.origin });
    await new Promise((res) => ws.on('open', res));
    const got = new Promise<unknown>((res) => ws.on('message', (m) => res(JSON.parse(String(m)))));
    await new Promise((r) => setTimeout(r, 50));
    await c.api.call('session.lock', {});
    expect(await got).toEqual({ event: 'session.locked', payload: { reason: 'user' } });
    ws.close();
  });
});
