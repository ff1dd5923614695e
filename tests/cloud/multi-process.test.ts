// Two tenant-service processes on one PostgreSQL: a device listening on one hears, within a
// second, a change pushed through the other (LISTEN/NOTIFY), and pulls it from its own process.
// A video visit works with the patient's browser on one process and the workstation on the
// other: who is waiting, one browser per link, admission, signalling (an offer longer than a
// NOTIFY can carry) and chat both ways, the workstation leaving, and the end of the visit.
// Revoking a device on one process closes its sockets on the other within a second.
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

/** Two service processes on one new database, and a device enrolled in a new tenant. */
async function twoProcesses(database: string) {
  const url = await pg.database(database);
  const secret = randomBytes(32).toString('base64');
  const created = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Clinic', '--database-url', url])).stdout;
  const setupCode = /setup code (\S+)/.exec(created)?.[1] as string;
  const [one, two] = await Promise.all([serve(url, secret), serve(url, secret)]);
  expect(one).not.toBe(two);

  const first = await enrollAt(one, setupCode, 'Front desk');
  return { one, two, tenantId: first.tenantId, tokenFrom: first.tokenFrom, first };
}

/** Enrolls a device with `code` at `base`; `tokenFrom` signs it in at any process. */
async function enrollAt(base: string, code: string, deviceName: string) {
  const keys = generateKeyPairSync('ed25519');
  const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
  const enrolled = await (await fetch(`${base}/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName, signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) }),
  })).json() as { value: { tenantId: string; deviceId: string } };
  const { tenantId, deviceId } = enrolled.value;
  const tokenFrom = async (at: string) => {
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), keys.privateKey).toString('base64');
    return ((await (await fetch(`${at}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId, deviceId, timestamp, signature }) })).json()) as { value?: { token: string } }).value?.token;
  };
  return { tenantId, deviceId, tokenFrom };
}

