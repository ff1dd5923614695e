// Signed token requests already answered, kept until their timestamp leaves the accepted window,
// so the same request cannot be replayed for a new token (on any service process).
import type { CloudMigration } from './migration';

export const m0005: CloudMigration = {
  version: 5,
  name: 'token-requests',
  sqlite: `
    CREATE TABLE IF NOT EXISTS token_requests (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), device_id TEXT NOT NULL, signed_at TEXT NOT NULL, forget_after TEXT NOT NULL,
      PRIMARY KEY (tenant_id, device_id, signed_at)
    );
    CREATE INDEX IF NOT EXISTS token_requests_forget ON token_requests (tenant_id, device_id, forget_after);
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS token_requests (
      tenant_id uuid NOT NULL REFERENCES tenants (id), device_id uuid NOT NULL, signed_at text NOT NULL, forget_after timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, device_id, signed_at)
    );
    CREATE INDEX IF NOT EXISTS token_requests_forget ON token_requests (tenant_id, device_id, forget_after);
  `,
};
