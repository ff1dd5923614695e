// 0007: documents as blobs apart from the change log. A document's row (which syncs) names its
// blob, the blob's own key, its SHA-256 and its number of chunks; the chunks themselves sit in
// a local table here (in this encrypted database) and travel to and from the cloud chunk by
// chunk, sealed under the blob's key. Each blob's transfer (uploading from here, or fetching
// what another workstation attached) is kept with its progress. Documents attached before keep
// their content in the row.
import type { Migration } from './migration';

export const migration0007: Migration = {
  version: 7,
  name: 'document-blobs',
  async up(tx) {
    await tx.exec(`
      ALTER TABLE documents ADD COLUMN blob_id TEXT;
      ALTER TABLE documents ADD COLUMN blob_key TEXT;
      ALTER TABLE documents ADD COLUMN sha256 TEXT;
      ALTER TABLE documents ADD COLUMN chunks INTEGER;
      CREATE INDEX documents_by_blob ON documents (blob_id) WHERE blob_id IS NOT NULL;
      CREATE TABLE blob_chunks (blob_id TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (blob_id, idx)) WITHOUT ROWID;
      CREATE TABLE blob_transfers (
        blob_id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
        state TEXT NOT NULL CHECK (state IN ('staging', 'sending', 'sent', 'fetching', 'complete', 'failed')),
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        detail TEXT,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
