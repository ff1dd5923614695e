// Migration 0008 (each workstation's audit chain heads) keeps what it finds, on both stores; its
// table is append-only for the service's own role (triggers), and on PostgreSQL it gets
// row-level security like every tenant table.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

const deviceId = '44444444-4444-4444-8444-444444444444';

for (const d of dialects) {
  describe(d.name, () => {
    it('0008 adds audit chain heads beside the history it finds, and they cannot be changed or deleted', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(7);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, deviceId, [envelope()]);
        expect(await o.columns('audit_heads')).toEqual([]);
        await o.store.migrate(8);
        expect(await o.version()).toBe(8);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);
        expect(await o.store.putAuditHead(tenantId, { deviceId, seq: 4, hash: 'f'.repeat(64), at: new Date().toISOString() })).toBe('stored');
        await expect(o.exec(tenantId, `UPDATE audit_heads SET hash = '${'0'.repeat(64)}'`)).rejects.toThrow(/append-only/);
        await expect(o.exec(tenantId, 'DELETE FROM audit_heads')).rejects.toThrow(/append-only/);
        expect((await o.store.auditHeads(tenantId)).map((h) => h.hash)).toEqual(['f'.repeat(64)]);
        if (d.name === 'PostgreSQL') {
          await o.exec('55555555-5555-4555-8555-555555555555', `DO $$ BEGIN IF (SELECT count(*) FROM audit_heads) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
