// Two online workstations keep in step by themselves: the first shares the clinic key with a
// joining one unasked, a patient registered on one appears on the other within a second (sent
// right after the write, announced over the cloud's WebSocket), the status each reports says so,
// and a workstation revoked while online destroys its keys at once, unasked.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, openEngine, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

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
  const { url, store, close } = await startTestCloud();
  cleanups.push(close);
  const { setupCode } = await createTenant(store, 'Clinic');

  // Two workstations with background sync on, as in the app.
  const first = await setUpClinic({ username: 'ada' });
  await first.engine.close();
  const a = await openEngine(first.dataDir, { autoSync: true });
  cleanups.push(async () => { await a.engine.close(); await first.cleanup(); });
  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const enrolledA = value(await a.api.call('sync.enroll', { cloudUrl: url, code: setupCode, deviceName: 'Front desk' }));
  expect(enrolledA.recoveryCode).not.toBeNull();
  const code = value(await a.api.call('devices.enrollCode', {})).code;
  // Nobody syncs A by hand: its background service hears of the newcomer and shares the key.
  const b = await joinClinic(url, code, [], { autoSync: true });
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  await waitFor(async () => (value(await b.api.call('sync.status', {})).state === 'online' ? true : undefined), 5000);
  expect(value(await a.api.call('devices.list', {})).map((d) => [d.number, d.name, d.thisWorkstation])).toEqual([[1, 'Front desk', true], [2, 'Exam room 1', false]]);
  await new Promise((r) => setTimeout(r, 300));

  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Liveupdate', givenNames: 'Iris' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  const seen = await waitFor(async () => {
    const r = await clinicOf(b.engine).db.get<{ id: string }>('SELECT id FROM patients WHERE id = ?', [reg.patient.id]);
    return r?.id;
  }, 2000);
  expect(seen.after).toBeLessThan(1000);
  const status = value(await a.api.call('sync.status', {}));
  expect(status).toMatchObject({ state: 'online', workstationNumber: 1, quarantined: 0 });

  // Revoked while online: B hears of it and destroys its keys without anyone touching it.
  const ended: string[] = [];
  b.engine.on('session.ended', (e) => ended.push(e.reason));
  const bDevice = value(await a.api.call('devices.list', {})).find((d) => !d.thisWorkstation)!;
  value(await a.api.call('devices.revoke', { deviceId: bDevice.deviceId }));
  const gone = await waitFor(async () => (await stat(join(b.dataDir, 'keyring.json')).then(() => undefined, () => true)), 3000);
  expect(gone.after).toBeLessThan(2000);
  expect(ended).toEqual(['workstation-revoked']);
  expect(b.engine.setup.status().initialized).toBe(false);
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterwards', givenNames: 'Ines', phone: '', dateOfBirth: '1991-01-01' }) }));
  expect(value(await a.api.call('sync.now', {})).state).toBe('online');
});
