// Documents' blobs: a workstation puts each chunk of ciphertext once (a retry of the same bytes
// is fine, different bytes for a stored chunk are refused) and the others fetch them in the
// background. The cloud cannot open them: the key travels only inside a change set.
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { BlobStore } from '../store/store';

export function registerBlobs(app: FastifyInstance, deps: ServeDeps & { blobs: BlobStore }): void {
  const { blobs } = deps;

  serve(app, deps, 'putBlobChunk', async ({ caller, params, body }) => {
    const r = await blobs.putBlobChunk(caller.tenantId, params.blobId, params.index, { nonce: body.nonce, ciphertext: Buffer.from(body.ciphertext, 'base64') }, caller.deviceId);
    return r === 'conflict' ? fail('already-exists', 'That chunk is already stored with other content; a stored chunk never changes.') : ok({ done: true as const });
  });

  serve(app, deps, 'blobChunk', async ({ caller, params }) => {
    const chunk = await blobs.blobChunk(caller.tenantId, params.blobId, params.index);
    return chunk ? ok({ nonce: chunk.nonce, ciphertext: chunk.ciphertext.toString('base64') }) : fail('not-found', 'That chunk is not at the clinic cloud (yet).');
  });
}
