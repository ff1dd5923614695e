// Migration 0010 (lockdowns, their lifts, the IT key and IT's used commands) keeps what it
// finds, on both stores; what it adds is append-only for the service's own role, and the
// lockdown store's rules hold on each: one lockdown at a time until a lift, a device enrolled
// after it began or revoked is not held, a nonce is used once, the IT key is set once.
import { describe, expect, it } from 'vitest';
import { dialects, envelope, inAMinute } from './dialects';

const [first, second, later] = ['44444444-4444-4444-8444-444444444444', '55555555-5555-4555-8555-555555555555', '66666666-6666-4666-8666-666666666666'];
const device = (tenantId: string, deviceId: string, enrolledAt: string) => ({ tenantId, deviceId, name: 'Front desk', signingKey: 'c2lnbmluZw==', boxKey: 'Ym94', enrolledAt });

for (const d of dialects) {
  describe(d.name, () => {
    it('0010 adds lockdowns beside the history it finds; they hold the right devices and cannot be changed or deleted', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(9);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.addDevice(device(tenantId, first, '2026-12-01T08:00:00.000Z'));
        await o.store.addDevice(device(tenantId, second, '2026-12-01T08:05:00.000Z'));
        await o.store.append(tenantId, first, [envelope()]);
        expect(await o.columns('lockdowns')).toEqual([]);
        await o.store.migrate(10);
        expect(await o.version()).toBe(10);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);

        const l = o.store.lockdowns;
        expect(await l.holding(tenantId, first)).toBeNull();
        const one = await l.lockDown(tenantId, first, '2026-12-02T09:00:00.000Z');
        expect(one).toEqual({ seq: 1, startedAt: '2026-12-02T09:00:00.000Z', startedBy: first });
        // Asked again before any lift (another admin, another process): the same lockdown.
        expect(await l.lockDown(tenantId, null, '2026-12-02T09:00:01.000Z')).toEqual(one);
        await o.store.addDevice(device(tenantId, later, '2026-12-02T10:00:00.000Z'));
        expect((await l.holding(tenantId, first))?.seq).toBe(1);
        expect(await l.holding(tenantId, later)).toBeNull();
        await l.lift(tenantId, 1, first, '2026-12-02T11:00:00.000Z');
        expect(await l.holding(tenantId, first)).toBeNull();
        expect(await l.lifted(tenantId, 1)).toEqual([first]);
        await o.store.revokeDevice(tenantId, second, '2026-12-02T11:30:00.000Z');
        expect(await l.holding(tenantId, second)).toBeNull();
        // After a lift, a new lockdown holds everyone enrolled before it.
        expect((await l.lockDown(tenantId, null, '2026-12-02T12:00:00.000Z')).seq).toBe(2);
        expect((await l.holding(tenantId, first))?.startedBy).toBeNull();
        expect((await l.holding(tenantId, later))?.seq).toBe(2);

        expect(await l.useItCommand(tenantId, 'n'.repeat(22), 'lockdown', null, '2026-12-02T12:00:00.000Z')).toBe(true);
        expect(await l.useItCommand(tenantId, 'n'.repeat(22), 'lockdown', null, '2026-12-02T12:00:01.000Z')).toBe(false);
        const key = `${'A'.repeat(43)}=`;
        expect(await l.setItKey(tenantId, key, '2026-12-01T08:00:00.000Z')).toBe('stored');
        expect(await l.setItKey(tenantId, key, '2026-12-01T08:00:00.000Z')).toBe('same');
        expect(await l.setItKey(tenantId, `${'B'.repeat(43)}=`, '2026-12-01T08:00:00.000Z')).toBe('refused');
        expect(await l.itKey(tenantId)).toBe(key);

        for (const table of ['lockdowns', 'lockdown_lifts', 'it_keys', 'it_commands']) {
          await expect(o.exec(tenantId, `DELETE FROM ${table}`), table).rejects.toThrow(/append-only/);
          await expect(o.exec(tenantId, `UPDATE ${table} SET tenant_id = tenant_id`), table).rejects.toThrow(/append-only/);
        }
        if (d.name === 'PostgreSQL') {
          await expect(o.exec(tenantId, 'TRUNCATE lockdowns')).rejects.toThrow(/append-only/);
          await o.exec('77777777-7777-4777-8777-777777777777', `DO $$ BEGIN IF (SELECT count(*) FROM lockdowns) > 0 THEN RAISE EXCEPTION 'visible'; END IF; END $$`);
        }
      } finally {
        await o.close();
      }
    });
  });
}
