// Two tenant-service processes on one PostgreSQL: a device listening on one hears, within a
// second, a change pushed through the other (LISTEN/NOTIFY), and pulls it from its own process.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tokenChallenge } from '../../shared/sync/wire';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

const run = promisify(execFile);
let pg: TestPostgres;
const processes: ChildProcess[] = [];
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => {
  for (const p of processes) p.kill('SIGTERM');
  await pg?.stop();
}, 60_000);

function serve(url: string, secret: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'serve', '--port', '0', '--database-url', url], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHARTROOM_CLOUD_SECRET: secret },
  });
  processes.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
}

it('a push to one service process reaches a device listening on another within a second', async () => {
  const url = await pg.database('multiprocess');
  const secret = randomBytes(32).toString('base64');
  const created = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Clinic', '--database-url', url])).stdout;
  const setupCode = /setup code (\S+)/.exec(created)?.[1] as string;
  const [one, two] = await Promise.all([serve(url, secret), serve(url, secret)]);
  expect(one).not.toBe(two);

  const keys = generateKeyPairSync('ed25519');
  const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
  const enrolled = await (await fetch(`${one}/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: setupCode, deviceName: 'Front desk', signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) }),
  })).json() as { value: { tenantId: string; deviceId: string } };
  const { tenantId, deviceId } = enrolled.value;
  const tokenFrom = async (base: string) => {
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), keys.privateKey).toString('base64');
    return ((await (await fetch(`${base}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId, deviceId, timestamp, signature }) })).json()) as { value: { token: string } }).value.token;
  };

  const socket = new WebSocket(`${two.replace('http', 'ws')}/v1/tenants/${tenantId}/stream`, { headers: { authorization: `Bearer ${await tokenFrom(two)}` } });
  const messages: string[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (m) => {
      messages.push(String(m));
      if (String(m).includes('hello')) resolve();
    });
    socket.on('close', (code) => reject(new Error(`closed ${code}`)));
  });

  const pushedAt = Date.now();
  const heard = new Promise<number>((resolve) => socket.on('message', (m) => String(m).includes('more') && resolve(Date.now())));
  const msg = { msgId: randomUUID(), kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(40).toString('base64') };
  const push = await fetch(`${one}/v1/tenants/${tenantId}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFrom(one)}` }, body: JSON.stringify({ messages: [msg] }),
  });
  expect(push.status).toBe(200);
  const at = await Promise.race([heard, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no nudge within 1 s')), 1000))]);
  expect(at - pushedAt).toBeLessThan(1000);
  const pulled = await (await fetch(`${two}/v1/tenants/${tenantId}/messages?after=0`, { headers: { authorization: `Bearer ${await tokenFrom(two)}` } })).json() as { value: { messages: { msgId: string }[] } };
  expect(pulled.value.messages.map((m) => m.msgId)).toEqual([msg.msgId]);
  socket.close();
}, 120_000);
