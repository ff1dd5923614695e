// Load: 50 workstations (in worker processes, so the generator is not the limit) push and pull
// against one service process (SQLite store) for 60 s. Reports throughput, p50 and p99 per
// request kind, errors, the service's CPU, and a check that every acknowledged change set is in
// the history at its sequence number. Goal: p99 ≤ 50 ms per request, nothing lost.
// BENCH_LOAD_WORKSTATIONS, BENCH_LOAD_SECONDS, BENCH_LOAD_THINK_MS and BENCH_LOAD_WORKERS change it.
import { fork } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenChallenge } from '../../shared/sync/wire';
import { raw } from '../helpers/cloud-inject';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { percentile } from './stats';

const WORKSTATIONS = Number(process.env.BENCH_LOAD_WORKSTATIONS ?? 50);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const THINK_MS = Number(process.env.BENCH_LOAD_THINK_MS ?? 250);
const WORKERS = Number(process.env.BENCH_LOAD_WORKERS ?? 5);

type Result = { latencies: Record<string, number[]>; errors: Record<string, number>; acked: [string, number][] };

const cpuSeconds = async (pid: number) => {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100;
};

export async function benchLoad(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-bench-load-'));
  const setupCode = await createTenantInDir(dir, 'Load Clinic');
  const cloud = await startCloudProcess(dir);
  try {
    const post = async (path: string, body: unknown, token?: string) =>
      ((await (await fetch(`${cloud.url}${path}`, { method: 'POST', headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })).json()) as { value: Record<string, string> }).value;
    const devices: { deviceId: string; key: string }[] = [];
    let tenantId = '';
    let adminToken = '';
    for (let i = 0; i < WORKSTATIONS; i++) {
      const keys = generateKeyPairSync('ed25519');
      const code = i === 0 ? setupCode : (await post(`/v1/tenants/${tenantId}/enroll-codes`, undefined, adminToken)).code as string;
      const e = await post('/v1/enroll', { code, deviceName: `Load ${i + 1}`, signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) });
      tenantId = e.tenantId as string;
      devices.push({ deviceId: e.deviceId as string, key: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
      if (i === 0) {
        const timestamp = new Date().toISOString();
        adminToken = (await post('/v1/token', { tenantId, deviceId: devices[0]?.deviceId, timestamp, signature: sign(null, Buffer.from(tokenChallenge(tenantId, devices[0]?.deviceId as string, timestamp)), keys.privateKey).toString('base64') })).token as string;
      }
    }
    const cpuBefore = await cpuSeconds(cloud.pid);
    const started = Date.now();
    const results = (await Promise.all(Array.from({ length: WORKERS }, (_, w) => new Promise<Result[]>((resolve, reject) => {
      const child = fork(new URL('./load-worker.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] });
      child.once('message', (m) => resolve(m as Result[]));
      child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited ${code}`))));
      child.send({ url: cloud.url, tenantId, devices: devices.filter((_, i) => i % WORKERS === w), seconds: SECONDS, thinkMs: THINK_MS });
    })))).flat();
    const elapsed = (Date.now() - started) / 1000;
    const cpu = (await cpuSeconds(cloud.pid)) - cpuBefore;

    // Nothing lost: every acknowledged change set is in the history, at the place it was given.
    const acked = new Map(results.flatMap((r) => r.acked));
    const held = new Map<string, number>();
    let after = 0;
    for (;;) {
      const r = await fetch(`${cloud.url}/v1/tenants/${tenantId}/messages?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${adminToken}` } });
      const page = ((await r.json()) as { value: { messages: { msgId: string; seq: number }[] } }).value.messages;
      if (page.length === 0) break;
      for (const m of page) held.set(m.msgId, m.seq);
      after = page.at(-1)?.seq ?? after;
    }
    const lost = [...acked].filter(([m, seq]) => held.get(m) !== seq).length;

    console.log(`\n### Load: ${WORKSTATIONS} workstations in ${WORKERS} processes against one service process, ${SECONDS} s, ${THINK_MS} ms between rounds\n`);
    console.log('| request | count | per second | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    for (const kind of ['push', 'pull', 'token']) {
      const xs = results.flatMap((r) => r.latencies[kind] ?? []);
      console.log(`| ${kind} | ${xs.length} | ${(xs.length / elapsed).toFixed(0)} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`);
    }
    const errors = results.reduce<Record<string, number>>((acc, r) => { for (const [k, v] of Object.entries(r.errors)) acc[k] = (acc[k] ?? 0) + v; return acc; }, {});
    console.log(`\nerrors: ${Object.keys(errors).length === 0 ? 'none' : JSON.stringify(errors)}; acknowledged change sets: ${acked.size}; lost or moved: ${lost}; history: ${held.size}; service CPU: ${((100 * cpu) / elapsed).toFixed(0)}% of one core`);
  } finally {
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
