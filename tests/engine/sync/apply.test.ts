// Applying other workstations' change sets: field-level last-writer-wins by hybrid logical
// clock, whole messages or nothing, duplicates ignored, a signed note never changed by sync,
// and a patient who may already exist flagged rather than merged.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyRemoteChangeSet } from '../../../electron/engine/sync/apply';
import { duplicateChecks } from '../../../electron/engine/patients/duplicates';
import { patient, setUpClinic, value, clinicOf } from '../../helpers/engine';
import { Log, syncedContent, type Workstation } from '../../helpers/sync';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function workstations(n: number): Promise<{ log: Log; ws: Workstation[] }> {
  const log = new Log();
  const ws: Workstation[] = [];
  for (let i = 0; i < n; i++) {
    const c = await setUpClinic({ roles: ['admin', 'physician', 'nurse', 'front-desk'], username: `admin${i}` });
    cleanups.push(c.cleanup);
    // Enrollment numbers each workstation of a clinic (MRNs carry the number).
    await clinicOf(c.engine).local((tx) => tx.run('UPDATE workstation SET number = ?', [i + 1]));
    ws.push({ ...c, deviceId: randomUUID(), cursor: 0 });
  }
  // Every workstation's set-up reaches every other, as after enrollment.
  for (const w of ws) await log.push(w);
  for (const w of ws) await log.pull(w);
  return { log, ws };
}

const fieldsOf = (p: { id: string; mrn: string; createdAt: string; updatedAt: string } & Record<string, unknown>) => {
  const { id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...f } = p;
  return f as ReturnType<typeof patient>;
};

