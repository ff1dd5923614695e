// Patient search as the front desk uses it: parts of names, dates of birth in the ways people
// type them, phone numbers, MRNs, typos, and exact matches ranked first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientFields } from '../../../shared/domain/patient';
import { isValidMrn } from '../../../electron/engine/patients/mrn';
import { patient, setUpClinic, value } from '../../helpers/engine';

let c: Awaited<ReturnType<typeof setUpClinic>>;
const people: Partial<PatientFields>[] = [
  { familyName: 'Okafor', givenNames: 'Chidinma Grace', dateOfBirth: '1984-06-02', phone: '(555) 201-4477' },
  { familyName: 'Okafor', givenNames: 'Emeka', dateOfBirth: '1982-11-30', phone: '555-201-4478' },
  { familyName: 'Müller-Lüdenscheidt', givenNames: 'Jürgen', preferredName: 'Jay', dateOfBirth: '1961-02-14', phone: '+1 555 777 0101' },
  { familyName: "O'Brien", givenNames: 'Siobhan', dateOfBirth: '1999-09-09', phone: '' },
  { familyName: 'Nguyen', givenNames: 'Thi Bich', dateOfBirth: '1975-03-07', phone: '555 303 1212' },
  { familyName: 'Smith', givenNames: 'John', dateOfBirth: '1990-01-01', phone: '555-111-2222' },
  { familyName: 'Smithers', givenNames: 'Waylon', dateOfBirth: '1950-05-05', phone: '555-111-3333' },
  // Registered before Smith, Kaitlin: ranking by insertion or by term frequency would put it first.
  { familyName: 'Smitham', givenNames: 'Ardith', dateOfBirth: '1971-07-07', phone: '555-111-5555' },
  { familyName: 'Smith', givenNames: 'Kaitlin', dateOfBirth: '1993-03-03', phone: '555-111-6666' },
  { familyName: 'Schmidt', givenNames: 'Johanna', dateOfBirth: '1980-12-12', phone: '555-111-4444' },
];
const mrns = new Map<string, string>();

const names = async (query: string) =>
  value(await c.api.call('patients.search', { query })).results.map((r) => `${r.familyName}, ${r.givenNames}`);

beforeAll(async () => {
  c = await setUpClinic();
  for (const p of people) {
    const r = value(await c.api.call('patients.register', { fields: patient({ ...p }), duplicateOverride: { reason: 'test fixture family' } }));
    if (r.status !== 'created') throw new Error('setup');
    mrns.set(p.familyName + (p.givenNames ?? ''), r.patient.mrn);
  }
});
afterAll(async () => c.cleanup());

describe('patient search', () => {
  it('puts an exact family name before longer names that start with it', async () => {
    const found = await names('smith');
    expect(found.slice(0, 2).sort()).toEqual(['Smith, John', 'Smith, Kaitlin']);
    expect(found.slice(2)).toEqual(expect.arrayContaining(['Smitham, Ardith', 'Smithers, Waylon']));
    expect(found.indexOf('Smith, Kaitlin')).toBeLessThan(found.indexOf('Smitham, Ardith'));
  });

  it('finds an MRN typed without its leading zero', async () => {
    const mrn = mrns.get('SmithJohn') ?? '';
    expect(mrn.startsWith('0')).toBe(true);
    expect(await names(mrn.replace(/^0+/, ''))).toEqual(['Smith, John']);
    expect(await names(mrn)).toEqual(['Smith, John']);
  });

  it('finds by any part of a name, in any order, ignoring case and accents', async () => {
    expect(await names('okaf')).toEqual(expect.arrayContaining(['Okafor, Chidinma Grace', 'Okafor, Emeka']));
    expect(await names('grace okafor')).toEqual(['Okafor, Chidinma Grace']);
    expect(await names('muller')).toEqual(['Müller-Lüdenscheidt, Jürgen']);
    expect(await names('ludensch')).toEqual(['Müller-Lüdenscheidt, Jürgen']);
    expect(await names('jay')).toEqual(['Müller-Lüdenscheidt, Jürgen']);
    expect(await names("o'brien")).toEqual(["O'Brien, Siobhan"]);
    expect(await names('bich')).toEqual(['Nguyen, Thi Bich']);
  });

  it('finds by date of birth typed as ISO or as month/day/year', async () => {
    for (const q of ['1975-03-07', '03/07/1975', '3/7/1975', '3-7-1975']) expect(await names(q), q).toEqual(['Nguyen, Thi Bich']);
    expect(await names('okafor 1982-11-30')).toEqual(['Okafor, Emeka']);
    expect(await names('02/30/1980')).toEqual([]);
  });

  it('finds by phone number, whole or its last seven or four digits, however it is punctuated', async () => {
    for (const q of ['5552014477', '(555) 201-4477', '555 201 4477', '2014477', '4477']) {
      expect(await names(q), q).toEqual(['Okafor, Chidinma Grace']);
    }
    expect(await names('5557770101')).toEqual(['Müller-Lüdenscheidt, Jürgen']);
  });

  it('finds by MRN, and MRNs carry a valid check digit', async () => {
    const mrn = mrns.get('NguyenThi Bich') as string;
    expect(isValidMrn(mrn)).toBe(true);
    expect(await names(mrn)).toEqual(['Nguyen, Thi Bich']);
  });

  it('tolerates typos, ranking exact matches first', async () => {
    expect(await names('okafro')).toEqual(expect.arrayContaining(['Okafor, Chidinma Grace', 'Okafor, Emeka']));
    expect(await names('siobahn')).toEqual(["O'Brien, Siobhan"]);
    expect(await names('ngyuen')).toEqual(['Nguyen, Thi Bich']);
    const r = value(await c.api.call('patients.search', { query: 'smith' }));
    expect(r.results[0]?.familyName).toBe('Smith');
    expect(r.results.map((x) => x.familyName)).toContain('Smithers');
    const typo = value(await c.api.call('patients.search', { query: 'schmit' }));
    expect(typo.fuzzy).toBe(true);
    expect(typo.results.map((x) => x.familyName)).toContain('Schmidt');
  });

  it('finds nothing for nonsense rather than everything', async () => {
    expect(await names('qqqqzzzz')).toEqual([]);
    expect(await names('"')).toEqual([]);
    expect(await names('a* OR b*')).toEqual([]);
  });

  it('finds a patient under their new name after an edit', async () => {
    const r = value(await c.api.call('patients.search', { query: 'waylon' }));
    const id = r.results[0]!.id;
    const current = value(await c.api.call('patients.get', { patientId: id }));
    const { id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...fields } = current;
    value(await c.api.call('patients.update', { patientId: id, fields: { ...fields, familyName: 'Wellington' } }));
    expect(await names('wellingt')).toEqual(['Wellington, Waylon']);
    expect(await names('smithers')).toEqual([]);
  });
});
