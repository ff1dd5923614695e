// The synced tables and their columns: what travels between workstations, and the only names
// a mutation (or a remote change set) may touch; never caller text.
import type { SqlValue } from './connection';

/** Synced tables and their columns: the only names a mutation may touch (never caller text). */
export const syncedTables = {
  clinic: ['name', 'created_at', 'recovery_public_key'],
  users: ['username', 'display_name', 'roles', 'disabled', 'created_at', 'key_record'],
  settings: ['value'],
  patients: [
    'mrn', 'family_name', 'given_names', 'preferred_name', 'date_of_birth', 'sex_at_birth', 'gender_identity',
    'phone', 'phone_digits', 'email', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country',
    'emergency_name', 'emergency_relationship', 'emergency_phone', 'insurance_payer', 'insurance_member_id',
    'insurance_group', 'created_at', 'updated_at', 'no_known_allergies', 'merged_into', 'merged_at',
  ],
  providers: ['active'],
  appointment_types: ['name', 'duration_minutes', 'mode', 'active'],
  appointments: [
    'patient_id', 'provider_id', 'type_id', 'start', 'duration_minutes', 'reason', 'status', 'cancel_reason',
    'checked_in_at', 'roomed_at', 'with_provider_at', 'checked_out_at', 'created_at', 'updated_at',
  ],
  encounters: ['patient_id', 'appointment_id', 'provider_id', 'kind', 'started_at', 'call_started_at', 'call_ended_at', 'call_seconds'],
  notes: ['encounter_id', 'author_id', 'subjective', 'objective', 'assessment', 'plan', 'status', 'signed_by', 'signed_at', 'updated_at'],
  addenda: ['note_id', 'author_id', 'text', 'signed_at'],
  note_templates: ['name', 'subjective', 'objective', 'assessment', 'plan'],
  problems: ['patient_id', 'description', 'icd10', 'onset', 'status', 'recorded_by', 'recorded_at'],
  medications: [
    'patient_id', 'name', 'dose', 'route', 'frequency', 'rxnorm', 'start', 'stop', 'recorded_by', 'recorded_at',
    'active', 'inactive_reason', 'inactive_by', 'inactive_at', 'allergy_override',
  ],
  allergies: ['patient_id', 'substance', 'reaction', 'severity', 'code', 'active', 'recorded_by', 'recorded_at', 'inactive_reason', 'inactive_by', 'inactive_at'],
  vitals: [
    'patient_id', 'encounter_id', 'taken_at', 'systolic', 'diastolic', 'heart_rate', 'respiratory_rate',
    'temperature_c', 'spo2', 'height_cm', 'weight_kg', 'recorded_by', 'error_reason', 'error_by', 'error_at',
  ],
  immunizations: ['patient_id', 'vaccine', 'cvx', 'date', 'lot', 'recorded_by'],
  lab_results: [
    'patient_id', 'test', 'loinc', 'value', 'unit', 'ref_low', 'ref_high', 'collected_on', 'recorded_by', 'error_reason', 'error_by', 'error_at',
  ],
  documents: ['patient_id', 'title', 'mime', 'bytes', 'content', 'uploaded_by', 'uploaded_at', 'blob_id', 'blob_key', 'sha256', 'chunks'],
  emergency_access: ['user_id', 'patient_id', 'reason', 'granted_at', 'expires_at'],
  video_visits: ['appointment_id', 'link_token', 'identity_key', 'valid_from', 'valid_until', 'created_by', 'created_at', 'revoked_at', 'started_at', 'ended_at'],
} as const satisfies Record<string, readonly string[]>;

export type SyncedTable = keyof typeof syncedTables;
export type Columns<T extends SyncedTable> = (typeof syncedTables)[T][number];
export type RowValues<T extends SyncedTable> = Partial<Record<Columns<T>, SqlValue>>;
