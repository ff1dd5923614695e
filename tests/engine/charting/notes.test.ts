// SOAP notes: drafts save, signing locks the note for good (note-signed, text unchanged, even
// through a direct write), corrections are signed addenda shown under the note.
import { afterEach, describe, expect, it } from 'vitest';
import { patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function encounter() {
  const c = await setUpClinic({ roles: ['admin', 'physician'] });
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  if (reg.status !== 'created') throw new Error('setup');
  const e = value(await c.api.call('encounters.open', { patientId: reg.patient.id }));
  return { ...c, patientId: reg.patient.id, encounter: e, noteId: e.note.id };
}

const soap = { subjective: 'Sore throat 2 days', objective: 'T 38.1, tonsillar exudate', assessment: 'Strep pharyngitis', plan: 'Amoxicillin 500 mg tid x10d' };

describe('SOAP notes', () => {
  it('saves drafts as they are typed, and reopening the encounter shows the latest draft', async () => {
    const c = await encounter();
    value(await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: c.noteId, soap: { ...soap, plan: '' } }));
    value(await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: c.noteId, soap }));
    const again = value(await c.api.call('encounters.get', { patientId: c.patientId, encounterId: c.encounter.id }));
    expect(again.note).toMatchObject({ ...soap, status: 'draft', authorName: 'Ada Admin' });
  });

  it('refuses to sign an empty note', async () => {
    const c = await encounter();
    const r = await c.api.call('notes.sign', { patientId: c.patientId, noteId: c.noteId });
    expect(!r.ok && r.error.code).toBe('invalid-input');
  });

  it('signing locks the note: note-signed on every later edit, and the stored text is unchanged', async () => {
    const c = await encounter();
    value(await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: c.noteId, soap }));
    const signed = value(await c.api.call('notes.sign', { patientId: c.patientId, noteId: c.noteId }));
    expect(signed).toMatchObject({ status: 'signed', signedByName: 'Ada Admin' });
    expect(signed.signedAt).not.toBeNull();

    const edit = await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: c.noteId, soap: { ...soap, assessment: 'Viral pharyngitis' } });
    expect(!edit.ok && edit.error.code).toBe('note-signed');
    const resign = await c.api.call('notes.sign', { patientId: c.patientId, noteId: c.noteId });
    expect(!resign.ok && resign.error.code).toBe('note-signed');
    // Even a write that bypassed the engine's check is refused by the database.
    await expect(clinicOf(c.engine).write((m) => m.update('notes', c.noteId, { assessment: 'Tampered' }))).rejects.toThrow(/note-signed/);

    const stored = await clinicOf(c.engine).db.get<Record<string, string>>('SELECT subjective, objective, assessment, plan, status FROM notes WHERE id = ?', [c.noteId]);
    expect(stored).toEqual({ ...soap, status: 'signed' });
  });

  it('adds signed, timestamped addenda under a signed note, in order, and only under a signed note', async () => {
    const c = await encounter();
    value(await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: c.noteId, soap }));
    const early = await c.api.call('notes.addAddendum', { patientId: c.patientId, noteId: c.noteId, text: 'Too soon' });
    expect(!early.ok && early.error.code).toBe('invalid-transition');
    value(await c.api.call('notes.sign', { patientId: c.patientId, noteId: c.noteId }));
    value(await c.api.call('notes.addAddendum', { patientId: c.patientId, noteId: c.noteId, text: 'Correction: penicillin allergy confirmed, switch to azithromycin.' }));
    const note = value(await c.api.call('notes.addAddendum', { patientId: c.patientId, noteId: c.noteId, text: 'Culture positive.' }));
    expect(note.addenda.map((a) => a.text)).toEqual(['Correction: penicillin allergy confirmed, switch to azithromycin.', 'Culture positive.']);
    expect(note.addenda.every((a) => a.authorName === 'Ada Admin' && a.signedAt)).toBe(true);
    expect(note.assessment).toBe(soap.assessment);
  });

  it('keeps one encounter per appointment, and per-clinic templates', async () => {
    const c = await encounter();
    const t = value(await c.api.call('notes.saveTemplate', { template: { name: 'URI', subjective: 'Onset:', objective: 'Lungs:', assessment: '', plan: 'Fluids' } }));
    expect(value(await c.api.call('notes.templates', {})).map((x) => x.name)).toEqual(['URI']);
    expect(t.plan).toBe('Fluids');
    const other = await c.api.call('encounters.get', { patientId: '00000000-0000-7000-8000-000000000000' as never, encounterId: c.encounter.id });
    expect(!other.ok && other.error.code).toBe('not-found');
  });
});
