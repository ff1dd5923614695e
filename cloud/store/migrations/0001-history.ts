// Tenants, their one-time codes and devices, the append-only history and the wrapped tenant keys.
// `IF NOT EXISTS` throughout: a database made before numbered migrations is adopted as it is.
import type { CloudMigration } from './migration';

export const m0001: CloudMigration = {
  version: 1,
  name: 'history',
  sqlite: `
    CREATE TABLE IF NOT EXISTS tenants (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL, next_seq INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS codes (
      code_hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants (id), kind TEXT NOT NULL CHECK (kind IN ('setup', 'enroll')),
      expires_at TEXT NOT NULL, used_at TEXT
    );
    CREATE TABLE IF NOT EXISTS devices (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), device_id TEXT NOT NULL, name TEXT NOT NULL, signing_key TEXT NOT NULL,
      box_key TEXT NOT NULL, enrolled_at TEXT NOT NULL, revoked_at TEXT, number INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, device_id), UNIQUE (tenant_id, number)
    );
    CREATE TABLE IF NOT EXISTS messages (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), seq INTEGER NOT NULL, msg_id TEXT NOT NULL, device_id TEXT NOT NULL,
      kid TEXT NOT NULL, nonce TEXT NOT NULL, ciphertext TEXT NOT NULL, received_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, seq), UNIQUE (tenant_id, msg_id)
    );
    CREATE TABLE IF NOT EXISTS key_wraps (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), kid TEXT NOT NULL, device_id TEXT NOT NULL, wrapped TEXT NOT NULL,
      created_at TEXT NOT NULL, PRIMARY KEY (tenant_id, kid, device_id)
    );
    -- Append-only history: the service never rewrites or deletes a message.
    CREATE TRIGGER IF NOT EXISTS messages_append_only_update BEFORE UPDATE ON messages BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS messages_append_only_delete BEFORE DELETE ON messages BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS tenants (
      id uuid PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), next_seq bigint NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS codes (
      code_hash text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), kind text NOT NULL CHECK (kind IN ('setup', 'enroll')),
      expires_at timestamptz NOT NULL, used_at timestamptz
    );
    CREATE TABLE IF NOT EXISTS devices (
      tenant_id uuid NOT NULL REFERENCES tenants (id), device_id uuid NOT NULL, name text NOT NULL, signing_key text NOT NULL,
      box_key text NOT NULL, enrolled_at timestamptz NOT NULL, revoked_at timestamptz, number integer NOT NULL,
      PRIMARY KEY (tenant_id, device_id), UNIQUE (tenant_id, number)
    );
    CREATE TABLE IF NOT EXISTS messages (
      tenant_id uuid NOT NULL REFERENCES tenants (id), seq bigint NOT NULL, msg_id uuid NOT NULL, device_id uuid NOT NULL,
      kid text NOT NULL, nonce text NOT NULL, ciphertext text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, seq), UNIQUE (tenant_id, msg_id)
    );
    CREATE TABLE IF NOT EXISTS key_wraps (
      tenant_id uuid NOT NULL REFERENCES tenants (id), kid text NOT NULL, device_id uuid NOT NULL, wrapped text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, kid, device_id)
    );
    CREATE OR REPLACE FUNCTION chartroom_append_only() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'history is append-only'; END $$;
    DROP TRIGGER IF EXISTS messages_append_only ON messages;
    CREATE TRIGGER messages_append_only BEFORE UPDATE OR DELETE ON messages FOR EACH ROW EXECUTE FUNCTION chartroom_append_only();
  `,
};
