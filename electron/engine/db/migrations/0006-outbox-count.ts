// 0006: the number of change sets waiting to leave this workstation, kept as a counter beside
// the change log (one more per local write, fewer as they are pushed, in the same
// transactions), so the sync badge asks one row instead of counting a backlog of any size. And
// the kind of material each set-aside item from the cloud is (a change set, a key wrap, a
// snapshot, a user's key record, a visit frame), so the admin sees all of them in one list.
import type { Migration } from './migration';

export const migration0006: Migration = {
  version: 6,
  name: 'outbox-count',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE sync_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO sync_counters (name, value) SELECT 'pending', count(DISTINCT msg_id) FROM changes WHERE pushed = 0;
      ALTER TABLE sync_quarantine ADD COLUMN kind TEXT NOT NULL DEFAULT 'change-set';
    `);
  },
};
