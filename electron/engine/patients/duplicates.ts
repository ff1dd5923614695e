// Possible-duplicate detection at registration: the same date of birth and a similar name
// (typos, swapped given and family names), or the same phone number; at registration here and
// when a patient arrives by sync.
import type { PatientFields, PatientSummary } from '../../../shared/domain/patient';
import { phoneDigits } from '../../../shared/domain/patient';
import type { ReadTx } from '../db/connection';
import { findPatient, summaryColumns, toSummary, type PatientRow } from './patient-repository';
import { editDistance, nameTerms } from './patient-search';

const folded = (s: string): string => nameTerms(s).join(' ');

function similar(a: string, b: string): boolean {
  const x = folded(a);
  const y = folded(b);
  if (!x || !y) return false;
  if (x === y || x.startsWith(y) || y.startsWith(x)) return true;
  const max = Math.min(x.length, y.length) >= 8 ? 2 : 1;
  return editDistance(x, y, max) <= max;
}

function firstGiven(s: string): string {
  return nameTerms(s)[0] ?? '';
}

export function namesLookAlike(a: Pick<PatientFields, 'familyName' | 'givenNames'>, b: Pick<PatientFields, 'familyName' | 'givenNames'>): boolean {
  const sameOrder = similar(a.familyName, b.familyName) && similar(firstGiven(a.givenNames), firstGiven(b.givenNames));
  const swapped = similar(a.familyName, firstGiven(b.givenNames)) && similar(firstGiven(a.givenNames), b.familyName);
  return sameOrder || swapped;
}

export async function findPossibleDuplicates(tx: ReadTx, f: PatientFields, excludeId?: string): Promise<PatientSummary[]> {
  const sameDob = await tx.all<PatientRow>(`SELECT ${summaryColumns} FROM patients WHERE date_of_birth = ? AND merged_into IS NULL LIMIT 500`, [f.dateOfBirth]);
  const digits = phoneDigits(f.phone);
  const samePhone = digits.length >= 7
    ? await tx.all<PatientRow>(`SELECT ${summaryColumns} FROM patients WHERE phone_digits = ? AND merged_into IS NULL LIMIT 50`, [digits])
    : [];
  const found = new Map<string, PatientSummary>();
  for (const r of sameDob) {
    if (namesLookAlike(f, { familyName: r.family_name, givenNames: r.given_names })) found.set(r.id, toSummary(r));
  }
  for (const r of samePhone) found.set(r.id, toSummary(r));
  if (excludeId) found.delete(excludeId);
  return [...found.values()];
}

/** Sync's duplicate check (sync/apply.ts `ApplyChecks`): patients who arrived from another workstation and may be someone already here. */
export const duplicateChecks = {
  async newPatients(tx: ReadTx, ids: readonly string[]): Promise<{ rowId: string; detail: string }[]> {
    const found: { rowId: string; detail: string }[] = [];
    for (const id of ids) {
      const p = await findPatient(tx, id);
      if (!p) continue;
      const { id: _i, mrn: _m, createdAt: _c, updatedAt: _u, ...fieldsOf } = p;
      const candidates = await findPossibleDuplicates(tx, fieldsOf, id);
      if (candidates.length > 0) found.push({ rowId: id, detail: `may be MRN ${candidates.map((c) => c.mrn).join(', ')}` });
    }
    return found;
  },
};
