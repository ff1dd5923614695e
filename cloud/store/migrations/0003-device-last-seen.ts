// When each workstation last reached the cloud (the Workstations page shows it).
import type { CloudMigration } from './migration';

export const m0003: CloudMigration = {
  version: 3,
  name: 'device-last-seen',
  // SQLite has no ADD COLUMN IF NOT EXISTS: the runner skips a statement whose column exists
  // (a database adopted from before numbered migrations may have it already).
  sqlite: 'ALTER TABLE devices ADD COLUMN last_seen_at TEXT;',
  postgres: 'ALTER TABLE devices ADD COLUMN IF NOT EXISTS last_seen_at timestamptz;',
};
