// Merging duplicate records, by a person: one patient registered on two workstations is flagged
// on arrival, a front-desk user merges the two with a reason, the chart moves to the kept record,
// the merged one disappears from search and points to the kept MRN, both appear in the audit
// log, and the merge reaches the other workstation.
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import type { PatientId } from '../../../shared/domain/ids';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('a person merges a duplicate flagged by sync; the chart moves, search and the audit log show it, and the other workstation follows', async () => {
  const { url, store, close } = await startTestCloud();
  cleanups.push(close);
  const { setupCode } = await createTenant(store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(url, setupCode, 'Front desk'));
  const b = await joinClinic(url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);

  // Offline, both register the same person; A also records an allergy and books a visit.
  const onA = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Vasquez-Thorne', givenNames: 'Marisol', dateOfBirth: '1979-04-18', phone: '(555) 310-2020', email: '' }) }));
  const onB = value(await b.api.call('patients.register', { fields: patient({ familyName: 'Vasquez-Thorne', givenNames: 'Marisol', dateOfBirth: '1979-04-18', phone: '', email: 'marisol@example.org' }) }));
  if (onA.status !== 'created' || onB.status !== 'created') throw new Error('setup');
  value(await a.api.call('allergies.add', { patientId: onA.patient.id, allergy: { substance: 'Penicillin', reaction: 'Hives', severity: 'moderate' } }));
  value(await syncA.syncOnce());
  value(await syncB.syncOnce());
  const flagged = value(await b.api.call('sync.conflicts', {}));
  expect(flagged.map((c) => [c.kind, c.rowId])).toEqual([['possible-duplicate', onA.patient.id]]);
  expect(flagged[0]?.detail).toContain(onB.patient.mrn);

  // B keeps its own record and merges A's into it.
  const bad = await b.api.call('patients.merge', { keepId: onB.patient.id, mergeId: onB.patient.id, reason: 'same person' });
  expect(!bad.ok && bad.error.code).toBe('invalid-input');
  const kept = value(await b.api.call('patients.merge', { keepId: onB.patient.id, mergeId: onA.patient.id, reason: 'same person, same DOB and address' }));
  expect(kept).toMatchObject({ id: onB.patient.id, phone: '(555) 310-2020', email: 'marisol@example.org' });
  expect(value(await b.api.call('sync.conflicts', {}))).toEqual([]);
  const again = await b.api.call('patients.merge', { keepId: onB.patient.id, mergeId: onA.patient.id, reason: 'twice' });
  expect(!again.ok && again.error.code).toBe('patient-merged');
  const gone = await b.api.call('patients.get', { patientId: onA.patient.id });
  expect(!gone.ok && gone.error.message).toContain(onB.patient.mrn);
  expect(value(await b.api.call('patients.search', { query: 'vasquez-thorne' })).results.map((r) => r.id)).toEqual([onB.patient.id]);
  const chart = value(await b.api.call('chart.summary', { patientId: onB.patient.id }));
  expect(chart.allergies.map((x) => x.substance)).toEqual(['Penicillin']);
  const audit = value(await b.api.call('audit.query', { limit: 20 }));
  expect(audit.filter((e) => e.action === 'patients.merge').map((e) => e.patientId)).toEqual([onB.patient.id]);
  expect(audit.find((e) => e.action === 'patients.merged-away')?.patientId).toBe(onA.patient.id);
  expect(audit.find((e) => e.action === 'patients.merge')?.detail).toContain('same person, same DOB and address');

  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  // A flagged B's record on arrival, and B's merge, arriving after it, settled the flag.
  expect(value(await a.api.call('sync.conflicts', {}))).toEqual([]);
  expect(value(await a.api.call('patients.search', { query: 'vasquez-thorne' })).results.map((r) => r.id)).toEqual([onB.patient.id]);
  expect(value(await a.api.call('chart.summary', { patientId: onB.patient.id as PatientId })).allergies).toHaveLength(1);
});
