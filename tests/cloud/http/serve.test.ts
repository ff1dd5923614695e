// The service decides who is asking before it reads a body (cloud/http/serve.ts): a huge body
// without a token is refused at once and never held in memory, and a route's own body limit
// refuses what is too long for it, even from an enrolled device.
import { connect } from 'node:net';
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
 * Sends a JSON body of `mib` MiB in 1 MiB writes over a plain socket and says what came back,
 * and how much had been written by the time the answer arrived. A plain socket, because a server
 * that answers early and closes makes the client's further writes fail (EPIPE): the answer came
 * first and is read all the same, where Node's HTTP client would report only the write error.
 */
function send(url: string, path: string, mib: number, headers: Record<string, string> = {}): Promise<{ status: number; sentMiB: number; ms: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const started = Date.now();
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let head = '';
    const socket = connect(Number(u.port), u.hostname);
    socket.on('data', (d: Buffer) => {
      if (answered) return;
      head += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!m) return;
      answered = true;
      resolve({ status: Number(m[1]), sentMiB: sent, ms: Date.now() - started });
      socket.destroy();
    });
    socket.on('error', () => undefined); // writes after the server closed; its answer, if any, came first
    socket.on('close', () => { if (!answered) reject(new Error(`closed without an answer after ${sent} MiB`)); });
    const pump = () => {
      while (!answered && !socket.destroyed && sent < mib) {
        sent++;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!answered && !socket.destroyed) socket.write('{"seq":1}'.padEnd(16));
    };
    socket.on('connect', () => {
      const all = { host: u.host, 'content-type': 'application/json', 'content-length': String(mib * chunk.length + 16), ...headers };
      socket.write(`POST ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      pump();
    });
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
