// Documents' blobs between this workstation and the cloud, apart from the change log: the
// chunks of a document attached here go up one by one (sealed under the document's own key,
// keys/blob-crypto.ts), and those of documents attached elsewhere come down in the background,
// each checked as it arrives and the whole checked against its SHA-256 at the end. Progress is
// kept per blob (`blob_transfers`), so a transfer cut short goes on where it stopped. A blob
// that fails its checks is set aside for the admin; the rest of sync is never held up by one.
import { digestBlob } from '../documents/document-store';
import { setAside } from '../db/quarantine';
import { openBlobChunk, sealBlobChunk } from '../keys/blob-crypto';
import { CloudError, cloudRequest } from './cloud-http';
import type { CloudSession, Identity } from './cloud-session';

/** When to stop for now: a deadline passed, or a local write is waiting. */
export type Stop = () => boolean;

export class BlobSync {
  constructor(private readonly session: CloudSession) {}

  private async progress(blobId: string, done: number, state: string | null = null, detail: string | null = null): Promise<void> {
    await this.session.store.local((tx) => tx.run('UPDATE blob_transfers SET done = ?, state = coalesce(?, state), detail = coalesce(?, detail), updated_at = ? WHERE blob_id = ?', [
      done, state, detail, new Date().toISOString(), blobId,
    ]));
  }

  private async fail(blobId: string, reason: string): Promise<void> {
    await this.session.store.local(async (tx) => {
      await tx.run('DELETE FROM blob_chunks WHERE blob_id = ?', [blobId]);
      await tx.run("UPDATE blob_transfers SET state = 'failed', detail = ?, updated_at = ? WHERE blob_id = ?", [reason, new Date().toISOString(), blobId]);
      await setAside(tx, { kind: 'document', ref: blobId, seq: 0, deviceId: '', reason });
    });
  }

  /** Sends the chunks of documents attached here, oldest first. */
  async send(id: Identity, token: string, stop: Stop): Promise<{ sent: number; more: boolean }> {
    const store = this.session.store;
    const pending = await store.db.all<{ blob_id: string; done: number; total: number; blob_key: string }>(
      `SELECT t.blob_id, t.done, t.total, d.blob_key FROM blob_transfers t JOIN documents d ON d.blob_id = t.blob_id
        WHERE t.direction = 'up' AND t.state = 'sending' ORDER BY t.updated_at LIMIT 50`,
    );
    let sent = 0;
    for (const b of pending) {
      const key = Buffer.from(b.blob_key, 'base64');
      for (let index = b.done; index < b.total; index++) {
        if (stop()) return { sent, more: true };
        const chunk = await store.db.get<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = ? AND idx = ?', [b.blob_id, index]);
        if (!chunk) {
          await this.fail(b.blob_id, 'a part of the document is missing on the workstation it was attached on');
          break;
        }
        const body = sealBlobChunk(key, { tenantId: id.tenantId, blobId: b.blob_id, index, chunks: b.total }, chunk.data);
        try {
          await cloudRequest(id.cloudUrl, 'putBlobChunk', { params: { tenantId: id.tenantId, blobId: b.blob_id, index }, body, token });
        } catch (e) {
          if (!(e instanceof CloudError) || e.code !== 'already-exists') throw e;
          await this.fail(b.blob_id, 'the clinic cloud holds other content for this document');
          break;
        }
        sent++;
        await this.progress(b.blob_id, index + 1, index + 1 === b.total ? 'sent' : null);
      }
    }
    return { sent, more: false };
  }

  /** Fetches the chunks of documents attached elsewhere; one the cloud does not have yet is tried again next round. */
  async fetch(id: Identity, token: string, stop: Stop): Promise<{ fetched: number; more: boolean }> {
    const store = this.session.store;
    const wanted = await store.db.all<{ blob_id: string; blob_key: string; chunks: number; sha256: string; bytes: number; done: number | null }>(
      `SELECT d.blob_id, d.blob_key, d.chunks, d.sha256, d.bytes, t.done FROM documents d LEFT JOIN blob_transfers t ON t.blob_id = d.blob_id
        WHERE d.blob_id IS NOT NULL AND (t.blob_id IS NULL OR (t.direction = 'down' AND t.state = 'fetching')) ORDER BY d.uploaded_at LIMIT 50`,
    );
    let fetched = 0;
    for (const b of wanted) {
      if (b.done === null) {
        await store.local((tx) => tx.run("INSERT OR IGNORE INTO blob_transfers (blob_id, direction, state, done, total, updated_at) VALUES (?, 'down', 'fetching', 0, ?, ?)", [
          b.blob_id, b.chunks, new Date().toISOString(),
        ]));
      }
      const key = Buffer.from(b.blob_key, 'base64');
      let index = b.done ?? 0;
      for (; index < b.chunks; index++) {
        if (stop()) return { fetched, more: true };
        let sealed: { nonce: string; ciphertext: string };
        try {
          sealed = await cloudRequest(id.cloudUrl, 'blobChunk', { params: { tenantId: id.tenantId, blobId: b.blob_id, index }, token });
        } catch (e) {
          if (e instanceof CloudError && e.code === 'not-found') break; // not uploaded yet
          throw e;
        }
        const plain = openBlobChunk(key, { tenantId: id.tenantId, blobId: b.blob_id, index, chunks: b.chunks }, sealed);
        if (!plain) {
          await this.fail(b.blob_id, 'a part of the document failed its authenticity check');
          index = -1;
          break;
        }
        await store.local(async (tx) => {
          await tx.run('INSERT OR REPLACE INTO blob_chunks (blob_id, idx, data) VALUES (?, ?, ?)', [b.blob_id, index, plain]);
          await tx.run('UPDATE blob_transfers SET done = ?, updated_at = ? WHERE blob_id = ?', [index + 1, new Date().toISOString(), b.blob_id]);
        });
        fetched++;
      }
      if (index !== b.chunks) continue;
      const digest = await store.db.read((tx) => digestBlob(tx, b.blob_id, b.chunks));
      if (!digest || digest.bytes !== b.bytes || digest.sha256 !== b.sha256) await this.fail(b.blob_id, 'the document does not match its checksum');
      else await this.progress(b.blob_id, b.chunks, 'complete');
    }
    return { fetched, more: false };
  }
}

