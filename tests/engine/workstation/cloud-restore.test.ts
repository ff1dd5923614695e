// Every workstation lost (issue 12, point 3): a clean machine, the clinic's cloud and the
// recovery code alone rebuild the clinic. The machine is enrolled as a new device by IT's key,
// takes the clinic keys from their recovery wraps, restores the newest snapshot and the history
// after it, and checks what it built against the snapshot's sealed hashes and a replay of what
// came after it; for a point in time it starts from a snapshot made before it. Everyone then signs
// in with their own password, and the per-table hashes equal those taken before the loss. A
// wrong recovery code restores nothing.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { recordFingerprints } from '../../../electron/engine/db/record-fingerprints';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, joinClinic, openEngine, patient, tempDir, value, patientFields } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const nurse = { username: 'nell', password: 'nell-own-password-2026' };

it('rebuilds the whole clinic on a clean machine from its cloud with the recovery code alone', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  // A small snapshot interval, so the restore starts from a snapshot and pulls what came after.
  const { a, sync: firstSync, tenantId, recoveryCode } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  const syncA = new SyncClient(a.engine.syncHost, 5);
  value(await a.api.call('users.create', { username: nurse.username, displayName: 'Nell Nurse', roles: ['nurse'], password: nurse.password }));
  for (const [i, family] of ['Aldous', 'Brandt', 'Cole', 'Dervish', 'Eames', 'Fogg'].entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Mae', dateOfBirth: `197${i}-05-0${i + 1}`, phone: `(555) 300-200${i}` }) }));
    if (r.status !== 'created') throw new Error('setup');
    if (i < 2) value(await a.api.call('allergies.add', { patientId: r.patient.id, allergy: { substance: 'Latex', reaction: 'rash', severity: 'mild', code: '' } }));
  }
  value(await firstSync.syncOnce());
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', nurse));
  const later = value(await b.api.call('patients.search', { query: 'Cole' })).results[0];
  if (!later) throw new Error('setup');
  value(await b.api.call('allergies.add', { patientId: later.id, allergy: { substance: 'Sulfa', reaction: 'hives', severity: 'moderate', code: '' } }));
  const syncB = new SyncClient(b.engine.syncHost);
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  const before = await clinicOf(a.engine).db.read((tx) => recordFingerprints(tx));
  expect(before.patients?.rows).toBe(6);
  // Every workstation lost.
  await b.cleanup();
  await a.cleanup();
  cleanups = cleanups.filter((c) => c !== b.cleanup);

  // A wrong code restores nothing.
  const wrongDir = await tempDir();
  const wrong = await openEngine(wrongDir);
  cleanups.push(async () => wrong.engine.close());
  const refused = await wrong.engine.setup.restoreFromCloud({ cloudUrl: cloud.url, tenantId, recoveryCode: 'AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD', deviceName: 'Rebuilt' });
  expect(refused.ok ? 'restored' : refused.error.code).toBe('wrong-recovery-code');
  expect(value(await wrong.api.call('setup.status', {})).initialized).toBe(false);
  expect((await readdir(wrongDir)).filter((f) => f.startsWith('chartroom.db') || f === 'keyring.json')).toEqual([]);

  const dir = await tempDir();
  const fresh = await openEngine(dir);
  cleanups.push(async () => fresh.engine.close());
  const r = value(await fresh.engine.setup.restoreFromCloud({ cloudUrl: cloud.url, tenantId, recoveryCode, deviceName: 'Rebuilt front desk' }));
  expect(r).toMatchObject({ clinicName: 'Maple Street Family Practice', users: 2, patients: 6, workstationNumber: 3 });
  expect(r.snapshotSeq).not.toBeNull();
  expect(r.auditRows).toBeGreaterThan(0);
  // Everyone signs in with their own password; the record is the one before the loss.
  value(await fresh.api.call('session.signIn', nurse));
  expect(await clinicOf(fresh.engine).db.read((tx) => recordFingerprints(tx))).toEqual(before);
  value(await fresh.api.call('session.signOut', {}));
  value(await fresh.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const list = value(await fresh.api.call('devices.list', {}));
  expect(list.find((d) => d.thisWorkstation)).toMatchObject({ name: 'Rebuilt front desk', number: 3 });
  // It is a workstation of the clinic like any: it syncs, and a new patient leaves it.
  value(await fresh.api.call('patients.register', { fields: patient({ familyName: 'Afterwards', givenNames: 'Zed', dateOfBirth: '2001-01-01', phone: '(555) 300-9999' }) }));
  expect(value(await new SyncClient(fresh.engine.syncHost).syncOnce()).pushed).toBe(1);

  // The same from IT's command line, onto another clean machine.
  const cliDir = await tempDir();
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'electron/engine/cli/admin.ts', 'restore', '--data-dir', cliDir, '--cloud', cloud.url, '--clinic', tenantId, '--name', 'Rebuilt exam room'],
    { env: { ...process.env, CHARTROOM_RECOVERY_CODE: recoveryCode } });
  expect(stdout).toMatch(/Restored Maple Street Family Practice from its cloud in [\d.]+ s, as workstation 4\./);
  expect(stdout).toMatch(/7 patients; the snapshot at \d+ and the history after it; checked against its sealed hashes and a replay of the \d+ change sets after it/);
  const byCli = await openEngine(cliDir);
  cleanups.push(async () => byCli.engine.close());
  value(await byCli.api.call('session.signIn', nurse));
  expect(value(await byCli.api.call('patients.search', { query: 'Afterwards' })).results).toHaveLength(1);
}, 90_000);

