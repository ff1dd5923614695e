// Migration 0002 (snapshots, append-only) keeps the history it finds, on both stores.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

for (const d of dialects) {
  describe(d.name, () => {
    it('0002 adds snapshots beside the history it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(1);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, '11111111-1111-4111-8111-111111111111', [envelope(), envelope(), envelope()]);
        await o.store.migrate(2);
        expect(await o.version()).toBe(2);
        expect((await o.store.pull(tenantId, 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
        const snapshot = { snapshotId: '22222222-2222-4222-8222-222222222222', seq: 3, kid: 'k1', nonce: Buffer.alloc(12).toString('base64'), ciphertext: 'c2VjcmV0IHNuYXBzaG90', deviceId: '11111111-1111-4111-8111-111111111111' };
        await o.store.putSnapshot(tenantId, snapshot);
        expect((await o.store.latestSnapshot(tenantId))?.seq).toBe(3);
        await expect(o.exec(tenantId, 'UPDATE snapshots SET seq = 9')).rejects.toThrow(/append-only/);
      } finally {
        await o.close();
      }
    });
  });
}
