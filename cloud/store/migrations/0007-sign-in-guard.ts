// The clinic's count of wrong passwords per username (an HMAC the cloud cannot reverse), and
// each device's sign-in guard secret, by its hash, for asking about it before anyone signs in.
import type { CloudMigration } from './migration';

export const m0007: CloudMigration = {
  version: 7,
  name: 'sign-in-guard',
  sqlite: `
    ALTER TABLE devices ADD COLUMN guard_hash TEXT;
    CREATE TABLE IF NOT EXISTS sign_in_failures (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), subject TEXT NOT NULL, failures INTEGER NOT NULL, locked_until INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, subject)
    );
  `,
  postgres: `
    ALTER TABLE devices ADD COLUMN IF NOT EXISTS guard_hash text;
    CREATE TABLE IF NOT EXISTS sign_in_failures (
      tenant_id uuid NOT NULL REFERENCES tenants (id), subject text NOT NULL, failures integer NOT NULL, locked_until bigint NOT NULL,
      PRIMARY KEY (tenant_id, subject)
    );
  `,
};
