// Patient rows: mapping between the shared schema and the table, and the writes, all of which
// go through the Mutator.
import { type Patient, type PatientFields, type PatientList, type PatientSummary, phoneDigits } from '../../../shared/domain/patient';
import type { Mrn, PatientId } from '../../../shared/domain/ids';
import type { ReadTx, Tx } from '../db/connection';
import type { Mutator, RowValues } from '../db/mutation';
import { formatMrn } from './mrn';

export interface PatientRow {
  pk: number;
  id: string;
  mrn: string;
  family_name: string;
  given_names: string;
  preferred_name: string;
  date_of_birth: string;
  sex_at_birth: string;
  gender_identity: string;
  phone: string;
  phone_digits: string;
  email: string;
  address_line1: string;
  address_line2: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  emergency_name: string;
  emergency_relationship: string;
  emergency_phone: string;
  insurance_payer: string;
  insurance_member_id: string;
  insurance_group: string;
  created_at: string;
  updated_at: string;
}

export const summaryColumns = 'id, mrn, family_name, given_names, preferred_name, date_of_birth, phone';

export function toSummary(r: Pick<PatientRow, 'id' | 'mrn' | 'family_name' | 'given_names' | 'preferred_name' | 'date_of_birth' | 'phone'>): PatientSummary {
  return {
    id: r.id as PatientSummary['id'], mrn: r.mrn as PatientSummary['mrn'], familyName: r.family_name, givenNames: r.given_names,
    preferredName: r.preferred_name, dateOfBirth: r.date_of_birth, phone: r.phone,
  };
}

export function toPatient(r: PatientRow): Patient {
  return {
    id: r.id as Patient['id'], mrn: r.mrn as Patient['mrn'],
    familyName: r.family_name, givenNames: r.given_names, preferredName: r.preferred_name, dateOfBirth: r.date_of_birth,
    sexAtBirth: r.sex_at_birth as Patient['sexAtBirth'], genderIdentity: r.gender_identity as Patient['genderIdentity'],
    phone: r.phone, email: r.email, addressLine1: r.address_line1, addressLine2: r.address_line2, city: r.city,
    region: r.region, postalCode: r.postal_code, country: r.country, emergencyName: r.emergency_name,
    emergencyRelationship: r.emergency_relationship, emergencyPhone: r.emergency_phone,
    insurancePayer: r.insurance_payer, insuranceMemberId: r.insurance_member_id, insuranceGroup: r.insurance_group,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function toColumns(f: PatientFields): RowValues<'patients'> {
  return {
    family_name: f.familyName, given_names: f.givenNames, preferred_name: f.preferredName, date_of_birth: f.dateOfBirth,
    sex_at_birth: f.sexAtBirth, gender_identity: f.genderIdentity, phone: f.phone, phone_digits: phoneDigits(f.phone),
    email: f.email, address_line1: f.addressLine1, address_line2: f.addressLine2, city: f.city, region: f.region,
    postal_code: f.postalCode, country: f.country, emergency_name: f.emergencyName,
    emergency_relationship: f.emergencyRelationship, emergency_phone: f.emergencyPhone, insurance_payer: f.insurancePayer,
    insurance_member_id: f.insuranceMemberId, insurance_group: f.insuranceGroup,
  };
}

export async function findPatient(tx: ReadTx, id: string): Promise<Patient | undefined> {
  const row = await tx.get<PatientRow>('SELECT * FROM patients WHERE id = ?', [id]);
  return row ? toPatient(row) : undefined;
}

/** Takes the next MRNs for `count` patients from this workstation's own range. */
export async function reserveMrns(tx: Tx, count: number): Promise<string[]> {
  const row = await tx.get<{ next: number }>('SELECT next FROM mrn_sequence WHERE id = 1');
  const ws = await tx.get<{ number: number }>('SELECT number FROM workstation WHERE id = 1');
  const first = row?.next ?? 1;
  await tx.run('UPDATE mrn_sequence SET next = ? WHERE id = 1', [first + count]);
  return Array.from({ length: count }, (_, i) => formatMrn(ws?.number ?? 1, first + i));
}

export async function insertPatient(m: Mutator, id: string, mrn: string, fields: PatientFields, now: string): Promise<void> {
  await m.insert('patients', id, { mrn, ...toColumns(fields), created_at: now, updated_at: now });
}

/** Bulk registration (seeding, benchmarks): one multi-row insert per chunk. Returns ids. */
export async function insertPatients(m: Mutator, list: readonly PatientFields[], newId: () => string, now: string): Promise<string[]> {
  const mrns = await reserveMrns(m.local, list.length);
  const rows = list.map((f, i) => ({ id: newId(), values: { mrn: mrns[i] as string, ...toColumns(f), created_at: now, updated_at: now } }));
  await m.insertMany('patients', rows);
  return rows.map((r) => r.id);
}

/** Returns the names of the fields that changed. */
export async function updatePatient(m: Mutator, id: string, fields: PatientFields, now: string): Promise<string[]> {
  const n = await m.update('patients', id, toColumns(fields));
  if (n > 0) await m.update('patients', id, { updated_at: now });
  return m.changedColumns('patients', id).filter((c) => c !== 'updated_at' && c !== 'phone_digits');
}

/** A page of every current (not merged-away) patient in registration order, and where the next starts. */
export async function listPatients(tx: ReadTx, after: string | null, limit: number): Promise<PatientList> {
  const rows = await tx.all<{ id: string; mrn: string; family_name: string; given_names: string; preferred_name: string; date_of_birth: string }>(
    `SELECT id, mrn, family_name, given_names, preferred_name, date_of_birth FROM patients
      WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?`,
    [after ?? '', limit + 1],
  );
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id as PatientId, mrn: r.mrn as Mrn, familyName: r.family_name, givenNames: r.given_names, preferredName: r.preferred_name, dateOfBirth: r.date_of_birth,
  }));
  return { patients: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
