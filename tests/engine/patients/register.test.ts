// Registration: unique MRNs, the duplicate warning and its audited override, edits.
import { afterEach, describe, expect, it } from 'vitest';
import { patient, setUpClinic, value } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function clinic() {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  return c;
}

describe('registering patients', () => {
  it('assigns each patient a different MRN', async () => {
    const c = await clinic();
    const mrns = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = value(await c.api.call('patients.register', { fields: patient({ familyName: `Family${String.fromCharCode(97 + i)}x`, givenNames: 'Pat', dateOfBirth: `1970-01-${String(i + 1).padStart(2, '0')}`, phone: '' }) }));
      if (r.status !== 'created') throw new Error(`unexpected duplicate warning at ${i}`);
      mrns.add(r.patient.mrn);
    }
    expect(mrns.size).toBe(20);
  });

  it('warns of a possible duplicate (same birth date and a similar name, or same phone) and registers nothing', async () => {
    const c = await clinic();
    value(await c.api.call('patients.register', { fields: patient() }));
    const cases = [
      patient({ familyName: 'Okafor', givenNames: 'Chidinma', phone: '' }),          // same name, same DOB
      patient({ familyName: 'Okafur', givenNames: 'Chidinma', phone: '' }),          // typo
      patient({ familyName: 'Chidinma', givenNames: 'Okafor', phone: '' }),          // swapped
      patient({ familyName: 'Adeyemi', givenNames: 'Bola', dateOfBirth: '2001-02-03' }), // same phone
    ];
    for (const fields of cases) {
      const r = value(await c.api.call('patients.register', { fields }));
      expect(r.status, `${fields.familyName} ${fields.givenNames}`).toBe('possible-duplicates');
      if (r.status === 'possible-duplicates') expect(r.candidates.map((x) => x.familyName)).toEqual(['Okafor']);
    }
    expect(value(await c.api.call('patients.search', { query: 'okafor' })).results).toHaveLength(1);
    // Not a duplicate: a different person born the same day.
    const other = value(await c.api.call('patients.register', { fields: patient({ familyName: 'Lindqvist', givenNames: 'Astrid', phone: '' }) }));
    expect(other.status).toBe('created');
  });

  it('registers anyway with a reason, and the override and its reason are in the audit log', async () => {
    const c = await clinic();
    value(await c.api.call('patients.register', { fields: patient() }));
    const short = await c.api.call('patients.register', { fields: patient(), duplicateOverride: { reason: 'no' } });
    expect(!short.ok && short.error.code).toBe('invalid-input');
    const r = value(await c.api.call('patients.register', { fields: patient(), duplicateOverride: { reason: 'Twin sister with the same name spelling' } }));
    expect(r.status).toBe('created');
    if (r.status !== 'created') return;
    const audit = value(await c.api.call('audit.query', { patientId: r.patient.id }));
    expect(audit[0]).toMatchObject({ action: 'patients.register-duplicate-override', outcome: 'success' });
    expect(audit[0]?.detail).toContain('Twin sister with the same name spelling');
  });

  it('edits demographics, audits which fields changed, and refuses unknown patients', async () => {
    const c = await clinic();
    const r = value(await c.api.call('patients.register', { fields: patient() }));
    if (r.status !== 'created') throw new Error('setup');
    const { id, mrn, createdAt: _c, updatedAt: _u, ...fields } = r.patient;
    const updated = value(await c.api.call('patients.update', { patientId: id, fields: { ...fields, email: 'chi@example.org', insurancePayer: 'Medicare' } }));
    expect(updated).toMatchObject({ email: 'chi@example.org', insurancePayer: 'Medicare', mrn });
    const audit = value(await c.api.call('audit.query', { patientId: id }));
    expect(audit[0]).toMatchObject({ action: 'patients.update', detail: 'fields=email,insurance_payer' });
    const missing = await c.api.call('patients.get', { patientId: '00000000-0000-7000-8000-000000000000' as never });
    expect(!missing.ok && missing.error.code).toBe('patient-not-found');
  });
});