describe('applying change sets', () => {
  it('brings a patient registered on one workstation to another, searchable there', async () => {
    const { log, ws: [a, b] } = await workstations(2);
    const reg = value(await a!.api.call('patients.register', { fields: patient({ familyName: 'Lindqvist', givenNames: 'Astrid' }) }));
    if (reg.status !== 'created') throw new Error('setup');
    await log.push(a!);
    expect((await log.pull(b!)).applied).toBe(1);
    const there = value(await b!.api.call('patients.get', { patientId: reg.patient.id }));
    expect(there).toEqual(reg.patient);
    expect(value(await b!.api.call('patients.search', { query: 'lindq' })).results.map((r) => r.id)).toEqual([reg.patient.id]);
  });

  it('keeps the later of two concurrent edits to one field, and both of two edits to different fields', async () => {
    const { log, ws: [a, b] } = await workstations(2);
    const reg = value(await a!.api.call('patients.register', { fields: patient() }));
    if (reg.status !== 'created') throw new Error('setup');
    await log.push(a!);
    await log.pull(b!);
    const base = fieldsOf(reg.patient);
    value(await a!.api.call('patients.update', { patientId: reg.patient.id, fields: { ...base, phone: '555-111-1111', email: 'a@example.org' } }));
    await new Promise((r) => setTimeout(r, 5));
    value(await b!.api.call('patients.update', { patientId: reg.patient.id, fields: { ...base, phone: '555-222-2222', city: 'Springfield' } }));
    await log.push(b!);
    await log.push(a!);
    await log.pull(a!);
    await log.pull(b!);
    for (const w of [a!, b!]) {
      expect(value(await w.api.call('patients.get', { patientId: reg.patient.id }))).toMatchObject({ phone: '555-222-2222', email: 'a@example.org', city: 'Springfield' });
    }
    expect(await syncedContent(a!)).toEqual(await syncedContent(b!));
  });

  it('ignores a message delivered twice', async () => {
    const { log, ws: [a, b] } = await workstations(2);
    value(await a!.api.call('patients.register', { fields: patient() }));
    await log.push(a!);
    await log.pull(b!);
    const before = await syncedContent(b!);
    const again = await log.pull(b!, { from: 0 });
    expect(again.applied).toBe(0);
    expect(await syncedContent(b!)).toEqual(before);
  });

  it('never changes a signed note: a later draft edit elsewhere becomes a conflict, and both end with the signed text', async () => {
    const { log, ws: [a, b] } = await workstations(2);
    const reg = value(await a!.api.call('patients.register', { fields: patient() }));
    if (reg.status !== 'created') throw new Error('setup');
    const e = value(await a!.api.call('encounters.open', { patientId: reg.patient.id }));
    const soap = { subjective: 'Cough', objective: 'Clear', assessment: 'Viral URI', plan: 'Rest' };
    value(await a!.api.call('notes.saveDraft', { patientId: reg.patient.id, noteId: e.note.id, soap }));
    await log.push(a!);
    await log.pull(b!);
    // Offline on both: A signs; B, later, edits the draft.
    value(await a!.api.call('notes.sign', { patientId: reg.patient.id, noteId: e.note.id }));
    await new Promise((r) => setTimeout(r, 5));
    value(await b!.api.call('notes.saveDraft', { patientId: reg.patient.id, noteId: e.note.id, soap: { ...soap, assessment: 'Bacterial sinusitis' } }));
    await log.push(b!);
    await log.push(a!);
    const atA = await log.pull(a!);
    const atB = await log.pull(b!);
    for (const w of [a!, b!]) {
      const note = value(await w.api.call('encounters.get', { patientId: reg.patient.id, encounterId: e.id })).note;
      expect(note).toMatchObject({ ...soap, status: 'signed' });
    }
    expect(atA.conflicts).toBeGreaterThan(0);
    expect(atB.conflicts).toBeGreaterThan(0);
    const kept = await clinicOf(b!.engine).db.all<{ kind: string; col: string; value: string }>("SELECT kind, col, value FROM sync_conflicts WHERE tbl = 'notes'");
    expect(kept).toContainEqual({ kind: 'signed-note-changed', col: 'assessment', value: JSON.stringify('Bacterial sinusitis') });
    expect(await syncedContent(a!)).toEqual(await syncedContent(b!));
  });

  it('flags a patient registered on two workstations as a possible duplicate and merges nothing', async () => {
    const { log, ws: [a, b] } = await workstations(2);
    value(await a!.api.call('patients.register', { fields: patient() }));
    value(await b!.api.call('patients.register', { fields: patient({ phone: '' }) }));
    await log.push(a!);
    await log.push(b!);
    await log.pull(a!);
    await log.pull(b!);
    for (const w of [a!, b!]) {
      expect(value(await w.api.call('patients.search', { query: 'okafor' })).results).toHaveLength(2);
      expect(await clinicOf(w.engine).db.all("SELECT kind FROM sync_conflicts WHERE kind = 'possible-duplicate'")).toHaveLength(1);
    }
  });

  it('refuses a change set naming a table or column outside the synced schema, applying none of it', async () => {
    const { ws: [a] } = await workstations(1);
    const before = await syncedContent(a!);
    const rowId = randomUUID();
    const rows = [
      { hlc: clinicOf(a!.engine).clock.next(), tbl: 'patients', rowId, col: 'family_name', value: JSON.stringify('Injected') },
      { hlc: clinicOf(a!.engine).clock.next(), tbl: 'sqlite_master', rowId, col: 'sql', value: JSON.stringify('DROP TABLE patients') },
    ];
    const outcome = await clinicOf(a!.engine).replicate((tx) => applyRemoteChangeSet(tx, clinicOf(a!.engine).clock, { msgId: randomUUID(), seq: 1, deviceId: randomUUID() }, rows, duplicateChecks));
    expect(outcome).toEqual({ status: 'refused', reason: 'unknown table sqlite_master' });
    const badCol = await clinicOf(a!.engine).replicate((tx) => applyRemoteChangeSet(tx, clinicOf(a!.engine).clock, { msgId: randomUUID(), seq: 2, deviceId: randomUUID() }, [
      { hlc: clinicOf(a!.engine).clock.next(), tbl: 'patients', rowId, col: 'pk', value: '1' },
    ], duplicateChecks));
    expect(badCol.status).toBe('refused');
    const future = await clinicOf(a!.engine).replicate((tx) => applyRemoteChangeSet(tx, clinicOf(a!.engine).clock, { msgId: randomUUID(), seq: 3, deviceId: randomUUID() }, [
      { hlc: `${String(Date.now() + 3_600_000).padStart(15, '0')}-0000-ffffffffffffffff`, tbl: 'patients', rowId, col: 'city', value: '"x"' },
    ], duplicateChecks));
    expect(future).toEqual({ status: 'refused', reason: 'clock too far ahead' });
    expect(await syncedContent(a!)).toEqual(before);
  });
});
