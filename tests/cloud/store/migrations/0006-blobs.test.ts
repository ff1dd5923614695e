// Migration 0006 (documents' blob chunks) keeps what it finds, on both stores; on PostgreSQL its
// table gets row-level security like every tenant table.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

for (const d of dialects) {
  describe(d.name, () => {
    it('0006 adds blob chunks beside the history it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(5);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, '11111111-1111-4111-8111-111111111111', [envelope()]);
        expect(await o.columns('blob_chunks')).toEqual([]);
        await o.store.migrate(6);
        expect(await o.version()).toBe(6);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);
        const blob = randomUUID();
        expect(await o.store.putBlobChunk(tenantId, blob, 0, { nonce: 'AAAAAAAAAAAAAAAA', ciphertext: Buffer.from('sealed') }, '22222222-2222-4222-8222-222222222222')).toBe('stored');
        expect((await o.store.blobChunk(tenantId, blob, 0))?.ciphertext.toString()).toBe('sealed');
        if (d.name === 'PostgreSQL') {
          await o.exec('55555555-5555-4555-8555-555555555555', `DO $$ BEGIN IF (SELECT count(*) FROM blob_chunks) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
