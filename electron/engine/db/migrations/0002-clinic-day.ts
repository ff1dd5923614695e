// 0002: scheduling (providers, clinic hours, appointment types, appointments) and the chart
// (encounters, SOAP notes and addenda, templates, problems, medications, allergies, vitals,
// immunizations, lab results, documents) and emergency access grants.
import type { Migration } from './migration';

export const migration0002: Migration = {
  version: 2,
  name: 'clinic-day',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE providers (
        id TEXT PRIMARY KEY REFERENCES users (id),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      );

      CREATE TABLE appointment_types (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
        mode TEXT NOT NULL CHECK (mode IN ('in-person', 'video')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      );

      CREATE TABLE appointments (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        provider_id TEXT NOT NULL REFERENCES users (id),
        type_id TEXT NOT NULL REFERENCES appointment_types (id),
        start TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'scheduled'
          CHECK (status IN ('scheduled', 'checked-in', 'roomed', 'with-provider', 'checked-out', 'cancelled', 'no-show')),
        cancel_reason TEXT NOT NULL DEFAULT '',
        checked_in_at TEXT,
        roomed_at TEXT,
        with_provider_at TEXT,
        checked_out_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX appointments_by_day ON appointments (start);
      CREATE INDEX appointments_by_provider ON appointments (provider_id, start);
      CREATE INDEX appointments_by_patient ON appointments (patient_id, start);

      CREATE TABLE encounters (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        appointment_id TEXT UNIQUE REFERENCES appointments (id),
        provider_id TEXT NOT NULL REFERENCES users (id),
        kind TEXT NOT NULL CHECK (kind IN ('appointment', 'walk-in')),
        started_at TEXT NOT NULL
      );
      CREATE INDEX encounters_by_patient ON encounters (patient_id, started_at);

      CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        encounter_id TEXT NOT NULL UNIQUE REFERENCES encounters (id),
        author_id TEXT NOT NULL REFERENCES users (id),
        subjective TEXT NOT NULL DEFAULT '',
        objective TEXT NOT NULL DEFAULT '',
        assessment TEXT NOT NULL DEFAULT '',
        plan TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
        signed_by TEXT REFERENCES users (id),
        signed_at TEXT,
        updated_at TEXT NOT NULL
      );
      -- A signed note never changes: the engine refuses first, and this refuses anything else.
      CREATE TRIGGER notes_signed_are_immutable BEFORE UPDATE ON notes WHEN old.status = 'signed' BEGIN
        SELECT RAISE(ABORT, 'note-signed');
      END;
      CREATE TRIGGER notes_signed_are_kept BEFORE DELETE ON notes WHEN old.status = 'signed' BEGIN
        SELECT RAISE(ABORT, 'note-signed');
      END;

      CREATE TABLE addenda (
        id TEXT PRIMARY KEY,
        note_id TEXT NOT NULL REFERENCES notes (id),
        author_id TEXT NOT NULL REFERENCES users (id),
        text TEXT NOT NULL,
        signed_at TEXT NOT NULL
      );
      CREATE INDEX addenda_by_note ON addenda (note_id, signed_at);
      CREATE TRIGGER addenda_are_immutable BEFORE UPDATE ON addenda BEGIN
        SELECT RAISE(ABORT, 'note-signed');
      END;

      CREATE TABLE note_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        subjective TEXT NOT NULL DEFAULT '',
        objective TEXT NOT NULL DEFAULT '',
        assessment TEXT NOT NULL DEFAULT '',
        plan TEXT NOT NULL DEFAULT ''
      );

      CREATE TABLE problems (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        description TEXT NOT NULL,
        icd10 TEXT NOT NULL DEFAULT '',
        onset TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('active', 'resolved')),
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX problems_by_patient ON problems (patient_id);

      CREATE TABLE medications (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        name TEXT NOT NULL,
        dose TEXT NOT NULL DEFAULT '',
        route TEXT NOT NULL DEFAULT '',
        frequency TEXT NOT NULL DEFAULT '',
        rxnorm TEXT NOT NULL DEFAULT '',
        start TEXT NOT NULL DEFAULT '',
        stop TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX medications_by_patient ON medications (patient_id);

      CREATE TABLE allergies (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        substance TEXT NOT NULL,
        reaction TEXT NOT NULL DEFAULT '',
        severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),
        code TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX allergies_by_patient ON allergies (patient_id);
      ALTER TABLE patients ADD COLUMN no_known_allergies INTEGER NOT NULL DEFAULT 0 CHECK (no_known_allergies IN (0, 1));

      CREATE TABLE vitals (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        encounter_id TEXT REFERENCES encounters (id),
        taken_at TEXT NOT NULL,
        systolic REAL, diastolic REAL, heart_rate REAL, respiratory_rate REAL,
        temperature_c REAL, spo2 REAL, height_cm REAL, weight_kg REAL,
        recorded_by TEXT NOT NULL
      );
      CREATE INDEX vitals_by_patient ON vitals (patient_id, taken_at);

      CREATE TABLE immunizations (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        vaccine TEXT NOT NULL,
        cvx TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL,
        lot TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL
      );
      CREATE INDEX immunizations_by_patient ON immunizations (patient_id, date);

      CREATE TABLE lab_results (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        test TEXT NOT NULL,
        loinc TEXT NOT NULL DEFAULT '',
        value REAL NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        ref_low REAL,
        ref_high REAL,
        collected_on TEXT NOT NULL,
        recorded_by TEXT NOT NULL
      );
      CREATE INDEX labs_by_patient ON lab_results (patient_id, collected_on);

      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        title TEXT NOT NULL,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        content BLOB NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL
      );
      CREATE INDEX documents_by_patient ON documents (patient_id, uploaded_at);

      CREATE TABLE emergency_access (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        patient_id TEXT NOT NULL REFERENCES patients (id),
        reason TEXT NOT NULL,
        granted_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX emergency_by_user ON emergency_access (user_id, patient_id, expires_at);
    `);
  },
};
