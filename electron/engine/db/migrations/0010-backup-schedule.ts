// 0010: this workstation's daily backup: the folder an admin chose (a USB drive, a NAS share),
// and how the last backup went. Local to the workstation (the folder is this machine's), never
// synced.
import type { Migration } from './migration';

export const migration0010: Migration = {
  version: 10,
  name: 'backup-schedule',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE backup_schedule (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        folder TEXT,
        last_at TEXT,
        last_file TEXT,
        last_error TEXT,
        last_error_at TEXT
      );
      INSERT INTO backup_schedule (id) VALUES (1);
    `);
  },
};
