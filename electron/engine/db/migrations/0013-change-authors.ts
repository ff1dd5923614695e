// 0013: who made each change set written here (the signed-in user's id), so it can travel
// sealed with the change set and one user's changes can be undone. One row per change set, not
// per field: the change log is already most of the database's size.
import type { Migration } from './migration';

export const migration0013: Migration = {
  version: 13,
  name: 'change-authors',
  async up(tx) {
    await tx.exec('CREATE TABLE change_authors (msg_id TEXT PRIMARY KEY, user_id TEXT NOT NULL) WITHOUT ROWID;');
  },
};
