// Where a document's bytes are on this workstation, and what the chart shows of it: a document
// attached before blobs keeps its content in its row; a newer one is a blob of 1 MiB chunks in
// the local `blob_chunks` table, here from the start (attached here) or arriving from the cloud
// (attached elsewhere), with its transfer's progress in `blob_transfers`.
import { createHash } from 'node:crypto';
import type { DocumentInfo } from '../../../shared/domain/chart';
import { BLOB_CHUNK_BYTES } from '../../../shared/documents/blob-wire';
import type { ReadTx, Row } from '../db/connection';

/** The columns `toDocumentInfo` reads; `FROM documents d` with the uploader and the transfer joined. */
export const documentSelect = `SELECT d.id, d.title, d.mime, d.bytes, d.uploaded_at, d.blob_id, d.chunks, u.display_name AS uploaded_by_name,
    t.direction AS transfer_direction, t.state AS transfer_state, t.done AS transfer_done
  FROM documents d JOIN users u ON u.id = d.uploaded_by LEFT JOIN blob_transfers t ON t.blob_id = d.blob_id`;

/** How many chunks a document of `bytes` has. */
export const chunkCount = (bytes: number) => Math.max(1, Math.ceil(bytes / BLOB_CHUNK_BYTES));

export function toDocumentInfo(r: Readonly<Record<string, unknown>>): DocumentInfo {
  const bytes = Number(r.bytes);
  const chunks = r.blob_id ? Number(r.chunks) : chunkCount(bytes);
  const base = { id: String(r.id) as DocumentInfo['id'], title: String(r.title), mime: r.mime as DocumentInfo['mime'], bytes, uploadedAt: String(r.uploaded_at), uploadedByName: String(r.uploaded_by_name ?? ''), chunks };
  if (!r.blob_id || r.transfer_direction === 'up') return { ...base, state: 'here', received: chunks };
  if (r.transfer_state === 'complete') return { ...base, state: 'here', received: chunks };
  if (r.transfer_state === 'failed') return { ...base, state: 'unavailable', received: 0 };
  return { ...base, state: 'arriving', received: Number(r.transfer_done ?? 0) };
}

export async function findDocument(tx: Pick<ReadTx, 'get'>, patientId: string, documentId: string): Promise<Row | undefined> {
  return tx.get<Row>(`${documentSelect} WHERE d.id = ? AND d.patient_id = ?`, [documentId, patientId]);
}

/** One chunk of a document that is here: from its blob, or a slice of the content kept in its row. */
export async function readChunk(tx: Pick<ReadTx, 'get'>, doc: Row, index: number): Promise<Buffer | null> {
  if (!doc.blob_id) {
    const row = await tx.get<{ part: Buffer | null }>('SELECT substr(content, ?, ?) AS part FROM documents WHERE id = ?', [index * BLOB_CHUNK_BYTES + 1, BLOB_CHUNK_BYTES, doc.id as string]);
    return row?.part && (row.part.length > 0 || index === 0) ? Buffer.from(row.part) : null;
  }
  const row = await tx.get<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = ? AND idx = ?', [doc.blob_id as string, index]);
  return row ? row.data : null;
}

/** The SHA-256 (hex) and length of a blob's chunks here, in order; null when one is missing. */
export async function digestBlob(tx: ReadTx, blobId: string, chunks: number): Promise<{ sha256: string; bytes: number } | null> {
  const h = createHash('sha256');
  let bytes = 0;
  for (let i = 0; i < chunks; i++) {
    const row = await tx.get<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = ? AND idx = ?', [blobId, i]);
    if (!row) return null;
    h.update(row.data);
    bytes += row.data.length;
  }
  return { sha256: h.digest('hex'), bytes };
}
