// Two workstations of one clinic through the real tenant service on loopback: enrollment with
// codes, the tenant key shared by wrapping, changes moving both ways, MRNs that cannot clash,
// a cloud that holds no patient data, and revocation that destroys the revoked workstation's
// keys while the others carry on.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, expect, it } from 'vitest';
import { filesUnder } from '../../helpers/files';
import { PostgresStore } from '../../../cloud/store/postgres-store';
import type { CloudStore } from '../../../cloud/store/store';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { createCloud, createTenant } from '../../../cloud/server';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { SyncClient } from '../../../electron/engine/sync/client';
import { adminPassword, joinClinic, patient, setUpClinic, tempDir, value, clinicOf } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

let pg: TestPostgres | undefined;
afterAll(async () => pg?.stop(), 60_000);

async function cloud(kind: 'sqlite' | 'postgres' = 'sqlite'): Promise<{ url: string; dir: string; store: CloudStore; app: FastifyInstance }> {
  const dir = await tempDir('chartroom-cloud-');
  pg ??= kind === 'postgres' ? await startPostgres() : undefined;
  const store: CloudStore = kind === 'postgres' && pg ? new PostgresStore(await pg.database(`sync_${Date.now()}`)) : new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  const app = await createCloud({ store, secret: randomBytes(32) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => { await app.close(); await store.close(); await rm(dir, { recursive: true, force: true }); });
  return { url, dir, store, app };
}


it('enrolls two workstations, shares the clinic key, syncs both ways, and cuts off a revoked one', async () => {
  const c = await cloud();
  const { setupCode } = await createTenant(c.store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);

  const first = value(await syncA.enroll(c.url, setupCode, 'Front desk'));
  expect(first.number).toBe(1);
  expect(first.recoveryCode).toMatch(/^[0-9A-Z]{8}(-[0-9A-Z]{8}){3}$/);
  const code = value(await syncA.createEnrollCode()).code;
  // B starts empty and joins; A, online, shares the clinic key with it.
  const b = await joinClinic(c.url, code, [syncA]);
  cleanups.push(b.cleanup);
  expect(value(b.joined)).toEqual({ clinicName: 'Maple Street Family Practice', users: 1, workstationNumber: 2 });
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  const second = await syncB.identity();
  if (!second) throw new Error('B is not enrolled');
  expect(value(await syncA.devices()).map((d) => d.number)).toEqual([1, 2]);
  const reused = await (await joinClinic(c.url, setupCode, [])).joined;
  expect(!reused.ok && reused.error.code).toBe('invalid-code');
  value(await syncA.syncOnce());

  const unique = `Quorthwyx${Date.now().toString(36)}`;
  const regA = value(await a.api.call('patients.register', { fields: patient({ familyName: unique, givenNames: 'Perpetua' }) }));
  if (regA.status !== 'created') throw new Error('setup');
  expect(regA.patient.mrn.startsWith('01')).toBe(true);
  expect(value(await syncA.syncOnce()).pushed).toBeGreaterThan(0);
  expect(value(await syncB.syncOnce()).applied).toBeGreaterThan(0);
  expect(value(await b.api.call('patients.get', { patientId: regA.patient.id }))).toEqual(regA.patient);

  const regB = value(await b.api.call('patients.register', { fields: patient({ familyName: 'Lindqvist', givenNames: 'Astrid', phone: '', dateOfBirth: '1950-01-01' }) }));
  if (regB.status !== 'created') throw new Error('setup');
  expect(regB.patient.mrn.startsWith('02')).toBe(true);
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  expect(value(await a.api.call('patients.search', { query: 'lindqvist' })).results.map((r) => r.mrn)).toEqual([regB.patient.mrn]);

  // The cloud's files hold none of the patient data it relayed, a snapshot of the whole record included.
  expect(value(await syncA.uploadSnapshot()).bytes).toBeGreaterThan(1000);
  // Not merely compressed: the stored snapshot does not even unzip without the clinic key.
  const stored = await c.store.latestSnapshot((await syncA.identity())!.tenantId);
  expect(() => gunzipSync(Buffer.from(stored!.ciphertext, 'base64'))).toThrow();
  for (const f of await filesUnder(c.dir)) {
    const bytes = await readFile(f);
    for (const needle of [unique, 'Perpetua', 'Lindqvist', '555-201-4477']) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${f}`).toBe(false);
  }

  // Revocation: B's next request fails, B destroys its keys; A keeps syncing.
  value(await syncA.revoke(second.deviceId));
  const cut = await syncB.syncOnce();
  expect(!cut.ok && cut.error.code).toBe('device-revoked');
  await expect(stat(join(b.dataDir, 'keyring.json'))).rejects.toThrow();
  expect(b.engine.setup.status().initialized).toBe(false);
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'After', givenNames: 'Revocation', phone: '', dateOfBirth: '1999-09-09' }) }));
  expect(value(await syncA.syncOnce()).pushed).toBe(1);
});

it('leaves no patient data in the PostgreSQL tables it relays through', async () => {
  const c = await cloud('postgres');
  const { setupCode } = await createTenant(c.store, 'Clinic');
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  const sync = new SyncClient(a.engine.syncHost);
  value(await sync.enroll(c.url, setupCode, 'Front desk'));
  const unique = `Pgquorth${Date.now().toString(36)}`;
  value(await a.api.call('patients.register', { fields: patient({ familyName: unique, givenNames: 'Hortensia', email: 'hortensia@example.org' }) }));
  expect(value(await sync.syncOnce()).pushed).toBeGreaterThan(0);
  value(await sync.uploadSnapshot());
  const store = c.store as PostgresStore;
  const dump = JSON.stringify(await store.dumpAllForTest());
  expect(dump.length).toBeGreaterThan(1000);
  for (const needle of [unique, 'Hortensia', 'hortensia@example.org', '555-201-4477']) expect(dump).not.toContain(needle);
}, 120_000);

it('works offline and says so when the cloud cannot be reached, keeping changes to send later', async () => {
  const c = await cloud();
  const { setupCode } = await createTenant(c.store, 'Clinic');
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  const sync = new SyncClient(a.engine.syncHost);
  value(await sync.enroll(c.url, setupCode, 'Front desk'));
  value(await sync.syncOnce());
  await c.app.close();
  value(await a.api.call('patients.register', { fields: patient() }));
  const offline = await sync.syncOnce();
  expect(!offline.ok && offline.error.code).toBe('cloud-unreachable');
  const waiting = await clinicOf(a.engine).db.get<{ n: number }>('SELECT count(DISTINCT msg_id) AS n FROM changes WHERE pushed = 0');
  expect(waiting?.n).toBeGreaterThan(0);
});
