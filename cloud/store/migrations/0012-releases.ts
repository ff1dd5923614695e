// Updates (issue 13): the vendor's releases (for every tenant of the service: a release is the
// same build for every clinic) with their signed files chunk by chunk and the vendor's signed
// rollback grants; then, per tenant, IT's update policies (per clinic and per group), each
// workstation's group, and every offer, download, install and failure. All append-only: a
// policy is changed by adding its next version, and a release once published never changes.
// A release's chunks are kept before its row, so a release that exists has all its files.
import type { CloudMigration } from './migration';

const TABLES = ['releases', 'release_chunks', 'rollback_grants', 'update_policies', 'device_groups', 'update_events'] as const;

export const m0012: CloudMigration = {
  version: 12,
  name: 'releases',
  sqlite: `
    CREATE TABLE IF NOT EXISTS releases (
      version TEXT PRIMARY KEY, channel TEXT NOT NULL, release_date TEXT NOT NULL, manifests TEXT NOT NULL, signatures TEXT NOT NULL, published_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS release_chunks (
      version TEXT NOT NULL, file TEXT NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL,
      PRIMARY KEY (version, file, idx)
    );
    CREATE TABLE IF NOT EXISTS rollback_grants (
      channel TEXT NOT NULL, version TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, added_at TEXT NOT NULL,
      PRIMARY KEY (channel, version)
    );
    CREATE TABLE IF NOT EXISTS update_policies (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), grp TEXT NOT NULL, seq INTEGER NOT NULL, policy TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, grp, seq)
    );
    CREATE TABLE IF NOT EXISTS device_groups (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), device_id TEXT NOT NULL, seq INTEGER NOT NULL, grp TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, device_id, seq)
    );
    CREATE TABLE IF NOT EXISTS update_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL REFERENCES tenants (id), device_id TEXT NOT NULL, kind TEXT NOT NULL,
      version TEXT NOT NULL, channel TEXT, detail TEXT, at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS update_events_newest ON update_events (tenant_id, device_id, kind, id);
    ${TABLES.map((t) => `CREATE TRIGGER IF NOT EXISTS ${t}_append_only_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS ${t}_append_only_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;`).join('\n    ')}
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS releases (
      version text PRIMARY KEY, channel text NOT NULL, release_date text NOT NULL, manifests text NOT NULL, signatures text NOT NULL, published_at timestamptz NOT NULL
    );
    CREATE TABLE IF NOT EXISTS release_chunks (
      version text NOT NULL, file text NOT NULL, idx integer NOT NULL, bytes bytea NOT NULL,
      PRIMARY KEY (version, file, idx)
    );
    CREATE TABLE IF NOT EXISTS rollback_grants (
      channel text NOT NULL, version text NOT NULL, key_id text NOT NULL, signature text NOT NULL, added_at timestamptz NOT NULL,
      PRIMARY KEY (channel, version)
    );
    CREATE TABLE IF NOT EXISTS update_policies (
      tenant_id uuid NOT NULL REFERENCES tenants (id), grp text NOT NULL, seq integer NOT NULL, policy text NOT NULL, by text NOT NULL, at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, grp, seq)
    );
    CREATE TABLE IF NOT EXISTS device_groups (
      tenant_id uuid NOT NULL REFERENCES tenants (id), device_id uuid NOT NULL, seq integer NOT NULL, grp text NOT NULL, at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, device_id, seq)
    );
    CREATE TABLE IF NOT EXISTS update_events (
      id bigserial PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), device_id uuid NOT NULL, kind text NOT NULL,
      version text NOT NULL, channel text, detail text, at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS update_events_newest ON update_events (tenant_id, device_id, kind, id);
    ${TABLES.map((t) => `DROP TRIGGER IF EXISTS ${t}_append_only ON ${t};
    CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
    DROP TRIGGER IF EXISTS ${t}_no_truncate ON ${t};
    CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION chartroom_append_only();`).join('\n    ')}
  `,
};
