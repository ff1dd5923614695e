// Video visit links and signalling at the tenant service, over real sockets on loopback: a link
// works only in its window and only in one browser at a time; expired, revoked, ended, unknown
// and other-clinic links get a clear refusal; until the clinic admits the patient only the
// identity answer reaches it; a patient's socket reaches its own visit only; oversized and
// malformed frames are refused.
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTenant } from '../../cloud/server';
import { tokenChallenge } from '../../shared/sync/wire';
import { startTestCloud, type TestCloud } from '../helpers/cloud';

let cloud: TestCloud;
beforeEach(async () => { cloud = await startTestCloud(); });
afterEach(async () => cloud.close());

const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');

async function device(code: string): Promise<{ tenantId: string; deviceId: string; token: string }> {
  const signing = generateKeyPairSync('ed25519');
  const box = generateKeyPairSync('x25519');
  const enrolled = await (await fetch(`${cloud.url}/v1/enroll`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName: 'Exam 1', signingKey: raw(signing.publicKey), boxKey: raw(box.publicKey) }),
  })).json() as { value: { tenantId: string; deviceId: string } };
  const { tenantId, deviceId } = enrolled.value;
  const timestamp = new Date().toISOString();
  const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), signing.privateKey).toString('base64');
  const t = await (await fetch(`${cloud.url}/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId, deviceId, timestamp, signature }) })).json() as { value: { token: string } };
  return { tenantId, deviceId, token: t.value.token };
}

async function clinic() {
  return device((await createTenant(cloud.store, `Clinic ${randomUUID().slice(0, 4)}`)).setupCode);
}

type Device = Awaited<ReturnType<typeof device>>;

async function createLink(d: Device, opts: { from?: number; until?: number } = {}) {
  const visitId = randomUUID();
  const res = await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/visits`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
    body: JSON.stringify({
      visitId, validFrom: new Date(Date.now() + (opts.from ?? -60_000)).toISOString(), validUntil: new Date(Date.now() + (opts.until ?? 3600_000)).toISOString(),
      identityKey: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) }),
    }),
  });
  expect(res.status).toBe(200);
  const { token, path } = ((await res.json()) as { value: { token: string; path: string } }).value;
  expect(path).toBe(`/v/${token}`);
  return { visitId, token };
}

