// 0011: what a restore to a point in time set aside: each change set made after the target
// (whose fields the restore took back), with its rows as the history holds them, so an admin
// can look at it and re-apply it. Local to the workstation that restored, never synced.
import type { Migration } from './migration';

export const migration0011: Migration = {
  version: 11,
  name: 'restore-kept-aside',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE restore_kept_aside (
        msg_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        at TEXT NOT NULL,
        rows TEXT NOT NULL,
        fields INTEGER NOT NULL,
        kept_at TEXT NOT NULL,
        reapplied_at TEXT
      ) WITHOUT ROWID;
    `);
  },
};
