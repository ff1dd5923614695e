// Migration 0004 (visit links, STUN/TURN settings, the patient claim) keeps what it finds, on
// both stores; on PostgreSQL its tenant tables get row-level security.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

for (const d of dialects) {
  describe(d.name, () => {
    it('0004 adds video visits beside the history and devices it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(3);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, '11111111-1111-4111-8111-111111111111', [envelope()]);
        expect(await o.columns('visits')).toEqual([]);
        await o.store.migrate(4);
        expect(await o.version()).toBe(4);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);
        const visitId = '44444444-4444-4444-8444-444444444444';
        await o.store.addVisit({ tenantId, visitId, validFrom: new Date().toISOString(), validUntil: inAMinute(), identityKey: '{"kty":"EC"}' }, 'token-hash');
        expect(await o.store.visitByToken('token-hash')).toMatchObject({ tenantId, visitId, revokedAt: null });
        await o.store.setIceSettings(tenantId, '{"stunUrls":[],"turnUrls":[],"turnSecret":""}');
        expect(await o.store.getIceSettings(tenantId)).toContain('stunUrls');
        if (d.name === 'PostgreSQL') {
          // Another tenant's scope sees none of this tenant's visits.
          await o.exec('55555555-5555-4555-8555-555555555555', `DO $$ BEGIN IF (SELECT count(*) FROM visits) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
