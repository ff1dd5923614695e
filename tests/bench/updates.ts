// Updates benchmark (BENCH_ONLY=updates), against the tenant service as its own process
// (`cloud serve`, SQLite) with two signed releases published by the release CLI:
// - Time to offer: 50 online workstations (protocol-level: each holds the tenant stream socket
//   and a guard credential, and on IT's notice asks the feed through electron-updater's own
//   generic provider and checks the answer with the engine's screen) until the last of them
//   has a verified offer of the new release, after IT resumes a rollout at 100 %. Goal: within
//   one check interval (the app checks every 4 h, and at once on IT's notice) plus 1 s.
//   Baseline, side by side in the same trials: an ordinary change's notice reaching the same 50
//   sockets.
// - Feed answers per second (20 at a time, each a different workstation), against /healthz
//   answered by the same service in the same way.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { screenOffer } from '../../electron/engine/updates/offer-check';
import { tokenChallenge } from '../../shared/sync/wire';
import { raw } from '../helpers/cloud-inject';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { tempDir } from '../helpers/engine';
import { defaultVendor, makeBuild } from '../helpers/release-build';
import { updaterFeed } from '../helpers/updater-feed';
import { percentile } from './stats';

const WORKSTATIONS = 50;
const TRIALS = 10;
const RATE_SECONDS = 5;
const CONCURRENCY = 20;

interface Station { deviceId: string; token: string; secret: string; socket: WebSocket; feedKey: string | null }

