// Attaching a document in chunks (so one of 50 MB crosses any host's request limit with its
// progress shown) and reading one back chunk by chunk.
import { z } from 'zod';
import { BLOB_CHUNK_BYTES, MAX_BLOB_BYTES } from '../documents/blob-wire';
import { documentTypes } from './chart';
import { ChartItemId, PatientId } from './ids';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');
const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'is not base64');

export const UploadId = z.uuid();

export const BeginUpload = z.strictObject({
  patientId: PatientId,
  title: z.string().trim().min(1, 'is required').max(200),
  mime: z.enum(documentTypes),
  bytes: z.number().int().min(1).max(MAX_BLOB_BYTES, `the file is larger than ${MAX_BLOB_BYTES / 1024 / 1024} MB`),
  sha256: sha256Hex,
});

export const UploadChunk = z.strictObject({
  uploadId: UploadId,
  index: z.number().int().min(0),
  /** Base64 of one chunk: BLOB_CHUNK_BYTES, or the rest for the last one. */
  data: base64.max(Math.ceil((BLOB_CHUNK_BYTES * 4) / 3) + 4, 'a chunk is at most 1 MiB'),
});

export const DocumentChunk = z.strictObject({ patientId: PatientId, documentId: ChartItemId, index: z.number().int().min(0) });
