// Encrypted snapshots a new workstation starts from; append-only like the history.
import type { CloudMigration } from './migration';

export const m0002: CloudMigration = {
  version: 2,
  name: 'snapshots',
  sqlite: `
    CREATE TABLE IF NOT EXISTS snapshots (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), snapshot_id TEXT NOT NULL, seq INTEGER NOT NULL, device_id TEXT NOT NULL,
      kid TEXT NOT NULL, nonce TEXT NOT NULL, ciphertext TEXT NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, snapshot_id)
    );
    CREATE INDEX IF NOT EXISTS snapshots_newest ON snapshots (tenant_id, seq);
    CREATE TRIGGER IF NOT EXISTS snapshots_append_only_update BEFORE UPDATE ON snapshots BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS snapshots (
      tenant_id uuid NOT NULL REFERENCES tenants (id), snapshot_id uuid NOT NULL, seq bigint NOT NULL, device_id uuid NOT NULL,
      kid text NOT NULL, nonce text NOT NULL, ciphertext text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, snapshot_id)
    );
    CREATE INDEX IF NOT EXISTS snapshots_newest ON snapshots (tenant_id, seq);
    DROP TRIGGER IF EXISTS snapshots_append_only ON snapshots;
    CREATE TRIGGER snapshots_append_only BEFORE UPDATE ON snapshots FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
  `,
};
