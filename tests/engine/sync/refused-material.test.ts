// Malformed material from one device never breaks another's sync (electron/engine/sync/): a
// device of the clinic (here a rogue one, holding the clinic key) puts a tenant key wrap that is
// not one, a change set whose user key record is not one, and a snapshot that is sealed right
// but holds garbage. Each is parsed with its schema, set aside for the admin with its kind and
// reason, and sync goes on: the other workstation stays online, and a new one joins from the
// history instead of the snapshot.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import { sealChangeSet } from '../../../electron/engine/sync/envelope';
import { sealSnapshot } from '../../../electron/engine/sync/snapshot';
import { tokenChallenge } from '../../../shared/sync/wire';
import { startTestCloud } from '../../helpers/cloud';
import { raw } from '../../helpers/cloud-inject';
import { adminPassword, clinicOf, joinClinic, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A device enrolled with `code` that talks to the cloud directly, as a faulty or hostile one would. */
async function rogue(url: string, tenantId: string, code: string) {
  const keys = generateKeyPairSync('ed25519');
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const r = await fetch(`${url}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await r.json()) as { ok: boolean; value: Record<string, unknown> };
  };
  const { deviceId } = (await call('POST', '/v1/enroll', { code, deviceName: 'Rogue', signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) })).value as { deviceId: string };
  const timestamp = new Date().toISOString();
  const token = (await call('POST', '/v1/token', { tenantId, deviceId, timestamp, signature: sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), keys.privateKey).toString('base64') })).value.token as string;
  return { deviceId, as: (method: string, path: string, body?: unknown) => call(method, `/v1/tenants/${tenantId}${path}`, body, token) };
}

it('sets aside a key wrap, a user record and a snapshot that are not what they say, and keeps syncing', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { tenantId, setupCode } = await createTenant(cloud.store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(cloud.url, setupCode, 'Front desk'));
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Quillfeather', givenNames: 'Odile' }) }));
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  const deviceB = value(await syncB.devices()).find((d) => d.name === 'Exam room 1')?.deviceId as string;
  const bad = await rogue(cloud.url, tenantId, value(await syncA.createEnrollCode()).code);

  // 1. A wrap for B of a key B does not have, that is not a wrap at all.
  expect((await bad.as('PUT', '/keys', { kid: 'kzzzzzzzz', wraps: [{ deviceId: deviceB, wrapped: 'this is not JSON at all' }] })).ok).toBe(true);
  // 2. A change set, sealed under the clinic key, giving a user a key record that is not one.
  const [tk] = await clinicOf(a.engine).db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys ORDER BY kid DESC LIMIT 1');
  const userId = (await clinicOf(a.engine).db.get<{ id: string }>('SELECT id FROM users LIMIT 1'))?.id as string;
  const msgId = randomUUID();
  const hlc = `${String(Date.now()).padStart(15, '0')}-0000-rogue0000rogue00`;
  const env = sealChangeSet({ kid: tk?.kid as string, key: tk?.key as Buffer }, { tenantId, deviceId: bad.deviceId, msgId }, [{ hlc, tbl: 'users', rowId: userId, col: 'key_record', value: JSON.stringify('garbage') }]);
  expect((await bad.as('POST', '/messages', { messages: [env] })).ok).toBe(true);

  // B keeps syncing: online, the user's record untouched, both refusals listed with their kind.
  const before = await clinicOf(b.engine).db.get<{ key_record: string }>('SELECT key_record FROM users WHERE id = ?', [userId]);
  const round = value(await syncB.syncOnce());
  expect(round.refused).toBe(1);
  expect(value(await syncB.syncOnce()).pulled).toBe(0);
  expect(await clinicOf(b.engine).db.get('SELECT key_record FROM users WHERE id = ?', [userId])).toEqual(before);
  const setAside = await clinicOf(b.engine).db.all<{ kind: string; msg_id: string; reason: string }>('SELECT kind, msg_id, reason FROM sync_quarantine ORDER BY kind');
  expect(setAside).toEqual([
    { kind: 'change-set', msg_id: msgId, reason: 'users.key_record is not a valid value' },
    { kind: 'key-wrap', msg_id: 'kzzzzzzzz', reason: 'the clinic key wrapped for this workstation is not a key wrap' },
  ]);

  // 3. A snapshot sealed right under the clinic key, as of the newest change, holding garbage.
  const seq = (await cloud.store.pull(tenantId, 0, 100_000)).at(-1)?.seq as number;
  const snapshotId = randomUUID();
  const sealed = sealSnapshot(tk?.key as Buffer, { tenantId, snapshotId, kid: tk?.kid as string, seq, deviceId: bad.deviceId }, gzipSync(Buffer.from('{"v":1,"sections":[{"name":"patients","bytes":9}]}\nnot json!')));
  expect((await bad.as('POST', '/snapshots', { snapshotId, seq, kid: tk?.kid, ...sealed })).ok).toBe(true);
  const c = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(c.cleanup);
  expect(value(c.joined).users).toBe(1);
  value(await c.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  expect(value(await c.api.call('patients.search', { query: 'quillfeather' })).results).toHaveLength(1);
  expect(value(await c.api.call('sync.refused', {})).map((r) => [r.kind, r.msgId])).toEqual(expect.arrayContaining([['snapshot', snapshotId]]));
}, 120_000);
