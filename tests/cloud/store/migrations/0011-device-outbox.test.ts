// Migration 0011 (what each workstation had not sent yet at its last report) keeps the devices it
// finds, on both stores: they start with no report, and a report is kept and read back.
import { describe, expect, it } from 'vitest';
import { dialects, inAMinute } from './dialects';

const device = (tenantId: string) => ({
  tenantId, deviceId: '44444444-4444-4444-8444-444444444444', name: 'Exam 2', signingKey: 'c2lnbmluZw==', boxKey: 'Ym94', enrolledAt: new Date().toISOString(),
});

for (const d of dialects) {
  describe(d.name, () => {
    it('0011 adds the outbox report to the devices it finds', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(10);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.addDevice(device(tenantId));
        expect(await o.columns('devices')).not.toContain('unsent');
        await o.store.migrate(11);
        expect(await o.version()).toBe(11);
        const id = device(tenantId).deviceId;
        expect(await o.store.getDevice(tenantId, id)).toMatchObject({ name: 'Exam 2', number: 1, outbox: null });
        const report = { unsent: 3, oldestAt: '2026-12-03T08:15:00.000Z', at: '2026-12-03T09:00:00.000Z' };
        await o.store.reportOutbox(tenantId, id, report);
        expect((await o.store.listDevices(tenantId))[0]?.outbox).toEqual(report);
        await o.store.reportOutbox(tenantId, id, { unsent: 0, oldestAt: null, at: '2026-12-03T09:05:00.000Z' });
        expect((await o.store.getDevice(tenantId, id))?.outbox).toEqual({ unsent: 0, oldestAt: null, at: '2026-12-03T09:05:00.000Z' });
      } finally {
        await o.close();
      }
    });
  });
}
