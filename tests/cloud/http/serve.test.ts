// The service decides who is asking before it reads a body (cloud/http/serve.ts): a huge body
// without a token is refused at once and never held in memory, and a route's own body limit
// refuses what is too long for it, even from an enrolled device.
import { request } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createTenantInDir, startCloudProcess, type CloudProcess } from '../../helpers/cloud-process';
import { tempDir } from '../../helpers/engine';

let cloud: CloudProcess | undefined;
let dir = '';
afterEach(async () => {
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

const rssMiB = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/**
 * Sends a JSON body of `mib` MiB in 1 MiB writes and says what came back, and how much had been
 * written by the time the answer arrived.
 */
function send(url: string, path: string, mib: number, headers: Record<string, string> = {}): Promise<{ status: number; sentMiB: number; ms: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(mib * chunk.length + 16), ...headers } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentMiB: sent, ms: Date.now() - started });
      req.destroy();
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < mib) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end('{"seq":1}'.padEnd(16));
    };
    pump();
  });
}

it('refuses a 390 MB body without a token before reading it, and stays small and responsive', async () => {
  dir = await tempDir('chartroom-cloud-body-');
  await createTenantInDir(dir, 'Maple Street');
  cloud = await startCloudProcess(dir);
  const before = await rssMiB(cloud.pid);
  const tenant = randomUUID();
  const health: number[] = [];
  const probe = setInterval(() => {
    const t = Date.now();
    void fetch(`${cloud?.url}/healthz`).then(() => health.push(Date.now() - t), () => undefined);
  }, 50);
  const answers = await Promise.all(Array.from({ length: 4 }, () => send(cloud?.url ?? '', `/v1/tenants/${tenant}/snapshots`, 390)));
  clearInterval(probe);
  const after = await rssMiB(cloud.pid);
  for (const a of answers) {
    expect(a.status).toBe(401);
    // Answered from the headers: the body had hardly begun.
    expect(a.sentMiB).toBeLessThan(64);
  }
  expect(after - before).toBeLessThan(64);
  expect(Math.max(...health)).toBeLessThan(500);
}, 60_000);

it('holds each route to its own body limit, so only a snapshot may be large', async () => {
  dir = await tempDir('chartroom-cloud-body-');
  await createTenantInDir(dir, 'Maple Street');
  cloud = await startCloudProcess(dir);
  // Enrolment reads a code, not megabytes: refused by length, before the code is looked at.
  const enroll = await send(cloud.url, '/v1/enroll', 2);
  expect(enroll.status).toBe(413);
  const token = await send(cloud.url, '/v1/token', 1);
  expect(token.status).toBe(413);
}, 60_000);
