// A document's blob at the cloud: each chunk sealed with AES-256-GCM under the blob's own key,
// with the tenant, blob, chunk index and chunk count bound in, so the cloud can neither swap,
// reorder nor cut short a document. The nonce is derived from the key and the index: a chunk
// sealed again after a crash is the same bytes, which the cloud takes as a retry. (Each key
// seals one fixed plaintext per index, so a derived nonce is never reused for other data.)
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface BlobContext {
  readonly tenantId: string;
  readonly blobId: string;
  readonly index: number;
  readonly chunks: number;
}

const aad = (c: BlobContext) => Buffer.from(`chartroom/blob/v1|${c.tenantId}|${c.blobId}|${c.index}|${c.chunks}`);
const nonceOf = (key: Buffer, index: number) => createHmac('sha256', key).update(`nonce|${index}`).digest().subarray(0, 12);

export const newBlobKey = (): Buffer => randomBytes(32);

export function sealBlobChunk(key: Buffer, ctx: BlobContext, plain: Buffer): { nonce: string; ciphertext: string } {
  const nonce = nonceOf(key, ctx.index);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad(ctx));
  const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return { nonce: nonce.toString('base64'), ciphertext: body.toString('base64') };
}

/** The chunk's bytes, or null when it is not this blob's chunk at this place, or was altered. */
export function openBlobChunk(key: Buffer, ctx: BlobContext, sealed: { nonce: string; ciphertext: string }): Buffer | null {
  try {
    const body = Buffer.from(sealed.ciphertext, 'base64');
    if (body.length < 16) return null;
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    d.setAAD(aad(ctx));
    d.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
  } catch {
    return null;
  }
}
