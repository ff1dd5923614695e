// Two online workstations keep in step by themselves: a patient registered on one appears on
// the other within a second (sent right after the write, announced over the cloud's WebSocket),
// and the status each reports says so.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Tokens } from '../../../cloud/auth';
import { createCloud, createTenant } from '../../../cloud/server';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { adminPassword, openEngine, patient, setUpClinic, tempDir, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number): Promise<{ value: T; after: number }> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return { value: v, after: Date.now() - start };
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('a change on one online workstation reaches the other within a second, with no one pressing sync', async () => {
  const dir = await tempDir('chartroom-cloud-');
  const store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  const app = await createCloud({ store, tokens: new Tokens(randomBytes(32)) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => { await app.close(); await store.close(); await rm(dir, { recursive: true, force: true }); });
  const { setupCode } = await createTenant(store, 'Clinic');

  // Two workstations with background sync on, as in the app.
  const stations = [];
  for (const username of ['ada', 'bea']) {
    const c = await setUpClinic({ username });
    await c.engine.close();
    const live = await openEngine(c.dataDir, { autoSync: true });
    value(await live.api.call('session.signIn', { username, password: adminPassword }));
    cleanups.push(async () => { await live.engine.close(); await c.cleanup(); });
    stations.push(live);
  }
  const [a, b] = stations as [typeof stations[0], typeof stations[0]];
  const enrolledA = value(await a.api.call('sync.enroll', { cloudUrl: url, code: setupCode, deviceName: 'Front desk' }));
  expect(enrolledA.recoveryCode).not.toBeNull();
  const code = value(await a.api.call('devices.enrollCode', {})).code;
  value(await b.api.call('sync.enroll', { cloudUrl: url, code, deviceName: 'Exam 1' }));
  // A shares the clinic key on its next round; then both are online.
  value(await a.api.call('sync.now', {}));
  await waitFor(async () => ((await b.api.call('sync.now', {})).ok && value(await b.api.call('sync.status', {})).state === 'online' ? true : undefined), 5000);
  expect(value(await a.api.call('devices.list', {})).map((d) => [d.number, d.name, d.thisWorkstation])).toEqual([[1, 'Front desk', true], [2, 'Exam 1', false]]);
  await new Promise((r) => setTimeout(r, 300));

  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Liveupdate', givenNames: 'Iris' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  const seen = await waitFor(async () => {
    const r = await b.engine.db.get<{ id: string }>('SELECT id FROM patients WHERE id = ?', [reg.patient.id]);
    return r?.id;
  }, 2000);
  expect(seen.after).toBeLessThan(1000);
  const status = value(await a.api.call('sync.status', {}));
  expect(status).toMatchObject({ state: 'online', workstationNumber: 1, quarantined: 0 });
});
