// Documents attached to a chart: in one call (small files) or in chunks (begin, each chunk,
// finish, so a file of 50 MB crosses any host's request limit with its progress shown), kept as
// a blob under its own key that sync carries to the cloud chunk by chunk, apart from the change
// log (sync/blob-sync.ts). Read back chunk by chunk, once it is here.
import { createHash, randomUUID } from 'node:crypto';
import type { CallName } from '../../../shared/api/contract';
import { fileSignatureMatches } from '../../../shared/domain/chart';
import { BLOB_CHUNK_BYTES } from '../../../shared/documents/blob-wire';
import { fail, ok, type Result } from '../../../shared/errors';
import { auditOf, type HandlersFor, type SessionContext } from '../clinic/call-context';
import type { Tx } from '../db/connection';
import type { Mutator } from '../db/mutation';
import { newBlobKey } from '../keys/blob-crypto';
import { patientExists } from '../charting/chart-repository';
import { chunkCount, digestBlob, findDocument, readChunk, toDocumentInfo } from './document-store';

type DocumentCall = Extract<CallName, `documents.${string}`>;

/** What `documents.beginUpload` was told, kept with the transfer until it finishes. */
interface Staged { patientId: string; title: string; mime: 'application/pdf' | 'image/png' | 'image/jpeg'; bytes: number; sha256: string; userId: string }

/** An upload begun and not finished within a day is forgotten. */
const STAGING_MS = 24 * 3600_000;

const expectedLength = (s: Staged, index: number) => (index < chunkCount(s.bytes) - 1 ? BLOB_CHUNK_BYTES : s.bytes - BLOB_CHUNK_BYTES * (chunkCount(s.bytes) - 1));
const noPatient = () => fail<never>('patient-not-found', 'No patient with that id.');
const noUpload = () => fail<never>('not-found', 'No such upload in progress: attach the file again.');

/** The document's row (which syncs) and its transfer (which does not), in one transaction. */
async function insertDocument(m: Mutator, ctx: SessionContext, blobId: string, s: Staged): Promise<string> {
  const id = randomUUID();
  await m.insert('documents', id, {
    patient_id: s.patientId, title: s.title, mime: s.mime, bytes: s.bytes, content: Buffer.alloc(0), uploaded_by: ctx.user.id, uploaded_at: new Date().toISOString(),
    blob_id: blobId, blob_key: newBlobKey().toString('base64'), sha256: s.sha256, chunks: chunkCount(s.bytes),
  });
  await m.local.run("UPDATE blob_transfers SET state = 'sending', detail = NULL, updated_at = ? WHERE blob_id = ?", [new Date().toISOString(), blobId]);
  m.audit(auditOf(ctx, 'documents.upload', s.patientId, `bytes=${s.bytes}`));
  return id;
}

async function staged(tx: Pick<Tx, 'get'>, uploadId: string, ctx: SessionContext): Promise<Staged | null> {
  const row = await tx.get<{ detail: string }>("SELECT detail FROM blob_transfers WHERE blob_id = ? AND direction = 'up' AND state = 'staging'", [uploadId]);
  const s = row ? (JSON.parse(row.detail) as Staged) : null;
  return s && s.userId === ctx.user.id ? s : null;
}