export async function benchUpdates(): Promise<void> {
  const dir = await tempDir('chartroom-bench-updates-');
  const setupCode = await createTenantInDir(dir, 'Updates Clinic');
  for (const v of ['1.0.0', '1.1.0']) {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'release', 'publish', '--dir', (await makeBuild(join(dir, 'builds'), v)).dir, '--channel', 'stable', '--data-dir', dir], { env: { ...process.env, CHARTROOM_RELEASE_KEYS: defaultVendor.publicKey } });
  }
  const cloud = await startCloudProcess(dir);
  const stations: Station[] = [];
  try {
    const call = async (method: string, path: string, body?: unknown, token?: string) =>
      ((await (await fetch(`${cloud.url}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })).json()) as { value: Record<string, unknown> }).value;
    let tenantId = '';
    for (let i = 0; i < WORKSTATIONS; i++) {
      const keys = generateKeyPairSync('ed25519');
      const code = i === 0 ? setupCode : ((await call('POST', `/v1/tenants/${tenantId}/enroll-codes`, undefined, stations[0]?.token)).code as string);
      const e = await call('POST', '/v1/enroll', { code, deviceName: `Exam ${i + 1}`, signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) });
      tenantId = e.tenantId as string;
      const deviceId = e.deviceId as string;
      const timestamp = new Date().toISOString();
      const token = (await call('POST', '/v1/token', { tenantId, deviceId, timestamp, signature: sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), keys.privateKey).toString('base64') })).token as string;
      const secret = randomBytes(32).toString('base64url');
      await call('PUT', `/v1/tenants/${tenantId}/sign-in-guard`, { secret }, token);
      const socket = new WebSocket(`${cloud.url.replace('http', 'ws')}/v1/tenants/${tenantId}/stream`, { headers: { authorization: `Bearer ${token}` } });
      await new Promise((r, j) => { socket.once('open', r); socket.once('error', j); });
      stations.push({ deviceId, token, secret, socket, feedKey: null });
    }
    const admin = stations[0] as Station;
    let seq = 0;
    const policy = async (change: unknown) => {
      const r = await call('POST', `/v1/tenants/${tenantId}/update-policy`, { group: null, change, expectSeq: seq }, admin.token);
      seq = r.seq as number;
    };
    await policy({ kind: 'promote', version: '1.0.0', percent: 100 });
    await policy({ kind: 'promote', version: '1.1.0', percent: 100 });

    const feedOf = (s: Station) => updaterFeed({ url: `${cloud.url}/v1/tenants/${tenantId}/devices/${s.deviceId}/updates/?running=1.0.0`, headers: { authorization: `Guard ${s.secret}` } });
    /** A station's check: the feed's answer, screened as the engine does. */
    const check = async (s: Station) => {
      const info = await feedOf(s).latest();
      const r = await screenOffer(info, { keys: [defaultVendor.publicKey], running: '1.0.0', runningChannel: 'stable', deviceId: s.deviceId, feedKey: s.feedKey, now: new Date() });
      if (!r.ok) throw new Error(r.error.message);
      s.feedKey = r.value.answer.chartroom.stamp.key;
      return r.value.answer.version;
    };
    const heard = (s: Station, word: string) => new Promise<number>((resolve) => {
      const on = (m: WebSocket.RawData) => { if (String(m).includes(`"${word}"`)) { s.socket.off('message', on); resolve(performance.now()); } };
      s.socket.on('message', on);
    });

    const offer: number[] = [];
    const each: number[] = [];
    const notice: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      await policy({ kind: 'halt' });
      for (const s of stations) if ((await check(s)) !== '1.0.0') throw new Error('halted: every workstation is offered 1.0.0');
      await new Promise((r) => setTimeout(r, 200));
      // The offer: on IT's notice each workstation asks the feed and screens the answer.
      const reached = stations.map((s) => heard(s, 'updates').then(async () => {
        if ((await check(s)) !== '1.1.0') throw new Error('resumed: 1.1.0 is offered');
        return performance.now();
      }));
      const start = performance.now();
      await policy({ kind: 'resume' });
      const at = await Promise.all(reached);
      offer.push(Math.max(...at) - start);
      each.push(...at.map((x) => x - start));
      // Baseline: one change set pushed by a workstation, its notice reaching all 50 sockets.
      const told = stations.map((s) => heard(s, 'more'));
      const pushed = performance.now();
      await call('POST', `/v1/tenants/${tenantId}/messages`, { messages: [{ msgId: randomUUID(), kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(1200).toString('base64') }] }, admin.token);
      notice.push(Math.max(...(await Promise.all(told))) - pushed);
    }

    const rate = async (url: (i: number) => string, headers: (i: number) => Record<string, string>) => {
      const until = performance.now() + RATE_SECONDS * 1000;
      let n = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; performance.now() < until; i += CONCURRENCY) {
          const r = await fetch(url(i), { headers: headers(i) });
          if (!r.ok) throw new Error(`${r.status}`);
          await r.arrayBuffer();
          n++;
        }
      }));
      return n / RATE_SECONDS;
    };
    const st = (i: number) => stations[i % WORKSTATIONS] as Station;
    const feedRate = await rate((i) => `${cloud.url}/v1/tenants/${tenantId}/devices/${st(i).deviceId}/updates/latest-linux.yml?running=1.0.0`, (i) => ({ authorization: `Guard ${st(i).secret}` }));
    const healthRate = await rate(() => `${cloud.url}/healthz`, () => ({}));

    const ms = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
    console.log(`\nUpdates: ${WORKSTATIONS} online workstations, ${TRIALS} trials (cloud as its own process, SQLite):`);
    console.log(`  a rollout resumed at 100 %, until the last has a verified offer: ${ms(offer)}  (goal: one check interval + 1 s)`);
    console.log(`  the same, each workstation:                                    ${ms(each)}`);
    console.log(`  baseline: a change's notice reaching all ${WORKSTATIONS} sockets:          ${ms(notice)}`);
    console.log(`  ratio of p95s (offer ÷ notice): ${(percentile(offer, 95) / percentile(notice, 95)).toFixed(2)}`);
    console.log(`  feed answers: ${feedRate.toFixed(0)}/s; /healthz: ${healthRate.toFixed(0)}/s; ratio ${(feedRate / healthRate).toFixed(2)} (${CONCURRENCY} at a time, ${RATE_SECONDS} s each)`);
  } finally {
    for (const s of stations) s.socket.close();
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
