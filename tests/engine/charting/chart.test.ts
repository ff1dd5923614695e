// The chart's lists: the allergy check on prescribing, vitals plausibility and units, labs
// flagged out of range, documents stored inside the encrypted database, and the summary.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patient, setUpClinic, value } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function chart() {
  const c = await setUpClinic({ roles: ['admin', 'physician', 'front-desk'] });
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  if (reg.status !== 'created') throw new Error('setup');
  return { ...c, patientId: reg.patient.id };
}

describe('allergy check', () => {
  it('warns when a new medication matches a recorded allergy by name or code, and audits the acknowledgement', async () => {
    const c = await chart();
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe' } }));
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Sulfa drugs', reaction: 'Rash', severity: 'mild', code: '10180' } }));
    const med = { name: 'Penicillin V potassium', dose: '500 mg', route: 'oral', frequency: 'qid' };
    const warned = value(await c.api.call('medications.add', { patientId: c.patientId, medication: med }));
    expect(warned.status).toBe('allergy-warning');
    if (warned.status === 'allergy-warning') expect(warned.allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).medications).toEqual([]);

    const byCode = value(await c.api.call('medications.add', { patientId: c.patientId, medication: { name: 'Bactrim DS', dose: '1 tab', route: 'oral', frequency: 'bid', rxnorm: '10180' } }));
    expect(byCode.status).toBe('allergy-warning');

    const added = value(await c.api.call('medications.add', { patientId: c.patientId, medication: med, acknowledgeAllergies: true }));
    expect(added.status).toBe('added');
    const audit = value(await c.api.call('audit.query', { patientId: c.patientId, limit: 5 }));
    expect(audit[0]).toMatchObject({ action: 'medications.add-allergy-acknowledged', outcome: 'success' });
    expect(audit[0]?.detail).toContain('Penicillin');

    const unrelated = value(await c.api.call('medications.add', { patientId: c.patientId, medication: { name: 'Lisinopril', dose: '10 mg', route: 'oral', frequency: 'daily' } }));
    expect(unrelated.status).toBe('added');
  });

  it('records "no known allergies" only when none are recorded', async () => {
    const c = await chart();
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).allergyStatus).toBe('unknown');
    value(await c.api.call('allergies.setNoneKnown', { patientId: c.patientId }));
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).allergyStatus).toBe('none');
    const a = value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Latex', reaction: 'Hives' } }));
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).allergyStatus).toBe('recorded');
    const nka = await c.api.call('allergies.setNoneKnown', { patientId: c.patientId });
    expect(!nka.ok && nka.error.code).toBe('allergies-recorded');
    value(await c.api.call('allergies.remove', { patientId: c.patientId, allergyId: a.id, reason: 'Entered for the wrong patient' }));
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).allergies).toEqual([]);
  });
});

describe('vitals', () => {
  it('stores SI units from either unit system and computes BMI', async () => {
    const c = await chart();
    const v = value(await c.api.call('vitals.record', {
      patientId: c.patientId,
      vitals: { systolic: 132, diastolic: 84, heartRate: 76, respiratoryRate: 16, temperature: { value: 98.6, unit: 'F' }, spo2: 98, height: { value: 65, unit: 'in' }, weight: { value: 150, unit: 'lb' } },
    }));
    expect(v).toMatchObject({ systolic: 132, diastolic: 84, temperatureC: 37, heightCm: 165.1, weightKg: 68.04, bmi: 25 });
  });

  it('refuses values outside plausible ranges, naming the field, and stores nothing', async () => {
    const c = await chart();
    const cases: [Record<string, unknown>, string][] = [
      [{ systolic: 400, diastolic: 80 }, 'systolic'],
      [{ systolic: 120, diastolic: 130 }, 'diastolic'],
      [{ systolic: 120 }, 'diastolic'],
      [{ heartRate: 0 }, 'heartRate'],
      [{ respiratoryRate: 90 }, 'respiratoryRate'],
      [{ temperature: { value: 37, unit: 'F' } }, 'temperatureC'],
      [{ temperature: { value: 104, unit: 'C' } }, 'temperatureC'],
      [{ spo2: 101 }, 'spo2'],
      [{ weight: { value: 7000, unit: 'kg' } }, 'weightKg'],
      [{ height: { value: 300, unit: 'in' } }, 'heightCm'],
      [{}, 'systolic'],
    ];
    for (const [vitals, field] of cases) {
      const r = await c.invoke('vitals.record', { patientId: c.patientId, vitals });
      expect(r.ok, JSON.stringify(vitals)).toBe(false);
      expect(!r.ok && r.error.code).toBe('invalid-input');
      expect(!r.ok && r.error.message, JSON.stringify(vitals)).toContain(field);
    }
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).vitals).toEqual([]);
  });
});