export function documentHandlers(): HandlersFor<DocumentCall> {
  const infoOf = async (ctx: SessionContext, patientId: string, id: string) => toDocumentInfo((await findDocument(ctx.clinic.db, patientId, id)) ?? {});

  return {
    'documents.upload': async (input, ctx) => {
      // The schema has checked the type's signature bytes.
      const bytes = Buffer.from(input.data, 'base64');
      const blobId = randomUUID();
      const s: Staged = { patientId: input.patientId, title: input.title, mime: input.mime, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), userId: ctx.user.id };
      const r = await ctx.clinic.write(async (m): Promise<Result<string>> => {
        if (!(await patientExists(m.tx, input.patientId))) return noPatient();
        await m.local.run("INSERT INTO blob_transfers (blob_id, direction, state, done, total, updated_at) VALUES (?, 'up', 'staging', 0, ?, ?)", [blobId, chunkCount(bytes.length), new Date().toISOString()]);
        for (let i = 0; i < chunkCount(bytes.length); i++) {
          await m.local.run('INSERT INTO blob_chunks (blob_id, idx, data) VALUES (?, ?, ?)', [blobId, i, bytes.subarray(i * BLOB_CHUNK_BYTES, (i + 1) * BLOB_CHUNK_BYTES)]);
        }
        return ok(await insertDocument(m, ctx, blobId, s));
      });
      return r.ok ? ok(await infoOf(ctx, input.patientId, r.value)) : r;
    },

    'documents.beginUpload': async (input, ctx) => {
      if (!(await patientExists(ctx.clinic.db, input.patientId))) return noPatient();
      const uploadId = randomUUID();
      const s: Staged = { ...input, userId: ctx.user.id };
      await ctx.clinic.write(async ({ local: tx }) => {
        const stale = new Date(Date.now() - STAGING_MS).toISOString();
        await tx.run("DELETE FROM blob_chunks WHERE blob_id IN (SELECT blob_id FROM blob_transfers WHERE state = 'staging' AND updated_at < ?)", [stale]);
        await tx.run("DELETE FROM blob_transfers WHERE state = 'staging' AND updated_at < ?", [stale]);
        await tx.run("INSERT INTO blob_transfers (blob_id, direction, state, done, total, detail, updated_at) VALUES (?, 'up', 'staging', 0, ?, ?, ?)", [
          uploadId, chunkCount(input.bytes), JSON.stringify(s), new Date().toISOString(),
        ]);
      });
      return ok({ uploadId, chunkBytes: BLOB_CHUNK_BYTES });
    },

    'documents.uploadChunk': async (input, ctx) => {
      const s = await staged(ctx.clinic.db, input.uploadId, ctx);
      if (!s) return noUpload();
      const data = Buffer.from(input.data, 'base64');
      if (input.index >= chunkCount(s.bytes) || data.length !== expectedLength(s, input.index)) return fail('invalid-input', 'That part of the file is not the size its place in the file needs.');
      if (input.index === 0 && !fileSignatureMatches(input.data, s.mime)) return fail('invalid-input', 'The file is not of the type it claims to be.');
      const received = await ctx.clinic.write(async ({ local: tx }) => {
        await tx.run('INSERT OR REPLACE INTO blob_chunks (blob_id, idx, data) VALUES (?, ?, ?)', [input.uploadId, input.index, data]);
        await tx.run('UPDATE blob_transfers SET updated_at = ? WHERE blob_id = ?', [new Date().toISOString(), input.uploadId]);
        return (await tx.get<{ n: number }>('SELECT count(*) AS n FROM blob_chunks WHERE blob_id = ?', [input.uploadId]))?.n ?? 0;
      });
      return ok({ received });
    },

    'documents.finishUpload': async (input, ctx) => {
      const s = await staged(ctx.clinic.db, input.uploadId, ctx);
      if (!s) return noUpload();
      const digest = await ctx.clinic.db.read((tx) => digestBlob(tx, input.uploadId, chunkCount(s.bytes)));
      if (!digest) return fail('invalid-input', 'Some of the file has not arrived yet: send every chunk, then finish.');
      if (digest.bytes !== s.bytes || digest.sha256 !== s.sha256) {
        await ctx.clinic.write(async ({ local: tx }) => {
          await tx.run('DELETE FROM blob_chunks WHERE blob_id = ?', [input.uploadId]);
          await tx.run('DELETE FROM blob_transfers WHERE blob_id = ?', [input.uploadId]);
        });
        return fail('invalid-input', 'The file arrived damaged (its checksum does not match): attach it again.');
      }
      const r = await ctx.clinic.write(async (m): Promise<Result<string>> => {
        if (!(await patientExists(m.tx, s.patientId))) return noPatient();
        return ok(await insertDocument(m, ctx, input.uploadId, s));
      });
      return r.ok ? ok(await infoOf(ctx, s.patientId, r.value)) : r;
    },

    'documents.get': async (input, ctx) => {
      const row = await findDocument(ctx.clinic.db, input.patientId, input.documentId);
      if (!row) return fail('not-found', 'No such document for this patient.');
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'documents.get', input.patientId)));
      return ok(toDocumentInfo(row));
    },

    'documents.chunk': async (input, ctx) => {
      const row = await findDocument(ctx.clinic.db, input.patientId, input.documentId);
      if (!row) return fail('not-found', 'No such document for this patient.');
      const info = toDocumentInfo(row);
      if (info.state !== 'here') return fail('not-found', info.state === 'arriving' ? 'This document is still arriving from the clinic cloud.' : 'This document failed its checks and cannot be shown.');
      const data = await ctx.clinic.db.read((tx) => readChunk(tx, row, input.index));
      return data ? ok({ data: data.toString('base64') }) : fail('not-found', 'No such part of this document.');
    },
  };
}