/** A socket that records what it hears, and how it closed. */
function open(path: string, token?: string) {
  const ws = new WebSocket(`${cloud.url.replace(/^http/, 'ws')}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const heard: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (m) => heard.push(JSON.parse(m.toString()) as Record<string, unknown>));
  ws.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return { ws, heard, closed, opened, say: (m: unknown) => ws.send(JSON.stringify(m)) };
}
const patientSocket = (token: string, seat?: string) => open(`/v1/visit-links/${token}/socket${seat ? `?seat=${seat}` : ''}`);
const clinicSocket = (d: Device, visitId: string) => open(`/v1/tenants/${d.tenantId}/visits/${visitId}/socket`, d.token);
const until = async (fn: () => boolean, ms = 3000) => expect.poll(fn, { timeout: ms, interval: 20 }).toBe(true);
const status = async (token: string) => (await (await fetch(`${cloud.url}/v1/visit-links/${token}`)).json()) as { ok: boolean; value?: { state: string; message: string | null }; error?: { message: string } };

it('admits one patient, relays signalling and chat both ways only after admission, and ends so the link cannot be reused', async () => {
  const d = await clinic();
  const { visitId, token } = await createLink(d);
  expect((await status(token)).value?.state).toBe('open');

  const patient = patientSocket(token);
  await until(() => patient.heard.some((m) => m.type === 'clinic' && m.ready === false));
  const second = patientSocket(token);
  expect((await second.closed).code).toBe(4409);
  expect(second.heard.at(-1)?.message).toMatch(/already open in another browser/);

  const doctor = clinicSocket(d, visitId);
  await until(() => doctor.heard.some((m) => m.type === 'patient' && m.present === true));
  await until(() => patient.heard.some((m) => m.type === 'clinic' && m.ready === true));

  // Before admission: the identity answer goes through, a call offer does not.
  patient.say({ type: 'identity', iv: 'AAAAAAAAAAAAAAAA', publicKey: '{"kty":"EC"}', ciphertext: 'c2VhbGVk' });
  patient.say({ type: 'signal', call: 1, data: { type: 'offer', sdp: 'v=0' } });
  await until(() => doctor.heard.some((m) => m.type === 'identity') && patient.heard.some((m) => m.type === 'error'));
  expect(doctor.heard.some((m) => m.type === 'signal')).toBe(false);

  doctor.say({ type: 'admit' });
  await until(() => patient.heard.some((m) => m.type === 'admitted'));
  patient.say({ type: 'signal', call: 1, data: { type: 'offer', sdp: 'v=0 patient' } });
  doctor.say({ type: 'signal', call: 1, data: { type: 'answer', sdp: 'v=0 doctor' } });
  // Chat is sealed end to end (the service cannot read it): it relays the ciphertext as it is.
  const fromPatient = { type: 'chat', iv: 'cGF0aWVudC1pdi0x', ciphertext: 'c2VhbGVkLWJ5LXRoZS1wYXRpZW50' };
  const fromDoctor = { type: 'chat', iv: 'ZG9jdG9yLWl2LTEy', ciphertext: 'c2VhbGVkLWJ5LXRoZS1kb2N0b3I' };
  patient.say(fromPatient);
  doctor.say(fromDoctor);
  patient.say({ type: 'chat', text: 'Can you hear me?' });
  await until(() => doctor.heard.some((m) => m.type === 'chat') && patient.heard.some((m) => m.type === 'chat'));
  expect(doctor.heard.filter((m) => m.type === 'chat')).toEqual([fromPatient]);
  expect(patient.heard.filter((m) => m.type === 'chat')).toEqual([fromDoctor]);
  // A chat message in the clear is not one this visit accepts.
  await until(() => patient.heard.some((m) => m.type === 'error' && /not one this visit accepts/.test(String(m.message))));
  expect(doctor.heard.find((m) => m.type === 'signal')).toEqual({ type: 'signal', call: 1, data: { type: 'offer', sdp: 'v=0 patient' } });
  expect(patient.heard.find((m) => m.type === 'signal')).toEqual({ type: 'signal', call: 1, data: { type: 'answer', sdp: 'v=0 doctor' } });

  // Malformed and oversized frames.
  patient.ws.send('not json');
  patient.say({ type: 'signal', call: 1, data: { sdp: 'x' }, visitId: randomUUID() });
  await until(() => patient.heard.filter((m) => m.type === 'error').length >= 3);
  doctor.say({ type: 'end' });
  const ended = await patient.closed;
  expect(ended.code).toBe(4410);
  expect(patient.heard.at(-1)?.message).toMatch(/visit has ended/);
  expect((await status(token)).value?.state).toBe('closed');
  const again = patientSocket(token);
  expect((await again.closed).code).toBe(4410);
  doctor.ws.close();
});

it('refuses expired, not-yet-open, revoked, unknown and other-clinic links, each with a clear reason', async () => {
  const d = await clinic();
  const expired = await createLink(d, { from: -7200_000, until: -60_000 });
  const early = await createLink(d, { from: 3600_000, until: 7200_000 });
  const revoked = await createLink(d);
  expect((await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/visits/${revoked.visitId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${d.token}` } })).status).toBe(200);

  for (const [link, state, code, words] of [
    [expired, 'expired', 4410, /expired/],
    [early, 'not-yet', 4425, /not opened yet/],
    [revoked, 'revoked', 4403, /cancelled this visit link/],
  ] as const) {
    const s = await status(link.token);
    expect(s.value?.state).toBe(state);
    expect(s.value?.message).toMatch(words);
    const p = patientSocket(link.token);
    expect((await p.closed).code).toBe(code);
    expect(p.heard.at(-1)?.message).toMatch(words);
  }
  const unknown = 'A'.repeat(22);
  expect((await status(unknown)).error?.message).toMatch(/not valid/);
  expect((await patientSocket(unknown).closed).code).toBe(4404);

  // A workstation of another clinic can neither open this clinic's visit nor revoke it.
  const other = await clinic();
  const live = await createLink(d);
  const foreign = open(`/v1/tenants/${d.tenantId}/visits/${live.visitId}/socket`, other.token);
  expect((await foreign.closed).code).toBe(4403);
  const ownPath = open(`/v1/tenants/${other.tenantId}/visits/${live.visitId}/socket`, other.token);
  expect((await ownPath.closed).code).toBe(4404);
  const r = await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/visits/${live.visitId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${other.token}` } });
  expect(r.status).toBe(403);
  expect((await status(live.token)).value?.state).toBe('open');
});

it('a patient socket reaches its own visit only, and an oversized frame closes it', async () => {
  const d = await clinic();
  const one = await createLink(d);
  const two = await createLink(d);
  const doctorOne = clinicSocket(d, one.visitId);
  const doctorTwo = clinicSocket(d, two.visitId);
  await Promise.all([doctorOne.opened, doctorTwo.opened]);
  const patient = patientSocket(one.token);
  await until(() => doctorOne.heard.some((m) => m.type === 'patient' && m.present === true));
  doctorOne.say({ type: 'admit' });
  await until(() => patient.heard.some((m) => m.type === 'admitted'));
  patient.say({ type: 'chat', iv: 'b25seS1mb3Itb25l', ciphertext: 'b25seS1mb3ItdmlzaXQtb25l' });
  await until(() => doctorOne.heard.some((m) => m.type === 'chat'));
  expect(doctorTwo.heard.filter((m) => m.type !== 'patient')).toEqual([]);
  expect(doctorTwo.heard.every((m) => m.present === false)).toBe(true);

  patient.ws.send(JSON.stringify({ type: 'chat', iv: 'b25seS1mb3Itb25l', ciphertext: 'x'.repeat(70_000) }));
  expect((await patient.closed).code).toBe(1009);
  doctorOne.ws.close();
  doctorTwo.ws.close();
});

it('lets the same page back in before its old socket is noticed gone, and still no other browser', async () => {
  const d = await clinic();
  const { visitId, token } = await createLink(d);
  const doctor = clinicSocket(d, visitId);
  await doctor.opened;
  const seat = 'c2VhdC1vZi10aGUtcGFnZQ';
  const first = patientSocket(token, seat);
  await until(() => first.heard.some((m) => m.type === 'clinic'));
  // The page's network changed: it reconnects with its seat while the service still holds the old socket.
  const again = patientSocket(token, seat);
  await until(() => again.heard.some((m) => m.type === 'clinic' && m.ready === true));
  expect((await first.closed).code).toBe(4001);
  const other = patientSocket(token, 'YW5vdGhlci1icm93c2VyLXg');
  expect((await other.closed).code).toBe(4409);
  const noSeat = patientSocket(token);
  expect((await noSeat.closed).code).toBe(4409);
  // The old socket closing did not take the patient away.
  const waiting = await (await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/visits/waiting`, { headers: { authorization: `Bearer ${d.token}` } })).json() as { value: { waiting: string[] } };
  expect(waiting.value.waiting).toEqual([visitId]);
  expect(doctor.heard.filter((m) => m.type === 'patient').at(-1)).toEqual({ type: 'patient', present: true });
  again.ws.close();
  await until(() => doctor.heard.filter((m) => m.type === 'patient').at(-1)?.present === false);
  doctor.ws.close();
});

