// Migration 0012 (releases and update policies) on both stores: a release published after it is
// kept whole (a 9 MiB file in three chunks, read back byte for byte) and once (the same build
// again is fine, a different one under its version is refused); a policy keeps its versions and
// refuses a stale change; groups and update events are kept per tenant; and the release tables
// refuse any change or deletion, even through the service's own connection.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publishRelease } from '../../../../cloud/updates/publish';
import { DEFAULT_POLICY } from '../../../../shared/updates/policy';
import { tempDir } from '../../../helpers/engine';
import { defaultVendor, makeBuild } from '../../../helpers/release-build';
import { dialects, inAMinute } from './dialects';

const keys = [defaultVendor.publicKey];

for (const d of dialects) {
  describe(d.name, () => {
    it('0012 keeps releases whole and once, policies by version, groups and events per clinic, and nothing of it can be changed', { timeout: 60_000 }, async () => {
      const o = await d.open();
      try {
        await o.store.migrate(11);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        expect(await o.columns('releases')).toEqual([]);
        await o.store.migrate(12);
        expect(await o.version()).toBe(12);
        const { releases } = o.store;

        const root = await tempDir('chartroom-0012-');
        const build = await makeBuild(root, '1.1.0', { appImageBytes: 9 * 1024 * 1024 + 5 });
        const published = await publishRelease(releases, build.dir, 'stable', keys);
        expect(published.ok, JSON.stringify(published)).toBe(true);
        const chunks: Buffer[] = [];
        for (let i = 0; ; i++) {
          const c = await releases.releaseChunk('1.1.0', build.appImage, i);
          if (!c) break;
          chunks.push(c);
        }
        expect(chunks.length).toBe(3);
        expect(Buffer.concat(chunks).equals(build.appImageBytes)).toBe(true);
        expect((await publishRelease(releases, build.dir, 'stable', keys)).ok).toBe(true);
        const other = await makeBuild(await tempDir('chartroom-0012-other-'), '1.1.0');
        const again = await publishRelease(releases, other.dir, 'stable', keys);
        expect(again.ok ? 'stored' : again.error.code).toBe('already-exists');
        expect((await releases.listReleases()).map((r) => r.version)).toEqual(['1.1.0']);

        expect(await releases.setPolicy(tenantId, null, { ...DEFAULT_POLICY, stage: { version: '1.1.0', percent: 10 } }, 'it', new Date().toISOString(), 0)).toBe('stored');
        expect(await releases.setPolicy(tenantId, null, { ...DEFAULT_POLICY, halted: true }, 'it', new Date().toISOString(), 0)).toBe('stale');
        expect(await releases.policy(tenantId, null)).toMatchObject({ seq: 1, policy: { stage: { version: '1.1.0', percent: 10 }, halted: false } });
        const device = randomUUID();
        await releases.setDeviceGroup(tenantId, device, 'front desk', new Date().toISOString());
        expect([...(await releases.deviceGroups(tenantId))]).toEqual([[device, 'front desk']]);
        await releases.setDeviceGroup(tenantId, device, null, new Date().toISOString());
        expect([...(await releases.deviceGroups(tenantId))]).toEqual([]);
        await releases.recordUpdateEvent(tenantId, { deviceId: device, kind: 'verified', version: '1.1.0', channel: null, detail: null, at: new Date().toISOString() });
        expect((await releases.newestUpdateEvents(tenantId)).map((e) => `${e.kind} ${e.version}`)).toEqual(['verified 1.1.0']);

        for (const sql of ["UPDATE releases SET channel = 'beta'", 'DELETE FROM release_chunks', "UPDATE update_policies SET policy = '{}'", 'DELETE FROM update_events']) {
          await expect(o.exec(tenantId, sql), sql).rejects.toThrow(/append-only/);
        }
        expect((await releases.release('1.1.0'))?.channel).toBe('stable');
        expect(await releases.releaseChunk('1.1.0', build.appImage, 2)).not.toBeNull();
      } finally {
        await o.close();
      }
    });
  });
}
