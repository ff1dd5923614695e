// 0003: what sync needs locally: the winning clock of every field (last-writer-wins), the
// messages already applied, messages refused (for the admin), conflicts kept for a person, and
// the workstation's number and sync identity. None of these tables is synced.
import type { Migration } from './migration';

export const migration0003: Migration = {
  version: 3,
  name: 'sync',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE field_versions (
        tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL, hlc TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, col)
      ) WITHOUT ROWID;
      INSERT INTO field_versions (tbl, row_id, col, hlc)
        SELECT tbl, row_id, col, max(hlc) FROM changes GROUP BY tbl, row_id, col;

      CREATE TABLE applied_messages (
        msg_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, device_id TEXT NOT NULL, applied_at TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE sync_quarantine (
        msg_id TEXT NOT NULL, seq INTEGER NOT NULL, device_id TEXT NOT NULL, reason TEXT NOT NULL, received_at TEXT NOT NULL,
        PRIMARY KEY (msg_id, seq)
      );

      CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('signed-note-changed', 'possible-duplicate')),
        tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT, value TEXT, hlc TEXT,
        from_device TEXT NOT NULL, detail TEXT, recorded_at TEXT NOT NULL, resolved_at TEXT
      );
      CREATE INDEX sync_conflicts_open ON sync_conflicts (recorded_at) WHERE resolved_at IS NULL;

      -- This workstation's number in its clinic (1 for the first; the cloud numbers the rest at
      -- enrollment). MRNs carry it, so two workstations never assign the same MRN offline.
      CREATE TABLE workstation (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99));
      INSERT INTO workstation (id, number) VALUES (1, 1);
      UPDATE mrn_sequence SET next = 1 WHERE next = 100001;

      -- Who this workstation is to its clinic's cloud, and the clinic's tenant keys. Private keys
      -- live only here, inside the encrypted database.
      CREATE TABLE sync_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1), cloud_url TEXT NOT NULL, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL,
        signing_key BLOB NOT NULL, box_key BLOB NOT NULL, cursor INTEGER NOT NULL DEFAULT 0, enrolled_at TEXT NOT NULL
      );
      CREATE TABLE tenant_keys (kid TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL);
    `);
  },
};