describe('labs, immunizations, problems', () => {
  it('flags lab values outside the reference range', async () => {
    const c = await chart();
    const lab = (value: number) => c.api.call('labs.add', { patientId: c.patientId, lab: { test: 'Potassium', loinc: '2823-3', value, unit: 'mmol/L', refLow: 3.5, refHigh: 5.1, collectedOn: '2026-11-20' } });
    expect(value(await lab(5.9)).flag).toBe('high');
    expect(value(await lab(3.1)).flag).toBe('low');
    expect(value(await lab(4.2)).flag).toBe('normal');
    const bad = await c.api.call('labs.add', { patientId: c.patientId, lab: { test: 'X', loinc: 'abc', value: 1, unit: '', collectedOn: '2026-11-20' } });
    expect(!bad.ok && bad.error.message).toContain('loinc');
  });

  it('keeps the problem list with ICD-10-CM codes and statuses, and immunizations with CVX codes', async () => {
    const c = await chart();
    const p = value(await c.api.call('problems.add', { patientId: c.patientId, problem: { description: 'Essential hypertension', icd10: 'I10', onset: '2020-03-01' } }));
    value(await c.api.call('problems.update', { patientId: c.patientId, problemId: p.id, problem: { description: 'Essential hypertension', icd10: 'I10', onset: '2020-03-01', status: 'resolved' } }));
    value(await c.api.call('problems.add', { patientId: c.patientId, problem: { description: 'Asthma', icd10: 'J45.909' } }));
    const badCode = await c.api.call('problems.add', { patientId: c.patientId, problem: { description: 'X', icd10: 'hello' } });
    expect(!badCode.ok && badCode.error.code).toBe('invalid-input');
    value(await c.api.call('immunizations.add', { patientId: c.patientId, immunization: { vaccine: 'Tdap', cvx: '115', date: '2025-01-10', lot: 'AB123' } }));
    const future = await c.api.call('immunizations.add', { patientId: c.patientId, immunization: { vaccine: 'Tdap', date: '2099-01-01' } });
    expect(!future.ok && future.error.code).toBe('invalid-input');
    const s = value(await c.api.call('chart.summary', { patientId: c.patientId }));
    expect(s.problems.map((x) => `${x.description}:${x.status}`)).toEqual(['Asthma:active', 'Essential hypertension:resolved']);
    expect(s.immunizations).toMatchObject([{ vaccine: 'Tdap', cvx: '115', lot: 'AB123' }]);
  });
});

describe('documents', () => {
  it('keeps attachments inside the encrypted database, never as files, and refuses a file that is not what it claims', async () => {
    const c = await chart();
    const marker = `UNIQUE-DOCUMENT-MARKER-${Date.now()}`;
    const pdf = Buffer.from(`%PDF-1.4\n% ${marker}\n%%EOF\n`);
    const info = value(await c.api.call('documents.upload', { patientId: c.patientId, title: 'Outside records', mime: 'application/pdf', data: pdf.toString('base64') }));
    const back = value(await c.api.call('documents.get', { patientId: c.patientId, documentId: info.id }));
    expect(back).toMatchObject({ state: 'here', chunks: 1, received: 1, bytes: pdf.length });
    const data = value(await c.api.call('documents.chunk', { patientId: c.patientId, documentId: info.id, index: 0 })).data;
    expect(Buffer.from(data, 'base64').equals(pdf)).toBe(true);
    for (const f of await readdir(c.dataDir, { recursive: true })) {
      const path = join(c.dataDir, f);
      const bytes = await readFile(path).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(marker)), `marker in ${f}`).toBe(false);
    }
    const fake = await c.api.call('documents.upload', { patientId: c.patientId, title: 'x', mime: 'image/png', data: pdf.toString('base64') });
    expect(!fake.ok && fake.error.code).toBe('invalid-input');
  });
});

describe('chart summary', () => {
  it('shows upcoming appointments and the encounter timeline with note status', async () => {
    const c = await chart();
    const doc = value(await c.api.call('users.create', { username: 'drlee', displayName: 'Dr Lee', roles: ['physician'], password: 'doctor-passphrase-1' }));
    const type = value(await c.api.call('schedule.types', {}))[0]!;
    value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: doc.id, typeId: type.id, start: '2099-03-02T10:00', confirmWarnings: true }));
    const e = value(await c.api.call('encounters.open', { patientId: c.patientId }));
    value(await c.api.call('notes.saveDraft', { patientId: c.patientId, noteId: e.note.id, soap: { subjective: '', objective: '', assessment: 'Hypertension, controlled', plan: '' } }));
    value(await c.api.call('notes.sign', { patientId: c.patientId, noteId: e.note.id }));
    const s = value(await c.api.call('chart.summary', { patientId: c.patientId }));
    expect(s.upcoming.map((a) => a.start)).toEqual(['2099-03-02T10:00']);
    expect(s.encounters).toMatchObject([{ noteStatus: 'signed', assessment: 'Hypertension, controlled', kind: 'walk-in' }]);
    expect(s.emergencyAccessUntil).toBeNull();
  });
});
