// Chart rows: reading encounters and notes with their addenda, and the chart summary, mapped
// to the shared schemas.
import type {
  Allergy, ChartSummary, Correction, Encounter, Immunization, LabResult, Medication, Note, NoteTemplate, Problem, Vitals,
} from '../../../shared/domain/chart';
import { labFlag, StoredAllergyOverride } from '../../../shared/domain/chart';
import { bmi } from '../../../shared/domain/vitals';
import type { ReadTx } from '../db/connection';
import { listAppointments } from '../scheduling/scheduling-repository';
import { documentSelect, toDocumentInfo } from '../documents/document-store';
import { allergyAlerts } from './allergy-alerts';

type Row = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Long lists (thousands of observations) come back as one JSON string built by SQLite: the
 * driver's per-row cost, not SQLCipher, dominates otherwise (about half the time, measured in
 * tests/bench/clinic-day.ts). Column names are code, never input.
 */
async function allViaJson(tx: ReadTx, columns: readonly string[], from: string, orderBy: string, params: readonly string[]): Promise<Row[]> {
  const object = `json_object(${columns.map((c) => `'${c}', ${c}`).join(', ')})`;
  const r = await tx.get<{ j: string | null }>(`SELECT json_group_array(${object} ORDER BY ${orderBy}) AS j FROM ${from}`, params);
  return r?.j ? (JSON.parse(r.j) as Row[]) : [];
}

const corrected = ['error_reason', 'error_by', 'error_at'];
const vitalsColumns = ['id', 'taken_at', 'systolic', 'diastolic', 'heart_rate', 'respiratory_rate', 'temperature_c', 'spo2', 'height_cm', 'weight_kg', ...corrected];
const labColumns = ['id', 'test', 'loinc', 'value', 'unit', 'ref_low', 'ref_high', 'collected_on', ...corrected];

/** Users' display names by id (a clinic's few dozen), for who made each correction. */
export type Names = ReadonlyMap<string, string>;
export async function userNames(tx: ReadTx): Promise<Names> {
  return new Map((await tx.all<{ id: string; display_name: string }>('SELECT id, display_name FROM users')).map((u) => [u.id, u.display_name]));
}
const correction = (reason: unknown, by: unknown, at: unknown, names: Names): Correction | null =>
  reason === null || reason === undefined ? null : { reason: str(reason), byName: names.get(str(by)) ?? 'a former user', at: str(at) };

/** The patient's active allergies, for the check on prescribing. */
export async function activeAllergies(tx: ReadTx, patientId: string, names: Names): Promise<Allergy[]> {
  return (await tx.all<Row>('SELECT * FROM allergies WHERE patient_id = ? AND active = 1 ORDER BY substance', [patientId])).map((r) => toAllergy(r, names));
}

export async function patientExists(tx: ReadTx, id: string): Promise<boolean> {
  return (await tx.get('SELECT 1 AS x FROM patients WHERE id = ?', [id])) !== undefined;
}

export async function findNote(tx: ReadTx, noteId: string): Promise<(Note & { patientId: string }) | undefined> {
  const r = await tx.get<Row>(
    `SELECT n.*, e.patient_id, a.display_name AS author_name, s.display_name AS signer_name
       FROM notes n JOIN encounters e ON e.id = n.encounter_id
       JOIN users a ON a.id = n.author_id LEFT JOIN users s ON s.id = n.signed_by
      WHERE n.id = ?`,
    [noteId],
  );
  if (!r) return undefined;
  const addenda = await tx.all<Row>(
    'SELECT d.id, d.text, d.signed_at, u.display_name FROM addenda d JOIN users u ON u.id = d.author_id WHERE d.note_id = ? ORDER BY d.signed_at, d.id',
    [noteId],
  );
  return {
    id: str(r.id) as Note['id'], encounterId: str(r.encounter_id) as Note['encounterId'], patientId: str(r.patient_id),
    subjective: str(r.subjective), objective: str(r.objective), assessment: str(r.assessment), plan: str(r.plan),
    status: r.status as Note['status'], authorName: str(r.author_name), updatedAt: str(r.updated_at),
    signedByName: r.signer_name ? str(r.signer_name) : null, signedAt: r.signed_at ? str(r.signed_at) : null,
    addenda: addenda.map((d) => ({ id: str(d.id) as Note['addenda'][number]['id'], text: str(d.text), authorName: str(d.display_name), signedAt: str(d.signed_at) })),
  };
}

