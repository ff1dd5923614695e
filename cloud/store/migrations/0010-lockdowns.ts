// Lockdown: the clinic's IT key (the Ed25519 public half of a key derived from the recovery
// code, set once), each lockdown and each workstation lifted from it, and the signed IT
// commands already used (their nonces, so none is replayed). All append-only: a lockdown is
// ended workstation by workstation, never erased.
import type { CloudMigration } from './migration';

const TABLES = ['it_keys', 'it_commands', 'lockdowns', 'lockdown_lifts'] as const;

export const m0010: CloudMigration = {
  version: 10,
  name: 'lockdowns',
  sqlite: `
    CREATE TABLE IF NOT EXISTS it_keys (tenant_id TEXT PRIMARY KEY REFERENCES tenants (id), public_key TEXT NOT NULL, set_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS it_commands (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), nonce TEXT NOT NULL, command TEXT NOT NULL, device_id TEXT, at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, nonce)
    );
    CREATE TABLE IF NOT EXISTS lockdowns (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), seq INTEGER NOT NULL, started_at TEXT NOT NULL, started_by TEXT,
      PRIMARY KEY (tenant_id, seq)
    );
    CREATE TABLE IF NOT EXISTS lockdown_lifts (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), seq INTEGER NOT NULL, device_id TEXT NOT NULL, lifted_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, seq, device_id)
    );
    ${TABLES.map((t) => `CREATE TRIGGER IF NOT EXISTS ${t}_append_only_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS ${t}_append_only_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;`).join('\n    ')}
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS it_keys (tenant_id uuid PRIMARY KEY REFERENCES tenants (id), public_key text NOT NULL, set_at timestamptz NOT NULL);
    CREATE TABLE IF NOT EXISTS it_commands (
      tenant_id uuid NOT NULL REFERENCES tenants (id), nonce text NOT NULL, command text NOT NULL, device_id uuid, at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, nonce)
    );
    CREATE TABLE IF NOT EXISTS lockdowns (
      tenant_id uuid NOT NULL REFERENCES tenants (id), seq integer NOT NULL, started_at timestamptz NOT NULL, started_by uuid,
      PRIMARY KEY (tenant_id, seq)
    );
    CREATE TABLE IF NOT EXISTS lockdown_lifts (
      tenant_id uuid NOT NULL REFERENCES tenants (id), seq integer NOT NULL, device_id uuid NOT NULL, lifted_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, seq, device_id)
    );
    ${TABLES.map((t) => `DROP TRIGGER IF EXISTS ${t}_append_only ON ${t};
    CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
    DROP TRIGGER IF EXISTS ${t}_no_truncate ON ${t};
    CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION chartroom_append_only();`).join('\n    ')}
  `,
};
