// 0010: this workstation's daily backup: the folder an admin chose (a USB drive, a NAS share),
// how the last backup went, and the last restore drill (a backup restored to a temporary folder
// and checked). Local to the workstation (the folder is this machine's), never
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
        last_error_at TEXT,
        last_drill_at TEXT,
        last_drill_ok INTEGER CHECK (last_drill_ok IN (0, 1)),
        last_drill_report TEXT
      );
      INSERT INTO backup_schedule (id) VALUES (1);
    `);
  },
};
