// One clinic, several workstations, through the real tenant service on loopback: a workstation
// joins empty and starts from the newest snapshot; any user signs in on it with the password
// they use elsewhere, offline too; password changes, new users and disabled accounts follow;
// revoking a workstation rotates the tenant key, which the recovery code still opens.
import { afterEach, expect, it, vi } from 'vitest';
import { createTenant } from '../../../cloud/server';
import type { SqliteStore } from '../../../cloud/store/sqlite-store';
import { unwrapWithRecovery, type WrappedToDevice } from '../../../electron/engine/keys/tenant-key-wrap';
import { SyncClient } from '../../../electron/engine/sync/client';
import { startTestCloud, type TestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function cloud(): Promise<TestCloud> {
  const c = await startTestCloud();
  cleanups.push(c.close);
  return c;
}

async function firstWorkstation(url: string, store: SqliteStore, snapshotEvery?: number) {
  const { tenantId, setupCode } = await createTenant(store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const sync = new SyncClient(a.engine.syncHost, snapshotEvery);
  const enrolled = value(await sync.enroll(url, setupCode, 'Front desk'));
  return { a, sync, tenantId, recoveryCode: enrolled.recoveryCode as string };
}

it('a joined workstation takes every user, offline too, and follows their passwords and accounts', async () => {
  const c = await cloud();
  const { a, sync: syncA } = await firstWorkstation(c.url, c.store);
  value(await a.api.call('users.create', { username: 'nia', displayName: 'Nia Nurse', roles: ['nurse'], password: 'nia-first-password-1' }));
  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Quillfeather', givenNames: 'Odile' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  value(await syncA.syncOnce());

  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  expect(value(b.joined).users).toBe(2);
  expect(b.engine.setup.status()).toEqual({ initialized: true, clinicName: 'Maple Street Family Practice', lockdown: null });

  // First sign-in on B with the cloud gone: the keyring alone lets Nia in.
  await c.app.close();
  const wrong = await b.api.call('session.signIn', { username: 'nia', password: 'not-her-password-1' });
  expect(!wrong.ok && wrong.error.code).toBe('wrong-password');
  expect(value(await b.api.call('session.signIn', { username: 'nia', password: 'nia-first-password-1' })).user.displayName).toBe('Nia Nurse');
  expect(value(await b.api.call('patients.search', { query: 'quillfeather' })).results.map((r) => r.mrn)).toEqual([reg.patient.mrn]);
  value(await b.api.call('session.signOut', {}));
  // Now an ordinary keyring entry: still works after the first time.
  value(await b.api.call('session.signIn', { username: 'nia', password: 'nia-first-password-1' }));
  value(await b.api.call('session.signOut', {}));
});

it('a password changed on one workstation is the one that works on the others; a disabled user is shut out everywhere', async () => {
  const c = await cloud();
  const { a, sync: syncA } = await firstWorkstation(c.url, c.store);
  const nia = value(await a.api.call('users.create', { username: 'nia', displayName: 'Nia Nurse', roles: ['nurse'], password: 'nia-first-password-1' }));
  value(await syncA.syncOnce());
  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  // B has loaded its typo vocabulary before the next patient arrives by sync.
  expect(value(await b.api.call('patients.search', { query: 'thistlewaote' })).results).toEqual([]);

  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Thistlewaite', phone: '', dateOfBirth: '1966-06-06' }) }));
  value(await a.api.call('users.resetPassword', { userId: nia.id, newPassword: 'nia-second-password-2' }));
  const rex = value(await a.api.call('users.create', { username: 'rex', displayName: 'Rex Reception', roles: ['front-desk'], password: 'rex-first-password-1' }));
  value(await syncA.syncOnce());
  expect(value(await syncB.syncOnce()).applied).toBeGreaterThan(0);
  expect(await b.engine.wraps.reconcile()).toBe(0); // the round already did it
  expect(value(await b.api.call('patients.search', { query: 'thistlewaote' })).results.map((r) => r.familyName)).toEqual(['Thistlewaite']);
  value(await b.api.call('session.signOut', {}));
  const old = await b.api.call('session.signIn', { username: 'nia', password: 'nia-first-password-1' });
  expect(!old.ok && old.error.code).toBe('wrong-password');
  value(await b.api.call('session.signIn', { username: 'nia', password: 'nia-second-password-2' }));
  value(await b.api.call('session.signOut', {}));
  value(await b.api.call('session.signIn', { username: 'rex', password: 'rex-first-password-1' }));
  value(await b.api.call('session.signOut', {}));

  // Rex changes his own password on B; A follows.
  value(await b.api.call('session.signIn', { username: 'rex', password: 'rex-first-password-1' }));
  value(await b.api.call('session.changePassword', { currentPassword: 'rex-first-password-1', newPassword: 'rex-second-password-2' }));
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  value(await b.api.call('session.signOut', {}));
  value(await a.api.call('session.signOut', {}));
  expect(!(await a.api.call('session.signIn', { username: 'rex', password: 'rex-first-password-1' })).ok).toBe(true);
  value(await a.api.call('session.signIn', { username: 'rex', password: 'rex-second-password-2' }));
  value(await a.api.call('session.signOut', {}));

  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  value(await a.api.call('users.disable', { userId: rex.id }));
  value(await syncA.syncOnce());
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  value(await syncB.syncOnce());
  value(await b.api.call('session.signOut', {}));
  const shut = await b.api.call('session.signIn', { username: 'rex', password: 'rex-second-password-2' });
  expect(!shut.ok && shut.error.code).toBe('wrong-password');
});

it('joining with the setup code of a new clinic is refused without using the code up', async () => {
  const c = await cloud();
  const { setupCode } = await createTenant(c.store, 'Birch Road');
  const b = await joinClinic(c.url, setupCode, []);
  cleanups.push(b.cleanup);
  expect(!b.joined.ok && b.joined.error.code).toBe('wrong-code-kind');
  expect(b.engine.setup.status().initialized).toBe(false);
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  expect(value(await new SyncClient(a.engine.syncHost).enroll(c.url, setupCode, 'Front desk')).number).toBe(1);
});

it('a new workstation starts from the newest snapshot and pulls only what came after', async () => {
  const c = await cloud();
  const { a, sync: syncA } = await firstWorkstation(c.url, c.store, 20);
  for (let i = 0; i < 30; i++) value(await a.api.call('patients.register', { fields: patient({ familyName: `Snapshotson${String.fromCharCode(97 + (i % 26))}${i}`, phone: '', dateOfBirth: `19${50 + i}-01-01` }) }));
  const round = value(await syncA.syncOnce());
  expect(round.snapshotUploaded).toBe(true);
  const snap = await c.store.latestSnapshot((await syncA.identity())!.tenantId);
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Aftersnap', phone: '', dateOfBirth: '2001-01-01' }) }));
  value(await syncA.syncOnce());

  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  const bId = await new SyncClient(b.engine.syncHost).identity().catch(() => null);
  expect(bId).toBeNull(); // nobody signed in: the database is closed again
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const id = await new SyncClient(b.engine.syncHost).identity();
  expect(id?.snapshotSeq).toBe(snap?.seq);
  const applied = await clinicOf(b.engine).db.get<{ n: number }>('SELECT count(*) AS n FROM applied_messages');
  const all = (await c.store.pull(id!.tenantId, 0, 10_000)).length;
  expect(applied?.n).toBeLessThan(all - 20);
  const names = (await clinicOf(b.engine).db.all<{ family_name: string }>('SELECT family_name FROM patients')).map((p) => p.family_name);
  expect(names).toHaveLength(31);
  expect(names).toContain('Aftersnap');
  // Edits on the restored record still merge field by field.
  const one = (await clinicOf(b.engine).db.get<{ id: string }>("SELECT id FROM patients WHERE family_name = 'Snapshotsona0'"))!;
  const before = value(await a.api.call('patients.get', { patientId: one.id as never }));
  value(await b.api.call('patients.update', { patientId: one.id as never, fields: { ...before, email: 'restored@example.org' } as never }));
  await new SyncClient(b.engine.syncHost).syncOnce();
  value(await syncA.syncOnce());
  expect(value(await a.api.call('patients.get', { patientId: one.id as never })).email).toBe('restored@example.org');
});

it('revoking a workstation rotates the tenant key: the others move to it, the revoked one never gets it, the recovery code opens it', async () => {
  const c = await cloud();
  const { a, sync: syncA, tenantId, recoveryCode } = await firstWorkstation(c.url, c.store);
  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  const d = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup, d.cleanup);
  for (const w of [b, d]) value(await w.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  const syncD = new SyncClient(d.engine.syncHost);
  const before = (await clinicOf(a.engine).db.all<{ kid: string }>('SELECT kid FROM tenant_keys')).map((k) => k.kid);
  expect(before).toHaveLength(1);
  const dId = (await syncD.identity())!.deviceId;

  // A's clock runs an hour behind when it revokes D: the new key must still be the current one.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() - 3600_000);
  const { kid } = await (async () => {
    try {
      return value(await syncA.revoke(dId));
    } finally {
      vi.useRealTimers();
    }
  })();
  expect(before).not.toContain(kid);
  expect((await c.store.keyWrapsFor(tenantId, dId)).map((w) => w.kid)).toEqual(before);
  value(await syncB.syncOnce());
  expect((await clinicOf(b.engine).db.all<{ kid: string }>('SELECT kid FROM tenant_keys ORDER BY kid')).map((k) => k.kid)).toEqual([...before, kid]);
  value(await b.api.call('patients.register', { fields: patient({ familyName: 'Rotated', phone: '', dateOfBirth: '1977-07-07' }) }));
  value(await syncB.syncOnce());
  const last = (await c.store.pull(tenantId, 0, 10_000)).at(-1);
  expect(last?.kid).toBe(kid);
  value(await syncA.syncOnce());
  expect(value(await a.api.call('patients.search', { query: 'rotated' })).results).toHaveLength(1);
  const cut = await syncD.syncOnce();
  expect(!cut.ok && cut.error.code).toBe('device-revoked');

  const mine = (await c.store.keyWrapsFor(tenantId, (await syncA.identity())!.deviceId)).find((w) => w.kid === kid);
  const recovery = (JSON.parse(mine!.wrapped) as { recovery: WrappedToDevice }).recovery;
  const tk = await unwrapWithRecovery(recovery, recoveryCode, { tenantId, kid });
  const held = await clinicOf(a.engine).db.get<{ key: Buffer }>('SELECT key FROM tenant_keys WHERE kid = ?', [kid]);
  expect(tk?.equals(held!.key)).toBe(true);

  const seen = value(await syncA.devices());
  expect(seen.find((x) => x.thisWorkstation)?.lastSeenAt).not.toBeNull();
  expect(seen.find((x) => x.deviceId === dId)?.revokedAt).not.toBeNull();
});
