// Migration 0003 (when each workstation last reached the cloud) keeps the devices it finds, on
// both stores; a SQLite database from before numbered migrations, which has the column, is adopted.
import { describe, expect, it } from 'vitest';
import { cloudMigrations } from '../../../../cloud/store/migrations/index';
import { dialects, inAMinute } from './dialects';

const device = (tenantId: string) => ({
  tenantId, deviceId: '33333333-3333-4333-8333-333333333333', name: 'Front desk', signingKey: 'c2lnbmluZw==', boxKey: 'Ym94', enrolledAt: new Date().toISOString(),
});

for (const d of dialects) {
  describe(d.name, () => {
    it('0003 adds last_seen_at to the devices it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(2);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        expect(await o.columns('devices')).not.toContain('last_seen_at');
        await o.store.addDevice(device(tenantId));
        await o.store.migrate(3);
        expect(await o.version()).toBe(3);
        expect((await o.store.getDevice(tenantId, device(tenantId).deviceId))).toMatchObject({ name: 'Front desk', number: 1, lastSeenAt: null });
        const at = new Date().toISOString();
        await o.store.touchDevice(tenantId, device(tenantId).deviceId, at);
        expect(Date.parse((await o.store.getDevice(tenantId, device(tenantId).deviceId))?.lastSeenAt ?? '')).toBe(Date.parse(at));
      } finally {
        await o.close();
      }
    });

    it('adopts a database made before numbered migrations (version 0, every table there) and refuses a newer one', async () => {
      const o = await d.open();
      try {
        await o.store.migrate();
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.addDevice(device(tenantId));
        // As the service left it before this change: the same tables, no version recorded.
        await o.exec(tenantId, d.name === 'SQLite' ? 'PRAGMA user_version = 0' : 'DROP TABLE schema_migrations');
        await o.store.migrate();
        expect(await o.version()).toBe(cloudMigrations.at(-1)?.version);
        expect(await o.store.getDevice(tenantId, device(tenantId).deviceId)).toMatchObject({ name: 'Front desk' });
        await o.exec(tenantId, d.name === 'SQLite' ? 'PRAGMA user_version = 99' : "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')");
        await expect(o.store.migrate()).rejects.toThrow(/schema 99, newer than this service/);
      } finally {
        await o.close();
      }
    });
  });
}