it('frees the link of a browser whose network vanished without closing (no answer to pings)', async () => {
  await cloud.close();
  cloud = await startTestCloud({ visitHeartbeatMs: 200 });
  const d = await clinic();
  const { visitId, token } = await createLink(d);
  const doctor = clinicSocket(d, visitId);
  await doctor.opened;
  const gone = patientSocket(token, 'bGFwdG9wLW9uLXdpZmktLS0');
  await until(() => doctor.heard.some((m) => m.type === 'patient' && m.present === true));
  // Its network goes away: it reads nothing more (so answers no ping) and never closes.
  (gone.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await until(() => doctor.heard.filter((m) => m.type === 'patient').at(-1)?.present === false);
  // The patient on another device gets in.
  const phone = patientSocket(token, 'cGhvbmUtb24tbW9iaWxlLS0');
  await until(() => phone.heard.some((m) => m.type === 'clinic' && m.ready === true));
  phone.ws.close();
  doctor.ws.close();
});

it('a patient left waiting is told politely when the link runs out', async () => {
  const d = await clinic();
  const link = await createLink(d, { until: 1500 });
  const patient = patientSocket(link.token);
  await until(() => patient.heard.some((m) => m.type === 'clinic'));
  const closed = await patient.closed;
  expect(closed.code).toBe(4410);
  expect(patient.heard.at(-1)).toEqual({ type: 'refused', message: 'This visit link has expired. Call the clinic for a new one.' });
});

it('hands both sides the clinic’s STUN and TURN servers, with coturn credentials that expire, and never the secret', async () => {
  const d = await clinic();
  const put = (body: unknown) => fetch(`${cloud.url}/v1/tenants/${d.tenantId}/ice`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` }, body: JSON.stringify(body) });
  expect((await put({ stunUrls: ['http://not-stun'], turnUrls: [], turnSecret: '' })).status).toBe(400);
  expect((await put({ stunUrls: ['stun:stun.maple.example:3478'], turnUrls: ['turn:turn.maple.example:3478?transport=udp'], turnSecret: 'coturn-static-auth-secret' })).status).toBe(200);
  // Saving again without the secret keeps it.
  expect((await put({ stunUrls: ['stun:stun.maple.example:3478'], turnUrls: ['turn:turn.maple.example:3478?transport=udp'] })).status).toBe(200);
  const view = (await (await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/ice`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as { value: Record<string, unknown> };
  expect(view.value).toEqual({ stunUrls: ['stun:stun.maple.example:3478'], turnUrls: ['turn:turn.maple.example:3478?transport=udp'], hasTurnSecret: true });
  expect(JSON.stringify(view)).not.toContain('coturn-static-auth-secret');

  const { visitId, token } = await createLink(d);
  const patientSide = (await status(token)) as unknown as { value: { iceServers: { urls: string[]; username?: string; credential?: string }[] } };
  const [stun, turn] = patientSide.value.iceServers;
  expect(stun).toEqual({ urls: ['stun:stun.maple.example:3478'] });
  const [expiry, user] = (turn?.username ?? '').split(':');
  expect(user).toBe(visitId);
  expect(Number(expiry) * 1000).toBeGreaterThan(Date.now() + 3600_000);
  expect(turn?.credential).toBe(createHmac('sha1', 'coturn-static-auth-secret').update(turn?.username ?? '').digest('base64'));
  const clinicSide = (await (await fetch(`${cloud.url}/v1/tenants/${d.tenantId}/visits/${visitId}/ice-servers`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as { value: { iceServers: unknown[] } };
  expect(clinicSide.value.iceServers).toEqual(patientSide.value.iceServers);

  // Another clinic has its own (none).
  const other = await clinic();
  const theirs = (await (await fetch(`${cloud.url}/v1/tenants/${other.tenantId}/ice`, { headers: { authorization: `Bearer ${other.token}` } })).json()) as { value: Record<string, unknown> };
  expect(theirs.value).toEqual({ stunUrls: [], turnUrls: [], hasTurnSecret: false });
});
