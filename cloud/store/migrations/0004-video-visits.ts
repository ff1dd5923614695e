// Video visits: links (by token hash), the tenant's STUN/TURN settings, and the claim on a
// visit's one patient browser.
import type { CloudMigration } from './migration';

export const m0004: CloudMigration = {
  version: 4,
  name: 'video-visits',
  sqlite: `
    CREATE TABLE IF NOT EXISTS tenant_ice (tenant_id TEXT PRIMARY KEY REFERENCES tenants (id), settings TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS visit_patients (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), visit_id TEXT NOT NULL, holder TEXT NOT NULL, seat TEXT NOT NULL, renewed_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, visit_id)
    );
    CREATE TABLE IF NOT EXISTS visits (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), visit_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
      valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, identity_key TEXT NOT NULL,
      revoked_at TEXT, closed_at TEXT, admitted_at TEXT, created_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, visit_id)
    );
  `,
  postgres: `
    -- A link's token leads to its tenant before the tenant is known (like codes), so the
    -- token table has no tenant policy; the visit itself does.
    CREATE TABLE IF NOT EXISTS visit_tokens (
      token_hash text PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), visit_id uuid NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tenant_ice (tenant_id uuid PRIMARY KEY REFERENCES tenants (id), settings text NOT NULL);
    CREATE TABLE IF NOT EXISTS visit_patients (
      tenant_id uuid NOT NULL REFERENCES tenants (id), visit_id uuid NOT NULL, holder text NOT NULL, seat text NOT NULL, renewed_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, visit_id)
    );
    CREATE TABLE IF NOT EXISTS visits (
      tenant_id uuid NOT NULL REFERENCES tenants (id), visit_id uuid NOT NULL,
      valid_from timestamptz NOT NULL, valid_until timestamptz NOT NULL, identity_key text NOT NULL,
      revoked_at timestamptz, closed_at timestamptz, admitted_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, visit_id)
    );
  `,
};