it('restores the clinic to a point before an attack: every workstation moves back, what came after is kept aside and can be re-applied', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync: syncA, tenantId, recoveryCode } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const ids: string[] = [];
  for (const [i, family] of ['Gant', 'Holloway', 'Ibsen'].entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Lou', dateOfBirth: `198${i}-02-0${i + 1}`, phone: `(555) 310-200${i}` }) }));
    if (r.status !== 'created') throw new Error('setup');
    ids.push(r.patient.id);
  }
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  const clean = value(await syncA.uploadSnapshot());
  const target = (await cloud.store.pull(tenantId, 0, 10_000)).at(-1)?.seq ?? 0;
  // The attack, from B, after the target.
  for (const id of ids) {
    const fields = patientFields(value(await b.api.call('patients.get', { patientId: id })));
    value(await b.api.call('patients.update', { patientId: id, fields: { ...fields, familyName: 'WIPED' } }));
  }
  value(await b.api.call('patients.register', { fields: patient({ familyName: 'Extortion', givenNames: 'Note', dateOfBirth: '2002-02-02', phone: '(555) 310-6666' }) }));
  value(await syncB.syncOnce());
  // The attacker's workstation seals a snapshot after the attack: a restore to before it must not start there.
  const poisoned = value(await syncB.uploadSnapshot());
  expect(poisoned.seq).toBeGreaterThan(target);
  value(await syncA.syncOnce());
  expect(value(await a.api.call('patients.get', { patientId: ids[0]! })).familyName).toBe('WIPED');

  const dir = await tempDir();
  const fresh = await openEngine(dir);
  cleanups.push(async () => fresh.engine.close());
  const r = value(await fresh.api.call('setup.restoreFromCloud', { cloudUrl: cloud.url, clinicId: tenantId, recoveryCode, deviceName: 'Rebuilt', seq: target }));
  expect(r.takenBack).toMatchObject({ keptAside: 4, createdRows: 1 });
  expect(r.snapshotSeq).toBe(clean.seq);
  value(await fresh.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const names = async (w: Pick<typeof a, 'api'>) => Promise.all(ids.map(async (id) => value(await w.api.call('patients.get', { patientId: id })).familyName));
  expect(await names(fresh)).toEqual(['Gant', 'Holloway', 'Ibsen']);
  // A workstation that comes back takes the restore like any change: the record as of the target.
  value(await syncA.syncOnce());
  expect(await names(a)).toEqual(['Gant', 'Holloway', 'Ibsen']);
  // What came after is kept aside, in words, for review; one is re-applied, and reaches A.
  const kept = value(await fresh.api.call('restore.keptAside', {}));
  expect(kept).toHaveLength(4);
  expect(kept.every((k) => k.workstation === 'Exam room 1 (workstation 2)' && k.seq > target && k.reappliedAt === null)).toBe(true);
  expect(kept.map((k) => k.summary).join(' | ')).toMatch(/patients: family name/);
  const update = kept.find((k) => k.fields <= 4);
  if (!update) throw new Error('no update kept aside');
  value(await fresh.api.call('restore.reapply', { msgId: update.msgId }));
  expect((await names(fresh)).filter((n) => n === 'WIPED')).toHaveLength(1);
  expect(value(await fresh.api.call('restore.keptAside', {})).find((k) => k.msgId === update.msgId)?.reappliedAt).not.toBeNull();
  value(await new SyncClient(fresh.engine.syncHost).syncOnce());
  value(await syncA.syncOnce());
  expect((await names(a)).filter((n) => n === 'WIPED')).toHaveLength(1);
}, 60_000);