export async function findEncounter(tx: ReadTx, encounterId: string): Promise<Encounter | undefined> {
  const r = await tx.get<Row>(
    `SELECT e.*, u.display_name AS provider_name, n.id AS note_id FROM encounters e
       JOIN users u ON u.id = e.provider_id JOIN notes n ON n.encounter_id = e.id WHERE e.id = ?`,
    [encounterId],
  );
  if (!r) return undefined;
  const note = await findNote(tx, str(r.note_id));
  if (!note) return undefined;
  const { patientId: _p, ...plainNote } = note;
  return {
    id: str(r.id) as Encounter['id'], patientId: str(r.patient_id) as Encounter['patientId'],
    appointmentId: r.appointment_id ? (str(r.appointment_id) as Encounter['appointmentId']) : null,
    providerName: str(r.provider_name), kind: r.kind as Encounter['kind'], startedAt: str(r.started_at), note: plainNote,
    call: r.call_started_at && r.call_ended_at ? { startedAt: str(r.call_started_at), endedAt: str(r.call_ended_at), seconds: num(r.call_seconds) ?? 0 } : null,
  };
}

export const toProblem = (r: Row): Problem => ({
  id: str(r.id) as Problem['id'], description: str(r.description), icd10: str(r.icd10), onset: str(r.onset),
  status: r.status as Problem['status'], recordedAt: str(r.recorded_at),
});
/** A medication with its alerts against the patient's active allergies, and its override and inactivation kept on the row. */
export function toMedication(r: Row, names: Names, allergies: readonly Allergy[]): Medication {
  const active = r.active === undefined || Number(r.active) === 1;
  const base = { name: str(r.name), rxnorm: str(r.rxnorm) };
  return {
    id: str(r.id) as Medication['id'], ...base, dose: str(r.dose), route: str(r.route), frequency: str(r.frequency),
    start: str(r.start), stop: str(r.stop), recordedAt: str(r.recorded_at),
    allergyAlerts: active ? allergyAlerts(base, allergies) : [],
    allergyOverride: toOverride(r.allergy_override, names),
    inactive: active ? null : correction(r.inactive_reason ?? '', r.inactive_by, r.inactive_at, names),
  };
}
function toOverride(value: unknown, names: Names): Medication['allergyOverride'] {
  if (typeof value !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null; // a synced value is checked on arrival (sync/column-checks.ts); this only guards old rows
  }
  const o = StoredAllergyOverride.safeParse(parsed);
  if (!o.success) return null;
  const { by, ...rest } = o.data;
  return { ...rest, byName: names.get(by) ?? 'a former user' };
}
export const toAllergy = (r: Row, names: Names): Allergy => ({
  id: str(r.id) as Allergy['id'], substance: str(r.substance), reaction: str(r.reaction), severity: r.severity as Allergy['severity'],
  code: str(r.code), recordedAt: str(r.recorded_at),
  inactive: Number(r.active) === 1 ? null : correction(r.inactive_reason ?? '', r.inactive_by, r.inactive_at, names),
});
export const toVitals = (r: Row, names: Names): Vitals => ({
  id: str(r.id) as Vitals['id'], takenAt: str(r.taken_at), systolic: num(r.systolic), diastolic: num(r.diastolic),
  heartRate: num(r.heart_rate), respiratoryRate: num(r.respiratory_rate), temperatureC: num(r.temperature_c), spo2: num(r.spo2),
  heightCm: num(r.height_cm), weightKg: num(r.weight_kg), bmi: bmi(num(r.weight_kg), num(r.height_cm)),
  enteredInError: correction(r.error_reason, r.error_by, r.error_at, names),
});
export const toImmunization = (r: Row): Immunization => ({
  id: str(r.id) as Immunization['id'], vaccine: str(r.vaccine), cvx: str(r.cvx), date: str(r.date), lot: str(r.lot),
});
export const toLab = (r: Row, names: Names): LabResult => {
  const value = Number(r.value);
  const low = num(r.ref_low);
  const high = num(r.ref_high);
  return {
    id: str(r.id) as LabResult['id'], test: str(r.test), loinc: str(r.loinc), value, unit: str(r.unit), refLow: low, refHigh: high,
    collectedOn: str(r.collected_on), flag: labFlag(value, low, high), enteredInError: correction(r.error_reason, r.error_by, r.error_at, names),
  };
};
export const toTemplate = (r: Row): NoteTemplate => ({
  id: str(r.id) as NoteTemplate['id'], name: str(r.name), subjective: str(r.subjective), objective: str(r.objective),
  assessment: str(r.assessment), plan: str(r.plan),
});

