// Documents' blobs, apart from the change log: each a run of chunks of ciphertext under the
// document's own key (which travels only inside a change set), kept append-only like the
// history; a chunk once stored never changes.
import type { CloudMigration } from './migration';

export const m0006: CloudMigration = {
  version: 6,
  name: 'blobs',
  sqlite: `
    CREATE TABLE IF NOT EXISTS blob_chunks (
      tenant_id TEXT NOT NULL REFERENCES tenants (id), blob_id TEXT NOT NULL, idx INTEGER NOT NULL, nonce TEXT NOT NULL, ciphertext BLOB NOT NULL,
      device_id TEXT NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (tenant_id, blob_id, idx)
    );
  `,
  postgres: `
    CREATE TABLE IF NOT EXISTS blob_chunks (
      tenant_id uuid NOT NULL REFERENCES tenants (id), blob_id uuid NOT NULL, idx integer NOT NULL, nonce text NOT NULL, ciphertext bytea NOT NULL,
      device_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, blob_id, idx)
    );
  `,
};
