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
  it('warns by ingredient and class (Amoxicillin, Augmentin, Bactrim DS), and keeps an override with its reason on the medication', async () => {
    const c = await chart();
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe' } }));
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Sulfa drugs', reaction: 'Rash', severity: 'mild' } }));
    const add = (name: string, allergyOverride?: { reason: string }) =>
      c.api.call('medications.add', { patientId: c.patientId, medication: { name, dose: '1 tab', route: 'oral', frequency: 'bid' }, allergyOverride });
    const warnings = [];
    for (const name of ['Amoxicillin 500 mg', 'Augmentin', 'Bactrim DS', 'Cephalexin']) {
      const r = value(await add(name));
      warnings.push(r.status === 'allergy-warning' ? r.alerts.map((a) => `${a.substance}: ${a.level}: ${a.reason}`) : r.status);
    }
    expect(warnings).toEqual([
      ['Penicillin: allergy: amoxicillin is a penicillin'],
      ['Penicillin: allergy: amoxicillin is a penicillin'],
      ['Sulfa drugs: allergy: sulfamethoxazole is a sulfonamide antibiotic'],
      [expect.stringMatching(/^Penicillin: cross-reactivity: cephalexin is a cephalosporin: /)],
    ]);
    // Nothing was recorded by a warning.
    expect(value(await c.api.call('chart.summary', { patientId: c.patientId })).medications).toEqual([]);

    const noReason = await add('Cephalexin', { reason: '' });
    expect(!noReason.ok && noReason.error.code).toBe('invalid-input');
    const added = value(await add('Cephalexin', { reason: 'Tolerated cephalexin in 2024' }));
    expect(added.status).toBe('added');
    const [med] = value(await c.api.call('chart.summary', { patientId: c.patientId })).medications;
    expect(med?.allergyOverride).toMatchObject({ reason: 'Tolerated cephalexin in 2024', byName: 'Ada Admin', alerts: [{ substance: 'Penicillin', level: 'cross-reactivity' }] });
    expect(med?.allergyAlerts.map((a) => a.substance)).toEqual(['Penicillin']);
    const audit = value(await c.api.call('audit.query', { patientId: c.patientId, limit: 10 })).find((e) => e.action === 'medications.add-allergy-override');
    expect(audit?.detail).toContain('Penicillin (cross-reactivity)');
    expect(audit?.detail).toContain('Tolerated cephalexin in 2024');

    const unrelated = value(await add('Lisinopril'));
    expect(unrelated.status === 'added' && unrelated.medication.allergyOverride).toBe(null);
  });

  it('matches a recorded code, and flags a medication already taken when a matching allergy is recorded later', async () => {
    const c = await chart();
    const med = value(await c.api.call('medications.add', { patientId: c.patientId, medication: { name: 'Doxycycline', dose: '100 mg', route: 'oral', frequency: 'bid', rxnorm: '3640' } }));
    expect(med.status).toBe('added');
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Tetracyclines', reaction: 'Rash' } }));
    const [flagged] = value(await c.api.call('chart.summary', { patientId: c.patientId })).medications;
    expect(flagged?.allergyAlerts.map((a) => [a.substance, a.reason])).toEqual([['Tetracyclines', 'doxycycline is a tetracycline']]);
    expect(flagged?.allergyOverride).toBeNull();
    value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Study drug X', reaction: 'Hives', code: '999001' } }));
    const byCode = value(await c.api.call('medications.add', { patientId: c.patientId, medication: { name: 'Trial compound', dose: '', route: 'oral', frequency: '', rxnorm: '999001' } }));
    expect(byCode.status === 'allergy-warning' && byCode.alerts[0]?.reason).toBe('the same RxNorm code (999001)');
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

describe('corrections', () => {
  it('keeps vitals and labs entered in error in the record, with who, when and why, once', async () => {
    const c = await chart();
    const v = value(await c.api.call('vitals.record', { patientId: c.patientId, vitals: { weight: { value: 150, unit: 'kg' } } }));
    const lab = value(await c.api.call('labs.add', { patientId: c.patientId, lab: { test: 'Potassium', value: 9.9, unit: 'mmol/L', collectedOn: '2026-10-01' } }));
    value(await c.api.call('vitals.markError', { patientId: c.patientId, vitalsId: v.id, reason: 'Weight entered in kg, meant lb' }));
    value(await c.api.call('labs.markError', { patientId: c.patientId, labId: lab.id, reason: 'Haemolysed sample' }));
    const again = await c.api.call('vitals.markError', { patientId: c.patientId, vitalsId: v.id, reason: 'twice' });
    expect(!again.ok && again.error.code).toBe('invalid-transition');
    const s = value(await c.api.call('chart.summary', { patientId: c.patientId }));
    expect(s.vitals.map((x) => [x.weightKg, x.enteredInError?.reason, x.enteredInError?.byName])).toEqual([[150, 'Weight entered in kg, meant lb', 'Ada Admin']]);
    expect(s.labs.map((x) => [x.value, x.enteredInError?.reason])).toEqual([[9.9, 'Haemolysed sample']]);
    const other = await c.api.call('vitals.markError', { patientId: c.patientId, vitalsId: lab.id, reason: 'not a vitals id' });
    expect(!other.ok && other.error.code).toBe('not-found');
  });

  it('records vitals for an earlier time, never for a later one', async () => {
    const c = await chart();
    const earlier = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const v = value(await c.api.call('vitals.record', { patientId: c.patientId, vitals: { takenAt: earlier, heartRate: 70 } }));
    expect(v.takenAt).toBe(earlier);
    const later = await c.api.call('vitals.record', { patientId: c.patientId, vitals: { takenAt: new Date(Date.now() + 3_600_000).toISOString(), heartRate: 70 } });
    expect(!later.ok && [later.error.code, later.error.message]).toEqual(['invalid-input', 'Time taken is in the future']);
  });

  it('makes a medication or allergy inactive with its reason, kept apart from the current lists', async () => {
    const c = await chart();
    const med = value(await c.api.call('medications.add', { patientId: c.patientId, medication: { name: 'Metformin', dose: '500 mg', route: 'oral', frequency: 'bid' } }));
    const a = value(await c.api.call('allergies.add', { patientId: c.patientId, allergy: { substance: 'Codeine', reaction: 'Nausea' } }));
    if (med.status !== 'added') throw new Error('setup');
    value(await c.api.call('medications.inactivate', { patientId: c.patientId, medicationId: med.medication.id, reason: 'Patient never started it' }));
    value(await c.api.call('allergies.remove', { patientId: c.patientId, allergyId: a.id, reason: 'Intolerance, not an allergy' }));
    const s = value(await c.api.call('chart.summary', { patientId: c.patientId }));
    expect([s.medications, s.allergies]).toEqual([[], []]);
    expect(s.inactiveMedications.map((m) => [m.name, m.inactive?.reason])).toEqual([['Metformin', 'Patient never started it']]);
    expect(s.inactiveAllergies.map((x) => [x.substance, x.inactive?.reason, x.inactive?.byName])).toEqual([['Codeine', 'Intolerance, not an allergy', 'Ada Admin']]);
    const twice = await c.api.call('medications.inactivate', { patientId: c.patientId, medicationId: med.medication.id, reason: 'again' });
    expect(!twice.ok && twice.error.code).toBe('not-found');
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

  it('refuses values outside plausible ranges, naming the field in words, and stores nothing', async () => {
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
      expect(!r.ok && r.error.fields?.map((f) => f.path), JSON.stringify(vitals)).toContain(`vitals.${field}`);
      expect(!r.ok && r.error.message, JSON.stringify(vitals)).not.toMatch(/heartRate|respiratoryRate|temperatureC|weightKg|heightCm|spo2|vitals\./);
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
    expect(!bad.ok && bad.error.message).toBe('LOINC code is not valid (for example 4548-4)');
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
