// Migration 0007 (the clinic's count of wrong passwords, and each device's guard secret) keeps
// the devices it finds, on both stores; on PostgreSQL the new table gets row-level security.
import { describe, expect, it } from 'vitest';
import { defaultLockoutPolicy } from '../../../../shared/domain/sign-in-lockout';
import { dialects, inAMinute } from './dialects';

const deviceId = '33333333-3333-4333-8333-333333333333';
const subject = 'cd'.repeat(32);

for (const d of dialects) {
  describe(d.name, () => {
    it('0007 adds the guard secret to the devices it finds, and the count of wrong passwords', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(6);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.addDevice({ tenantId, deviceId, name: 'Front desk', signingKey: 'c2lnbmluZw==', boxKey: 'Ym94', enrolledAt: new Date().toISOString() });
        expect(await o.columns('devices')).not.toContain('guard_hash');
        expect(await o.columns('sign_in_failures')).toEqual([]);
        await o.store.migrate(7);
        expect(await o.version()).toBe(7);
        expect(await o.store.getDevice(tenantId, deviceId)).toMatchObject({ name: 'Front desk', number: 1 });
        expect(await o.store.guardSecretHash(tenantId, deviceId)).toBeNull();
        await o.store.setGuardSecretHash(tenantId, deviceId, 'ef'.repeat(32));
        expect(await o.store.guardSecretHash(tenantId, deviceId)).toBe('ef'.repeat(32));
        expect(await o.store.recordSignInFailure(tenantId, subject, 1_000, defaultLockoutPolicy)).toEqual({ failures: 1, lockedUntil: 0 });
        if (d.name === 'PostgreSQL') {
          await o.exec('55555555-5555-4555-8555-555555555555', `DO $$ BEGIN IF (SELECT count(*) FROM sign_in_failures) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
