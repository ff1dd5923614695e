// 0004: what makes the record clinic-wide rather than per workstation. Each user carries their
// key record (public key and password-sealed private key) so they can sign in on any enrolled
// workstation; the clinic row carries the recovery public key, so whichever workstation rotates
// the tenant key can wrap the new one to it; a patient merged into another keeps its row, marked;
// the workstation remembers up to where the clinic's newest snapshot reaches; and refused
// messages can be acknowledged by the admin who looked at them.
import type { Migration } from './migration';

export const migration0004: Migration = {
  version: 4,
  name: 'clinic-wide',
  async up(tx) {
    await tx.exec(`
      ALTER TABLE users ADD COLUMN key_record TEXT;
      ALTER TABLE clinic ADD COLUMN recovery_public_key TEXT;
      ALTER TABLE patients ADD COLUMN merged_into TEXT;
      ALTER TABLE patients ADD COLUMN merged_at TEXT;
      ALTER TABLE sync_identity ADD COLUMN snapshot_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sync_quarantine ADD COLUMN acknowledged_at TEXT;
      CREATE INDEX patients_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;
    `);
  },
};