export async function chartSummary(tx: ReadTx, patientId: string, today: string, emergencyAccessUntil: string | null): Promise<ChartSummary> {
  const names = await userNames(tx);
  const [problems, medications, allergyRows, nka, vitals, immunizations, labs, documents, encounters] = [
    await tx.all<Row>("SELECT * FROM problems WHERE patient_id = ? ORDER BY status = 'resolved', recorded_at DESC", [patientId]),
    await tx.all<Row>("SELECT * FROM medications WHERE patient_id = ? ORDER BY (stop <> '' AND stop < ?), name", [patientId, today]),
    await tx.all<Row>('SELECT * FROM allergies WHERE patient_id = ? ORDER BY substance', [patientId]),
    await tx.get<{ no_known_allergies: number }>('SELECT no_known_allergies FROM patients WHERE id = ?', [patientId]),
    await allViaJson(tx, vitalsColumns, 'vitals WHERE patient_id = ?', 'taken_at, id', [patientId]),
    await tx.all<Row>('SELECT * FROM immunizations WHERE patient_id = ? ORDER BY date DESC', [patientId]),
    await allViaJson(tx, labColumns, 'lab_results WHERE patient_id = ?', 'collected_on DESC, test, id', [patientId]),
    await tx.all<Row>(`${documentSelect} WHERE d.patient_id = ? ORDER BY d.uploaded_at DESC`, [patientId]),
    await tx.all<Row>(
      `SELECT e.id, e.kind, e.started_at, u.display_name AS provider_name, n.status, n.assessment
         FROM encounters e JOIN users u ON u.id = e.provider_id JOIN notes n ON n.encounter_id = e.id
        WHERE e.patient_id = ? ORDER BY e.started_at DESC`,
      [patientId],
    ),
  ];
  const upcoming = (await listAppointments(tx, { from: today, to: '9999-12-30', patientId }))
    .filter((a) => a.status !== 'cancelled' && a.status !== 'no-show' && a.status !== 'checked-out')
    .slice(0, 20);
  const allAllergies = allergyRows.map((r) => toAllergy(r, names));
  const allergies = allAllergies.filter((a) => !a.inactive);
  const meds = medications.map((r) => toMedication(r, names, allergies));
  return {
    patientId: patientId as ChartSummary['patientId'],
    problems: problems.map(toProblem),
    medications: meds.filter((m) => !m.inactive),
    inactiveMedications: meds.filter((m) => m.inactive),
    allergyStatus: allergies.length > 0 ? 'recorded' : nka?.no_known_allergies === 1 ? 'none' : 'unknown',
    allergies,
    inactiveAllergies: allAllergies.filter((a) => a.inactive),
    vitals: vitals.map((r) => toVitals(r, names)),
    immunizations: immunizations.map(toImmunization),
    labs: labs.map((r) => toLab(r, names)),
    documents: documents.map(toDocumentInfo),
    upcoming,
    encounters: encounters.map((e) => ({
      id: str(e.id) as ChartSummary['encounters'][number]['id'], kind: e.kind as 'appointment' | 'walk-in', startedAt: str(e.started_at),
      providerName: str(e.provider_name), noteStatus: e.status as 'draft' | 'signed', assessment: str(e.assessment).slice(0, 200),
    })),
    emergencyAccessUntil,
  };
}
