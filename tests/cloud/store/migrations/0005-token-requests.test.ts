// Migration 0005 (the signed token requests already used) keeps what it finds, on both stores;
// on PostgreSQL its table gets row-level security like every tenant table.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

for (const d of dialects) {
  describe(d.name, () => {
    it('0005 adds the used token requests beside the history and visits it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(4);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, '11111111-1111-4111-8111-111111111111', [envelope()]);
        expect(await o.columns('token_requests')).toEqual([]);
        await o.store.migrate(5);
        expect(await o.version()).toBe(5);
        expect(await o.columns('token_requests')).toEqual(expect.arrayContaining(['tenant_id', 'device_id', 'signed_at', 'forget_after']));
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);
        const deviceId = '22222222-2222-4222-8222-222222222222';
        const at = new Date().toISOString();
        expect(await o.store.useTokenRequest(tenantId, deviceId, at, inAMinute(), at)).toBe(true);
        expect(await o.store.useTokenRequest(tenantId, deviceId, at, inAMinute(), at)).toBe(false);
        if (d.name === 'PostgreSQL') {
          await o.exec('55555555-5555-4555-8555-555555555555', `DO $$ BEGIN IF (SELECT count(*) FROM token_requests) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
