// 0009: the clinic-wide audit trail. Every workstation's audit rows travel to the others,
// sealed like the record (sync/audit-sync.ts); here they are kept as they arrived, each
// workstation's own hash chain intact, never changed or deleted (triggers refuse both). This
// workstation sends its own rows from `audit_log` after `audit_sent_seq`; the clinic's
// workstations are named as each says in its batches.
import type { Migration } from './migration';

export const migration0009: Migration = {
  version: 9,
  name: 'clinic-audit',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE clinic_audit (
        workstation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        user_id TEXT,
        username TEXT,
        action TEXT NOT NULL,
        patient_id TEXT,
        outcome TEXT NOT NULL,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        device_id TEXT NOT NULL,
        PRIMARY KEY (workstation_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX clinic_audit_by_time ON clinic_audit (at);
      CREATE INDEX clinic_audit_by_user ON clinic_audit (user_id, at);
      CREATE INDEX clinic_audit_by_patient ON clinic_audit (patient_id, at);
      CREATE TRIGGER clinic_audit_no_update BEFORE UPDATE ON clinic_audit BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;
      CREATE TRIGGER clinic_audit_no_delete BEFORE DELETE ON clinic_audit BEGIN SELECT RAISE(ABORT, 'audit rows are never deleted'); END;
      CREATE TABLE workstation_names (
        workstation_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        name TEXT NOT NULL,
        number INTEGER NOT NULL
      );
      ALTER TABLE sync_identity ADD COLUMN audit_sent_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sync_identity ADD COLUMN device_name TEXT;
    `);
  },
};
