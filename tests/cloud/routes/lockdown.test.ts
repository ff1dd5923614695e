// Lockdown at the cloud (cloud/routes/lockdown.ts), in-process: a lockdown from a workstation
// refuses every device on every route and closes their sockets within a second; IT's commands
// are checked against the clinic's IT key (set once), and a stale, replayed or wrongly signed
// one is refused; IT lifts one workstation at a time, and revokes one.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTenant } from '../../../cloud/server';
import { itCommandChallenge, type ItCommandName } from '../../../shared/domain/lockdown';
import { type Device, envelope, type InjectedCloud, injectCloud, raw } from '../../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

const bearer = (d: Device) => ({ authorization: `Bearer ${d.token}` });

/** A clinic of three workstations with its IT key set by the first. */
async function clinic() {
  const { setupCode, tenantId } = await createTenant(cloud.store, 'Clinic');
  const a = await cloud.enroll(setupCode, 'Front desk');
  const code = async () => (await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: bearer(a) })).json().value.code as string;
  const b = await cloud.enroll(await code(), 'Exam room 1');
  const c = await cloud.enroll(await code(), 'Billing');
  const it = generateKeyPairSync('ed25519');
  const put = await cloud.app.inject({ method: 'PUT', url: `/v1/tenants/${tenantId}/it-key`, headers: bearer(a), payload: { publicKey: raw(it.publicKey) } });
  expect(put.statusCode, put.body).toBe(200);
  return { tenantId, a, b, c, itKey: it.privateKey };
}

function command(tenantId: string, key: KeyObject, command: ItCommandName, deviceId: string | null = null, at = new Date().toISOString()) {
  const unsigned = { command, deviceId, at, nonce: randomBytes(16).toString('base64url') };
  return { ...unsigned, signature: sign(null, Buffer.from(itCommandChallenge(tenantId, unsigned)), key).toString('base64') };
}

