// Undoing one workstation's changes after a time, through the real tenant service on loopback:
// a workstation under an attacker's hands rewrites patients' names and removes an allergy, and
// registers a patient of its own; meanwhile the front desk makes legitimate edits. The preview
// counts the change sets and names the patients; the undo brings the earlier values back as new
// change sets (the cloud's history only grows), leaves a field written again since as it is and
// lists it, lists the row it created, reaches the other workstation like any change, and is
// audited.
import { afterEach, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, value, patientFields } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('undoes one workstation’s changes after a time, keeping later legitimate edits, as new change sets', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync: syncA } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const ids: string[] = [];
  for (const [i, family] of ['Abara', 'Bellweather', 'Castellanos', 'Dunmore'].entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Ruth', dateOfBirth: `196${i}-03-0${i + 1}`, phone: `(555) 400-100${i}` }) }));
    if (r.status !== 'created') throw new Error('setup');
    ids.push(r.patient.id);
  }
  const allergy = value(await a.api.call('allergies.add', { patientId: ids[0]!, allergy: { substance: 'Penicillin', reaction: 'hives', severity: 'severe', code: '' } }));
  value(await syncA.syncOnce());
  const c = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(c.cleanup);
  value(c.joined);
  value(await c.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncC = new SyncClient(c.engine.syncHost);
  value(await syncC.syncOnce());
  const cId = (await syncC.identity())?.deviceId as string;

  // The attack, from C, through the app's own calls.
  await new Promise((r) => setTimeout(r, 20));
  const after = new Date().toISOString();
  for (const id of ids.slice(0, 3)) {
    const fields = patientFields(value(await c.api.call('patients.get', { patientId: id })));
    value(await c.api.call('patients.update', { patientId: id, fields: { ...fields, familyName: 'ENCRYPTED', phone: '(555) 666-6666' } }));
  }
  value(await c.api.call('allergies.remove', { patientId: ids[0]!, allergyId: allergy.id, reason: 'Entered in error' }));
  const fake = value(await c.api.call('patients.register', { fields: patient({ familyName: 'Ransom', givenNames: 'Note', dateOfBirth: '2000-01-01', phone: '(555) 666-0000' }) }));
  value(await syncC.syncOnce());
  value(await syncA.syncOnce());
  // A legitimate edit on the front desk after the attack: the second patient's name, corrected.
  const second = patientFields(value(await a.api.call('patients.get', { patientId: ids[1]! })));
  expect(second.familyName).toBe('ENCRYPTED');
  value(await a.api.call('patients.update', { patientId: ids[1]!, fields: { ...second, familyName: 'Bellweather-Hart' } }));
  value(await syncA.syncOnce());
  const historyBefore = (await cloud.store.pull((await syncA.identity())!.tenantId, 0, 10_000)).length;

  const preview = value(await a.api.call('undo.preview', { deviceId: cId, after }));
  expect(preview.whose).toBe('Exam room 1 (workstation 2)');
  expect(preview.changeSets).toBe(5);
  expect(preview.patients.map((p) => p.name).sort()).toEqual(['ENCRYPTED, Ruth', 'ENCRYPTED, Ruth', 'Ransom, Note', 'Bellweather-Hart, Ruth'].sort());
  expect(preview.changedSince).toEqual([{ table: 'patients', rowId: ids[1], column: 'family_name' }]);
  expect(preview.createdRows.map((r) => r.rowId)).toContain(fake.status === 'created' ? fake.patient.id : '');
  expect(preview.records.find((r) => r.table === 'allergies')?.fields).toBeGreaterThanOrEqual(1);

  const applied = value(await a.api.call('undo.apply', { deviceId: cId, after }));
  expect(applied.fields).toBe(preview.fields);
  expect(applied.written).toBeGreaterThanOrEqual(1);
  const names = async (w: typeof a) => Promise.all(ids.map(async (id) => {
    const p = value(await w.api.call('patients.get', { patientId: id }));
    return `${p.familyName} ${p.phone}`;
  }));
  expect(await names(a)).toEqual(['Abara (555) 400-1000', 'Bellweather-Hart (555) 400-1001', 'Castellanos (555) 400-1002', 'Dunmore (555) 400-1003']);
  const chart = value(await a.api.call('chart.summary', { patientId: ids[0]! }));
  expect(chart.allergies.find((x) => x.id === allergy.id)?.inactive).toBeNull();
  // Reaches the other workstation like any change; the history only grew.
  value(await syncA.syncOnce());
  value(await syncC.syncOnce());
  expect(await names(c)).toEqual(await names(a));
  expect((await cloud.store.pull((await syncA.identity())!.tenantId, 0, 10_000)).length).toBeGreaterThan(historyBefore);
  const trail = value(await a.api.call('audit.query', { limit: 50 }));
  expect(trail.filter((e) => e.action === 'undo.preview')).toHaveLength(1);
  expect(trail.filter((e) => e.action === 'undo.apply').length).toBeGreaterThanOrEqual(2);
  // A second preview finds nothing left to bring back.
  expect(value(await a.api.call('undo.preview', { deviceId: cId, after })).fields).toBe(0);
});
