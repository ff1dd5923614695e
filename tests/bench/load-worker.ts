// One load-generating process of `npm run bench` (BENCH_ONLY=load): it plays several
// workstations against the service, each in a loop of push (one small sealed change set) and
// pull (what came after its cursor), with a short pause between, and reports every request's
// latency and every acknowledged change set's sequence number to the parent.
import { createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { tokenChallenge } from '../../shared/sync/wire';

interface Job { url: string; tenantId: string; devices: { deviceId: string; key: string }[]; seconds: number; thinkMs: number }

async function call(url: string, method: string, path: string, body: unknown, token?: string): Promise<{ status: number; value: unknown; ms: number }> {
  const t = performance.now();
  const r = await fetch(`${url}${path}`, {
    method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await r.json()) as { value?: unknown };
  return { status: r.status, value: json.value, ms: performance.now() - t };
}

async function workstation(job: Job, d: Job['devices'][number], until: number) {
  const latencies: Record<string, number[]> = { token: [], push: [], pull: [] };
  const errors: Record<string, number> = {};
  const acked: [string, number][] = [];
  // Workstations do not all start in the same millisecond: each comes up within the first second.
  await new Promise((r) => setTimeout(r, Math.random() * 1000));
  const timestamp = new Date().toISOString();
  const signature = sign(null, Buffer.from(tokenChallenge(job.tenantId, d.deviceId, timestamp)), createPrivateKey(d.key)).toString('base64');
  const t = await call(job.url, 'POST', '/v1/token', { tenantId: job.tenantId, deviceId: d.deviceId, timestamp, signature });
  latencies.token?.push(t.ms);
  const token = (t.value as { token: string }).token;
  let cursor = 0;
  while (Date.now() < until) {
    const messages = [{ msgId: randomUUID(), kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(1200).toString('base64') }];
    const p = await call(job.url, 'POST', `/v1/tenants/${job.tenantId}/messages`, { messages }, token);
    latencies.push?.push(p.ms);
    if (p.status === 200) for (const s of (p.value as { stored: { msgId: string; seq: number }[] }).stored) acked.push([s.msgId, s.seq]);
    else errors[`push ${p.status}`] = (errors[`push ${p.status}`] ?? 0) + 1;
    const q = await call(job.url, 'GET', `/v1/tenants/${job.tenantId}/messages?after=${cursor}&limit=500`, undefined, token);
    latencies.pull?.push(q.ms);
    if (q.status === 200) cursor = (q.value as { messages: { seq: number }[] }).messages.at(-1)?.seq ?? cursor;
    else errors[`pull ${q.status}`] = (errors[`pull ${q.status}`] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, job.thinkMs));
  }
  return { latencies, errors, acked };
}

process.once('message', (job: Job) => {
  const until = Date.now() + job.seconds * 1000;
  void Promise.all(job.devices.map((d) => workstation(job, d, until))).then((results) => {
    process.send?.(results, () => process.exit(0));
  });
});
