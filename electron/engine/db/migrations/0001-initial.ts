// 0001: clinic, users, settings, patients with full-text search, the change log and the
// hash-chained audit log.
import type { Migration } from './migration';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE clinic (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        roles TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
      );

      CREATE TABLE settings (
        id TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE mrn_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next INTEGER NOT NULL
      );
      INSERT INTO mrn_sequence (id, next) VALUES (1, 100001);

      CREATE TABLE patients (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        mrn TEXT NOT NULL UNIQUE,
        family_name TEXT NOT NULL,
        given_names TEXT NOT NULL,
        preferred_name TEXT NOT NULL DEFAULT '',
        date_of_birth TEXT NOT NULL,
        sex_at_birth TEXT NOT NULL,
        gender_identity TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        phone_digits TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        address_line1 TEXT NOT NULL DEFAULT '',
        address_line2 TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        emergency_name TEXT NOT NULL DEFAULT '',
        emergency_relationship TEXT NOT NULL DEFAULT '',
        emergency_phone TEXT NOT NULL DEFAULT '',
        insurance_payer TEXT NOT NULL DEFAULT '',
        insurance_member_id TEXT NOT NULL DEFAULT '',
        insurance_group TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX patients_dob ON patients (date_of_birth);
      CREATE INDEX patients_phone ON patients (phone_digits) WHERE phone_digits <> '';

      -- Names in one column, phone and MRN tokens in another; kept in step by triggers so every
      -- write path (local edits now, sync later) maintains it.
      CREATE VIRTUAL TABLE patient_fts USING fts5 (
        names, numbers,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      CREATE VIEW patient_fts_source AS
        SELECT pk,
          family_name || ' ' || given_names || ' ' || preferred_name AS names,
          -- Whole number, then the national number (without a country code), the local
          -- seven digits and the last four, each findable by prefix.
          mrn || ' ' || phone_digits || ' ' ||
            CASE WHEN length(phone_digits) > 10 THEN substr(phone_digits, -10) ELSE '' END || ' ' ||
            CASE WHEN length(phone_digits) > 7 THEN substr(phone_digits, -7) ELSE '' END || ' ' ||
            CASE WHEN length(phone_digits) > 4 THEN substr(phone_digits, -4) ELSE '' END AS numbers
        FROM patients;
      CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN
        INSERT INTO patient_fts (rowid, names, numbers)
          SELECT pk, names, numbers FROM patient_fts_source WHERE pk = new.pk;
      END;
      CREATE TRIGGER patients_fts_update AFTER UPDATE ON patients BEGIN
        DELETE FROM patient_fts WHERE rowid = old.pk;
        INSERT INTO patient_fts (rowid, names, numbers)
          SELECT pk, names, numbers FROM patient_fts_source WHERE pk = new.pk;
      END;
      CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN
        DELETE FROM patient_fts WHERE rowid = old.pk;
      END;
      CREATE VIRTUAL TABLE patient_terms USING fts5vocab (patient_fts, 'col');

      -- Field-level change rows: the outbox sync will push (DESIGN.md, Sync). msg_id names the
      -- change set (one local transaction), so a transaction travels whole or not at all.
      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        msg_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        col TEXT NOT NULL,
        value TEXT,
        pushed INTEGER NOT NULL DEFAULT 0 CHECK (pushed IN (0, 1))
      );
      CREATE INDEX changes_outbox ON changes (seq) WHERE pushed = 0;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT,
        username TEXT,
        workstation_id TEXT NOT NULL,
        action TEXT NOT NULL,
        patient_id TEXT,
        outcome TEXT NOT NULL,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_by_user ON audit_log (user_id, at);
      CREATE INDEX audit_by_patient ON audit_log (patient_id, at);
      CREATE INDEX audit_by_time ON audit_log (at);
    `);
  },
};
