// Merging two records of one person, done only by a person (sync flags possible duplicates and
// never merges). Everything recorded under the merged record moves to the kept one; blanks in
// the kept demographics are filled from the merged one; the merged record stays, marked, so
// its MRN still leads somewhere and nothing is deleted. It travels to the other workstations
// as ordinary field changes.
import type { PatientFields } from '../../../shared/domain/patient';
import { emptyPatientFields } from '../../../shared/domain/patient';
import { fail, ok, type Result } from '../../../shared/errors';
import type { Mutator, SyncedTable } from '../db/mutation';
import { findPatient, updatePatient } from './patient-repository';

/** Every synced table that hangs off a patient. */
export const patientChildTables = [
  'appointments', 'encounters', 'problems', 'medications', 'allergies', 'vitals', 'immunizations', 'lab_results', 'documents', 'emergency_access',
] as const satisfies readonly SyncedTable[];

export async function mergePatients(m: Mutator, keepId: string, mergeId: string, now: string): Promise<Result<{ moved: number; mergedMrn: string; keptMrn: string }>> {
  if (keepId === mergeId) return fail('invalid-input', 'Choose two different records.');
  const keep = await findPatient(m.tx, keepId);
  const merge = await findPatient(m.tx, mergeId);
  if (!keep || !merge) return fail('patient-not-found', 'No patient with that id.');
  const marks = await m.tx.all<{ id: string; merged_into: string | null }>('SELECT id, merged_into FROM patients WHERE id IN (?, ?)', [keepId, mergeId]);
  if (marks.some((r) => r.merged_into)) return fail('patient-merged', 'One of these records has already been merged into another.');

  let moved = 0;
  for (const table of patientChildTables) {
    const rows = await m.tx.all<{ id: string }>(`SELECT id FROM ${table} WHERE patient_id = ?`, [mergeId]);
    for (const r of rows) await m.update(table, r.id, { patient_id: keepId });
    moved += rows.length;
  }
  const filled = { ...keep } as PatientFields;
  for (const k of Object.keys(emptyPatientFields) as (keyof PatientFields)[]) {
    if (!keep[k] && merge[k]) (filled as Record<string, unknown>)[k] = merge[k];
  }
  await updatePatient(m, keepId, filled, now);
  // Allergies that came over mean "no known allergies" no longer holds.
  const allergies = await m.tx.get<{ n: number }>('SELECT count(*) AS n FROM allergies WHERE patient_id = ? AND active = 1', [keepId]);
  if ((allergies?.n ?? 0) > 0) await m.update('patients', keepId, { no_known_allergies: 0 });
  await m.update('patients', mergeId, { merged_into: keepId, merged_at: now });
  await m.local.run(
    "UPDATE sync_conflicts SET resolved_at = ? WHERE kind = 'possible-duplicate' AND row_id IN (?, ?) AND resolved_at IS NULL",
    [now, keepId, mergeId],
  );
  return ok({ moved, mergedMrn: merge.mrn, keptMrn: keep.mrn });
}
