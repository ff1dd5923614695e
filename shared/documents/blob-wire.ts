// A document's blob on the wire: the chunk size, and one chunk as it travels to and from the
// cloud (AES-256-GCM under the document's own key; electron/engine/documents/blob-crypto.ts).
import { z } from 'zod';

/** Plaintext bytes per chunk; a chunk's ciphertext and tag travel as base64, under 1.4 MB. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** The largest document Chartroom takes. */
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;

export const MAX_BLOB_CHUNKS = MAX_BLOB_BYTES / BLOB_CHUNK_BYTES;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const BlobChunkBody = z.strictObject({
  nonce: b64.length(16),
  ciphertext: b64.min(24).max(Math.ceil(((BLOB_CHUNK_BYTES + 16) * 4) / 3) + 4),
});
export type BlobChunkBody = z.infer<typeof BlobChunkBody>;