const send = (tenantId: string, body: unknown) => cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/it`, payload: body as object });

it('a lockdown from one workstation refuses every device of the clinic on every route, closes their sockets within a second, and gives no token', async () => {
  const { tenantId, a, b, c } = await clinic();
  const other = await cloud.enroll((await createTenant(cloud.store, 'Another clinic')).setupCode);
  const base = (await cloud.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
  const sockets = [b, c].map((d) => new WebSocket(`${base}/v1/tenants/${tenantId}/stream`, { headers: bearer(d) }));
  await Promise.all(sockets.map((s) => new Promise((r) => s.once('message', r))));
  const closed = sockets.map((s) => new Promise<{ code: number; reason: string; at: number }>((r) => s.on('close', (code, reason) => r({ code, reason: String(reason), at: Date.now() }))));

  const asked = Date.now();
  const r = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/lockdown`, headers: bearer(a) });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().value.by).toEqual({ kind: 'workstation', deviceId: a.deviceId, name: 'Front desk' });
  for (const cut of await Promise.all(closed)) {
    expect(cut.code).toBe(4423);
    expect(cut.reason).toMatch(/locked down/);
    expect(cut.at - asked).toBeLessThan(1000);
  }
  for (const d of [a, b, c]) {
    const pulled = await cloud.pull(d, tenantId);
    expect(pulled.statusCode).toBe(423);
    expect(pulled.json().error.code).toBe('clinic-locked-down');
    expect((await cloud.push(d, tenantId, [envelope()])).json().error.code).toBe('clinic-locked-down');
    for (const url of ['keys', 'devices', 'snapshots/latest', 'audit-heads']) {
      expect((await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/${url}`, headers: bearer(d) })).statusCode, url).toBe(423);
    }
    expect(await cloud.token(tenantId, d.deviceId, d.key)).toBe('refused:clinic-locked-down');
  }
  // A socket opened now is closed at once, saying why.
  const late = new WebSocket(`${base}/v1/tenants/${tenantId}/stream`, { headers: bearer(b) });
  expect(await new Promise<number>((res) => late.on('close', (code) => res(code)))).toBe(4423);
  // Another clinic is not touched.
  expect((await cloud.pull(other, other.tenantId)).statusCode).toBe(200);
  // Nothing acknowledged before is lost: the history is still there for when it is lifted.
  expect((await cloud.store.pull(tenantId, 0, 10)).length).toBe(0);
});

it('IT locks down, lifts one workstation at a time and revokes one, with commands signed by the IT key; stale, replayed and wrongly signed ones are refused', async () => {
  const { tenantId, a, b, c, itKey } = await clinic();
  expect((await cloud.push(a, tenantId, [envelope(), envelope()])).statusCode).toBe(200);

  const forged = generateKeyPairSync('ed25519').privateKey;
  const wrong = await send(tenantId, command(tenantId, forged, 'lockdown'));
  expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'bad-signature']);
  const stale = await send(tenantId, command(tenantId, itKey, 'lockdown', null, new Date(Date.now() - 6 * 60_000).toISOString()));
  expect(stale.json().error.code).toBe('stale-command');
  // Signed for another clinic: not good for this one.
  const elsewhere = await createTenant(cloud.store, 'Elsewhere');
  expect((await send(tenantId, { ...command(elsewhere.tenantId, itKey, 'lockdown') })).json().error.code).toBe('bad-signature');
  expect((await send(elsewhere.tenantId, command(elsewhere.tenantId, itKey, 'lockdown'))).json().error.code).toBe('no-it-key');
  expect((await cloud.pull(a, tenantId)).statusCode).toBe(200);

  const lock = command(tenantId, itKey, 'lockdown');
  const locked = await send(tenantId, lock);
  expect(locked.statusCode, locked.body).toBe(200);
  expect(locked.json().value.lockdown.by).toEqual({ kind: 'it' });
  expect(locked.json().value.devices.map((d: { held: boolean }) => d.held)).toEqual([true, true, true]);
  const replay = await send(tenantId, lock);
  expect(replay.json().error.code).toBe('bad-signature');
  // Changed after signing (another workstation to lift): the signature no longer holds.
  expect((await send(tenantId, { ...command(tenantId, itKey, 'lift', a.deviceId), deviceId: b.deviceId })).json().error.code).toBe('bad-signature');

  const revoked = await send(tenantId, command(tenantId, itKey, 'revoke', c.deviceId));
  expect(revoked.json().value.devices.find((d: { deviceId: string }) => d.deviceId === c.deviceId)).toMatchObject({ held: false });
  expect(revoked.json().value.devices.find((d: { deviceId: string }) => d.deviceId === c.deviceId).revokedAt).not.toBeNull();

  const lifted = await send(tenantId, command(tenantId, itKey, 'lift', a.deviceId));
  expect(lifted.json().value.devices.map((d: { held: boolean }) => d.held)).toEqual([false, true, false]);
  expect((await cloud.pull(a, tenantId)).json().value.messages.length).toBe(2);
  expect((await cloud.pull(b, tenantId)).statusCode).toBe(423);
  expect((await cloud.pull(c, tenantId)).json().error.code).toBe('device-revoked');
  expect((await send(tenantId, command(tenantId, itKey, 'lift', a.deviceId))).json().error.code).toBe('not-found');

  // The last held one lifted: the lockdown no longer holds anyone.
  const done = await send(tenantId, command(tenantId, itKey, 'lift', b.deviceId));
  expect(done.json().value.lockdown).toBeNull();
  expect((await cloud.pull(b, tenantId)).statusCode).toBe(200);
  // A new lockdown holds every workstation again, the lifted ones included.
  expect((await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/lockdown`, headers: bearer(b) })).statusCode).toBe(200);
  expect((await cloud.pull(a, tenantId)).statusCode).toBe(423);
});

it('the IT key is set once: another key is refused, the same one is fine', async () => {
  const { tenantId, a, b } = await clinic();
  const again = await cloud.app.inject({ method: 'PUT', url: `/v1/tenants/${tenantId}/it-key`, headers: bearer(b), payload: { publicKey: raw(generateKeyPairSync('ed25519').publicKey) } });
  expect([again.statusCode, again.json().error.code]).toEqual([409, 'it-key-set']);
  const key = await cloud.store.lockdowns.itKey(tenantId);
  const same = await cloud.app.inject({ method: 'PUT', url: `/v1/tenants/${tenantId}/it-key`, headers: bearer(a), payload: { publicKey: key } });
  expect(same.statusCode).toBe(200);
});

it('a workstation asks with its guard secret whether a lockdown holds it, while every device route refuses it', async () => {
  const { tenantId, a, b } = await clinic();
  const secret = randomBytes(32).toString('base64url');
  expect((await cloud.app.inject({ method: 'PUT', url: `/v1/tenants/${tenantId}/sign-in-guard`, headers: bearer(b), payload: { secret } })).statusCode).toBe(200);
  const ask = () => cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/devices/${b.deviceId}/lockdown`, headers: { authorization: `Guard ${secret}` } });
  expect((await ask()).json().value.lockdown).toBeNull();
  await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/lockdown`, headers: bearer(a) });
  expect((await ask()).json().value.lockdown.by).toMatchObject({ kind: 'workstation', name: 'Front desk' });
  const withToken = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/devices/${b.deviceId}/lockdown`, headers: bearer(b) });
  expect(withToken.statusCode).toBe(401);
});
