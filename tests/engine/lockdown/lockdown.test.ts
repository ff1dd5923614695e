// A clinic-wide lockdown as workstations live it, through the real tenant service on loopback:
// an admin's lockdown locks both online workstations within 2 s (session ended, database
// closed, nobody signs in, kept across a restart); IT lifts one with the recovery code, which
// then rotates the clinic key and keeps everything acknowledged before; a workstation nobody
// was signed in at locks at its next contact, asking with its sign-in guard secret.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { dataFiles } from '../../../electron/engine/engine';
import { sendItCommand } from '../../../electron/engine/lockdown/it-command';
import { currentKid, kidTime } from '../../../electron/engine/sync/tenant-keys';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, joinClinic, openEngine, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const signIn = async (w: { api: { call: (n: 'session.signIn', i: { username: string; password: string }) => Promise<{ ok: boolean; error?: { code: string } }> } }) => {
  const r = await w.api.call('session.signIn', { username: 'ada', password: adminPassword });
  return r.ok ? 'signed in' : r.error?.code;
};

it('an admin locks the clinic down: both online workstations lock within 2 s; IT lifts one with the recovery code, which rotates the clinic key and loses nothing', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const first = await setUpClinic({ username: 'ada' });
  await first.engine.close();
  const live = { autoSync: true, lockdownPollMs: 200 };
  let a = await openEngine(first.dataDir, live);
  cleanups.push(async () => { await a.engine.close(); await first.cleanup(); });
  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const { recoveryCode } = value(await a.api.call('sync.enroll', { cloudUrl: cloud.url, code: setupCode, deviceName: 'Front desk' }));
  const id = await a.engine.syncService.sync.identity();
  if (!id || !recoveryCode) throw new Error('setup');
  const b = await joinClinic(cloud.url, value(await a.api.call('devices.enrollCode', {})).code, [], live);
  cleanups.push(b.cleanup);
  value(b.joined);
  expect(await signIn(b)).toBe('signed in');
  await waitFor(async () => (value(await b.api.call('sync.status', {})).state === 'online' ? true : undefined), 5000, 'B online');
  const before = value(await b.api.call('patients.register', { fields: patient({ familyName: 'Beforelock', givenNames: 'Ida' }) }));
  if (before.status !== 'created') throw new Error('setup');
  await waitFor(async () => (await clinicOf(a.engine).db.get('SELECT id FROM patients WHERE id = ?', [before.patient.id])) ? true : undefined, 3000, 'patient on A');
  const bId = (await b.engine.syncService.sync.identity())?.deviceId;
  const kidBefore = currentKid((await clinicOf(b.engine).db.all<{ kid: string }>('SELECT kid FROM tenant_keys')).map((k) => k.kid));

  const ended = [a, b].map((w) => new Promise<number>((r) => w.engine.on('session.ended', (e) => { if (e.reason === 'clinic-locked-down') r(Date.now()); })));
  const asked = Date.now();
  const lockdown = value(await a.api.call('sync.lockDown', {}));
  expect(lockdown.by).toMatchObject({ kind: 'workstation', name: 'Front desk' });
  for (const at of await Promise.all(ended)) expect(at - asked).toBeLessThan(2000);
  for (const w of [a, b]) {
    expect(w.engine.clinic).toBeNull();
    expect(value(await w.api.call('session.current', {}))).toBeNull();
    const status = await waitFor(async () => {
      const s = value(await w.api.call('setup.status', {}));
      return s.lockdown?.by.kind === 'workstation' ? s : undefined;
    }, 2000, 'who locked it down');
    expect(status.lockdown).toEqual(lockdown);
    expect(await signIn(w)).toBe('clinic-locked-down');
    expect(((await stat(join(w.engine.dataDir, dataFiles.lockdown))).mode & 0o777).toString(8)).toBe('600');
  }

  // IT, with the recovery code and no workstation: a wrong code is refused, the right one lifts B.
  expect((await sendItCommand({ cloudUrl: cloud.url, tenantId: id.tenantId, recoveryCode: 'AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD', command: 'status' })).ok).toBe(false);
  const lifted = value(await sendItCommand({ cloudUrl: cloud.url, tenantId: id.tenantId, recoveryCode, command: 'lift', deviceId: bId }));
  expect(lifted.devices.map((d) => [d.name, d.held])).toEqual([['Front desk', true], ['Exam room 1', false]]);
  await waitFor(async () => (value(await b.api.call('setup.status', {})).lockdown === null ? true : undefined), 2000, 'B lifted');
  expect(await signIn(b)).toBe('signed in');
  // The first round after the lift makes a new clinic key (the old one may have been taken).
  await waitFor(async () => {
    const kids = (await clinicOf(b.engine).db.all<{ kid: string }>('SELECT kid FROM tenant_keys')).map((k) => k.kid);
    return kids.length === 2 ? kids : undefined;
  }, 5000, 'key rotated');
  const kidAfter = currentKid((await clinicOf(b.engine).db.all<{ kid: string }>('SELECT kid FROM tenant_keys')).map((k) => k.kid));
  expect(kidAfter).not.toBe(kidBefore);
  expect(kidTime(kidAfter ?? '')).toBeGreaterThanOrEqual(Date.parse(lockdown.since));
  await waitFor(async () => { try { await stat(join(b.engine.dataDir, dataFiles.lockdown)); return undefined; } catch { return true; } }, 3000, 'lift marker gone');
  // Nothing acknowledged before is lost, and new work flows again.
  expect(await clinicOf(b.engine).db.get('SELECT id FROM patients WHERE id = ?', [before.patient.id])).toBeTruthy();
  value(await b.api.call('patients.register', { fields: patient({ familyName: 'Afterlift', givenNames: 'Una' }) }));
  await waitFor(async () => (value(await b.api.call('sync.status', {})).pending === 0 ? true : undefined), 5000, 'sent after the lift');
  // A is still held, across a restart too.
  await a.engine.close();
  a = await openEngine(first.dataDir, live);
  expect(value(await a.api.call('setup.status', {})).lockdown?.by).toMatchObject({ kind: 'workstation' });
  expect(await signIn(a)).toBe('clinic-locked-down');
}, 60_000);

it('a workstation nobody is signed in at locks at its next contact: the sign-in is refused, and allowed once IT lifts it', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync, tenantId, recoveryCode } = await firstWorkstation(cloud, { username: 'ada' });
  cleanups.push(a.cleanup);
  value(await sync.syncOnce()); // the round registers its sign-in guard credential
  value(await a.api.call('session.signOut', {}));
  value(await sendItCommand({ cloudUrl: cloud.url, tenantId, recoveryCode, command: 'lockdown' }));
  const r = await a.api.call('session.signIn', { username: 'ada', password: adminPassword });
  expect(r.ok ? 'signed in' : r.error.code).toBe('clinic-locked-down');
  expect(value(await a.api.call('setup.status', {})).lockdown?.by).toEqual({ kind: 'it' });
  const list = value(await sendItCommand({ cloudUrl: cloud.url, tenantId, recoveryCode, command: 'status' }));
  value(await sendItCommand({ cloudUrl: cloud.url, tenantId, recoveryCode, command: 'lift', deviceId: list.devices[0]?.deviceId }));
  expect(await signIn(a)).toBe('signed in');
});
