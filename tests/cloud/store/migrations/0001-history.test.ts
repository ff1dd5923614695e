// Migration 0001 (tenants, codes, devices, the append-only history, key wraps), on both stores.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

for (const d of dialects) {
  describe(d.name, () => {
    it('0001 makes the history, append-only, and records version 1', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(1);
        expect(await o.version()).toBe(1);
        for (const t of ['tenants', 'codes', 'devices', 'messages', 'key_wraps']) expect(await o.columns(t), t).not.toEqual([]);
        expect(await o.columns('snapshots')).toEqual([]);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        const stored = await o.store.append(tenantId, '11111111-1111-4111-8111-111111111111', [envelope(), envelope()]);
        expect(stored.stored.map((s) => s.seq)).toEqual([1, 2]);
        await expect(o.exec(tenantId, "UPDATE messages SET kid = 'k2'")).rejects.toThrow(/append-only/);
        await expect(o.exec(tenantId, 'DELETE FROM messages')).rejects.toThrow(/append-only/);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(2);
      } finally {
        await o.close();
      }
    });
  });
}
