// Each workstation's audit chain head (its last row's place and hash), as it reported it after
// sending its audit rows: append-only, so a workstation that later rewrites rows it had sent
// cannot make the cloud forget what their chain said.
import type { CloudMigration } from './migration';

export const m0008: CloudMigration = {
  version: 8,
  name: 'audit-heads',
  sqlite: `
    CREATE TABLE IF NOT EXISTS audit_heads (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), device_id TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, device_id, seq)
    );
    CREATE TRIGGER IF NOT EXISTS audit_heads_append_only_update BEFORE UPDATE ON audit_heads BEGIN SELECT RAISE(ABORT, 'audit heads are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_heads_append_only_delete BEFORE DELETE ON audit_heads BEGIN SELECT RAISE(ABORT, 'audit heads are append-only'); END;
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS audit_heads (
      tenant_id uuid NOT NULL REFERENCES tenants (id), device_id uuid NOT NULL, seq bigint NOT NULL, hash text NOT NULL, at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, device_id, seq)
    );
    DROP TRIGGER IF EXISTS audit_heads_append_only ON audit_heads;
    CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
  `,
};
