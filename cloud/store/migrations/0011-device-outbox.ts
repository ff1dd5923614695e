// What each workstation had not sent yet when it last reached the cloud: how many change sets
// and the oldest one's time (counts and a time, never content). Admins read the clinic's real
// recovery point from it: what a lost workstation would take with it.
import type { CloudMigration } from './migration';

export const m0011: CloudMigration = {
  version: 11,
  name: 'device-outbox',
  sqlite: `ALTER TABLE devices ADD COLUMN unsent INTEGER;
    ALTER TABLE devices ADD COLUMN oldest_unsent_at TEXT;
    ALTER TABLE devices ADD COLUMN outbox_at TEXT;`,
  postgres: `ALTER TABLE devices ADD COLUMN IF NOT EXISTS unsent integer;
    ALTER TABLE devices ADD COLUMN IF NOT EXISTS oldest_unsent_at timestamptz;
    ALTER TABLE devices ADD COLUMN IF NOT EXISTS outbox_at timestamptz;`,
};