it('a push to one service process reaches a device listening on another within a second', async () => {
  const { one, two, tenantId, tokenFrom } = await twoProcesses('multiprocess');

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

/** A socket that records what it hears, and how it closed. */
function listen(url: string, token?: string) {
  const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const heard: Record<string, unknown>[] = [];
  ws.on('message', (m) => heard.push(JSON.parse(String(m)) as Record<string, unknown>));
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return { ws, heard, closed, say: (m: unknown) => ws.send(JSON.stringify(m)) };
}
const until = (fn: () => boolean) => expect.poll(fn, { timeout: 5000, interval: 20 }).toBe(true);

it('a video visit works with the patient on one service process and the workstation on the other', async () => {
  const { one, two, tenantId, tokenFrom } = await twoProcesses('multiprocess_visits');
  const ws = (base: string) => base.replace(/^http/, 'ws');
  const visitId = randomUUID();
  const created = await (await fetch(`${one}/v1/tenants/${tenantId}/visits`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFrom(one)}` },
    body: JSON.stringify({
      visitId, validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: new Date(Date.now() + 3600_000).toISOString(),
      identityKey: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) }),
    }),
  })).json() as { value: { token: string } };
  const token = created.value.token;

  // The workstation's sync socket is on process two; the patient arrives on process one.
  const stream = listen(`${ws(two)}/v1/tenants/${tenantId}/stream`, await tokenFrom(two));
  await until(() => stream.heard.some((m) => m.type === 'hello'));
  const patient = listen(`${ws(one)}/v1/visit-links/${token}/socket`);
  await until(() => patient.heard.some((m) => m.type === 'clinic' && m.ready === false));
  patient.say({ type: 'identity', iv: 'AAAAAAAAAAAAAAAA', publicKey: '{"kty":"EC"}', ciphertext: 'c2VhbGVk' });
  await until(() => stream.heard.some((m) => m.type === 'visits'));
  const waiting = async (base: string) => ((await (await fetch(`${base}/v1/tenants/${tenantId}/visits/waiting`, { headers: { authorization: `Bearer ${await tokenFrom(base)}` } })).json()) as { value: { waiting: string[] } }).value.waiting;
  expect(await waiting(two)).toEqual([visitId]);

  // The same link in a second browser, through the other process: refused.
  const second = listen(`${ws(two)}/v1/visit-links/${token}/socket`);
  expect(await second.closed).toBe(4409);

  // The workstation joins on process two: it hears the patient and their (sealed) identity answer,
  // and the patient hears that the clinic is ready.
  const doctor = listen(`${ws(two)}/v1/tenants/${tenantId}/visits/${visitId}/socket`, await tokenFrom(two));
  await until(() => doctor.heard.some((m) => m.type === 'patient' && m.present === true) && doctor.heard.some((m) => m.type === 'identity'));
  await until(() => patient.heard.some((m) => m.type === 'clinic' && m.ready === true));

  doctor.say({ type: 'admit' });
  await until(() => patient.heard.some((m) => m.type === 'admitted'));
  const offer = { type: 'signal', call: 7, data: { type: 'offer', sdp: `v=0\r\n${'a=candidate:long line\r\n'.repeat(1000)}`.slice(0, 25_000) } };
  doctor.say(offer);
  patient.say({ type: 'signal', call: 7, data: { type: 'answer', sdp: 'v=0 patient' } });
  const chat = { type: 'chat', iv: 'cGF0aWVudC1pdi0x', ciphertext: 'c2VhbGVkLWJ5LXRoZS1wYXRpZW50' };
  patient.say(chat);
  await until(() => patient.heard.some((m) => m.type === 'signal') && doctor.heard.some((m) => m.type === 'signal') && doctor.heard.some((m) => m.type === 'chat'));
  expect(patient.heard.find((m) => m.type === 'signal')).toEqual(offer);
  expect(doctor.heard.find((m) => m.type === 'chat')).toEqual(chat);

  // The workstation leaves: after its roll-call finds no other, the patient hears the clinic is gone.
  const heardBefore = patient.heard.length;
  doctor.ws.close();
  await until(() => patient.heard.slice(heardBefore).some((m) => m.type === 'clinic' && m.ready === false));

  // Back, and ending the visit closes the patient's socket on the other process.
  const again = listen(`${ws(two)}/v1/tenants/${tenantId}/visits/${visitId}/socket`, await tokenFrom(two));
  await until(() => patient.heard.slice(heardBefore).some((m) => m.type === 'clinic' && m.ready === true));
  again.say({ type: 'end' });
  expect(await patient.closed).toBe(4410);
  await until(() => stream.heard.filter((m) => m.type === 'visits').length >= 2);
  expect(await waiting(one)).toEqual([]);
  again.ws.close();
  stream.ws.close();
}, 120_000);

it('revoking a device on one process closes its stream and visit sockets on the other within a second', async () => {
  const { one, two, tenantId, tokenFrom } = await twoProcesses('multiprocess_revoke');
  const ws = (base: string) => base.replace(/^http/, 'ws');
  const authed = async (base: string, init: RequestInit = {}) => ({
    ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${await tokenFrom(base)}` },
  });
  const code = ((await (await fetch(`${one}/v1/tenants/${tenantId}/enroll-codes`, await authed(one, { method: 'POST' }))).json()) as { value: { code: string } }).value.code;
  const stolen = await enrollAt(one, code, 'Stolen laptop');
  const visitId = randomUUID();
  const created = await (await fetch(`${one}/v1/tenants/${tenantId}/visits`, await authed(one, {
    method: 'POST',
    body: JSON.stringify({
      visitId, validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: new Date(Date.now() + 3600_000).toISOString(),
      identityKey: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) }),
    }),
  }))).json() as { value: { token: string } };

  // The stolen device holds its stream and the visit's clinic socket on process two.
  const stream = listen(`${ws(two)}/v1/tenants/${tenantId}/stream`, await stolen.tokenFrom(two));
  const visit = listen(`${ws(two)}/v1/tenants/${tenantId}/visits/${visitId}/socket`, await stolen.tokenFrom(two));
  await until(() => stream.heard.some((m) => m.type === 'hello') && visit.heard.some((m) => m.type === 'patient'));

  const revokedAt = Date.now();
  const revoke = await fetch(`${one}/v1/tenants/${tenantId}/devices/${stolen.deviceId}/revoke`, await authed(one, { method: 'POST' }));
  expect(revoke.status).toBe(200);
  const codes = await Promise.race([Promise.all([stream.closed, visit.closed]), new Promise<string>((r) => setTimeout(() => r('still open after 1.5 s'), 1500))]);
  expect(codes).toEqual([4401, 4401]);
  expect(Date.now() - revokedAt).toBeLessThan(1000);

  // The patient arriving afterwards reaches no one through the stolen device: its identity
  // answer is not heard, and the device cannot open the visit again.
  const patient = listen(`${ws(one)}/v1/visit-links/${created.value.token}/socket`);
  await until(() => patient.heard.some((m) => m.type === 'clinic'));
  patient.say({ type: 'identity', iv: 'AAAAAAAAAAAAAAAA', publicKey: '{"kty":"EC"}', ciphertext: 'c2VhbGVk' });
  expect(visit.heard.some((m) => m.type === 'identity')).toBe(false);
  expect(await stolen.tokenFrom(two)).toBeUndefined();
  patient.ws.close();
}, 120_000);
