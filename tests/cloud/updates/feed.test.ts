// The clinic's feed, decided per workstation (cloud/updates/feed.ts), against a real SQLite
// store holding releases in electron-builder's format: 1,000 simulated workstations at 10 %
// (100 ± 30 offered) and at 100 % (all), a halt, a pinned group, a rollback with the vendor's
// grant, and YAML that electron-updater's own js-yaml reads with the fields it uses.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { answerFeed, type FeedDeps } from '../../../cloud/updates/feed';
import { FeedKey } from '../../../cloud/updates/feed-key';
import { changePolicy } from '../../../cloud/updates/policy-change';
import { publishRelease } from '../../../cloud/updates/publish';
import { verifyEd25519 } from '../../../shared/updates/ed25519';
import { FeedAnswer, stampStatement } from '../../../shared/updates/release';
import { tempDir } from '../../helpers/engine';
import { defaultVendor, grantRollback, makeBuild } from '../../helpers/release-build';

// The js-yaml electron-updater itself loads (through its own resolution), not ours.
const updaterRequire = createRequire(createRequire(import.meta.url).resolve('electron-updater'));
const { load } = updaterRequire('js-yaml') as { load: (s: string) => unknown };

let store: SqliteStore;
let deps: FeedDeps;
let tenantId: string;
const fleet: string[] = Array.from({ length: 1000 }, () => randomUUID());
const events = { notify: async () => undefined };

beforeAll(async () => {
  const dir = await tempDir('chartroom-feed-');
  store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  ({ tenantId } = await store.createTenant('Maple Street', 'h'.repeat(64), new Date(Date.now() + 3600_000).toISOString()));
  for (const v of ['1.0.0', '1.1.0']) {
    const r = await publishRelease(store.releases, (await makeBuild(dir, v)).dir, 'stable', [defaultVendor.publicKey]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  deps = { releases: store.releases, feedKey: new FeedKey(randomBytes(32)), now: () => new Date() };
});
afterAll(() => store.close());

const change = async (c: Parameters<typeof changePolicy>[3], group: string | null = null) => {
  const r = await changePolicy({ releases: store.releases, events }, tenantId, group, c, 'test', null);
  expect(r.ok, JSON.stringify(r)).toBe(true);
};

/** How many of the workstations (each running 1.0.0) are offered `version` on Linux. */
async function offered(version: string, devices = fleet): Promise<number> {
  let n = 0;
  for (const d of devices) {
    const r = await answerFeed(deps, tenantId, d, 'linux', '1.0.0');
    if (r.ok && r.value.answer.version === version) n++;
  }
  return n;
}

it('stages a release: about 10 % of 1,000 workstations at 10 %, all of them at 100 %, none more once halted', async () => {
  await change({ kind: 'promote', version: '1.0.0', percent: 100 });
  await change({ kind: 'promote', version: '1.1.0', percent: 10 });
  const atTen = await offered('1.1.0');
  expect(atTen).toBeGreaterThanOrEqual(70);
  expect(atTen).toBeLessThanOrEqual(130);
  // The same workstations stay within it as it widens.
  const firstTenth: string[] = [];
  for (const d of fleet) {
    const r = await answerFeed(deps, tenantId, d, 'linux', '1.0.0');
    if (r.ok && r.value.answer.version === '1.1.0') firstTenth.push(d);
  }
  await change({ kind: 'promote', version: '1.1.0', percent: 50 });
  expect(await offered('1.1.0', firstTenth)).toBe(firstTenth.length);
  const atFifty = await offered('1.1.0');
  expect(atFifty).toBeGreaterThan(400);
  expect(atFifty).toBeLessThan(600);
  await change({ kind: 'halt' });
  expect(await offered('1.1.0')).toBe(0);
  expect(await offered('1.0.0')).toBe(1000);
  await change({ kind: 'promote', version: '1.1.0', percent: 100 });
  expect(await offered('1.1.0')).toBe(1000);
});

it('keeps a pinned group on its version, and takes a rolled back group back with the vendor’s grant', async () => {
  const frontDesk = fleet.slice(0, 20);
  for (const d of frontDesk) await store.releases.setDeviceGroup(tenantId, d, 'front desk', new Date().toISOString());
  await change({ kind: 'pin', version: '1.0.0' }, 'front desk');
  expect(await offered('1.0.0', frontDesk)).toBe(20);
  expect(await offered('1.1.0', fleet.slice(20))).toBe(980);

  // No grant yet: the rollback is refused before any workstation is told.
  const refused = await changePolicy({ releases: store.releases, events }, tenantId, null, { kind: 'rollback', version: '1.0.0' }, 'test', null);
  expect(refused).toMatchObject({ ok: false, error: { code: 'no-such-release', message: expect.stringMatching(/has not signed a rollback/) } });
  await store.releases.putRollbackGrant(await grantRollback('stable', '1.0.0'), new Date().toISOString());
  await change({ kind: 'rollback', version: '1.0.0' });
  const back = await answerFeed(deps, tenantId, fleet[500] as string, 'linux', '1.1.0');
  expect(back.ok && back.value.answer).toMatchObject({ version: '1.0.0', chartroom: { rollback: { channel: 'stable', version: '1.0.0' } } });
});

it('answers YAML that electron-updater’s js-yaml reads, with the fields it uses, a stamp the feed key signed, and the offer recorded', async () => {
  const d = randomUUID();
  const r = await answerFeed(deps, tenantId, d, 'linux', '1.0.0');
  if (!r.ok) throw new Error(r.error.message);
  const info = load(r.value.yaml) as Record<string, unknown>;
  expect(info).toMatchObject({ version: '1.0.0', path: '1.0.0/Chartroom-1.0.0.AppImage', releaseDate: '2026-11-30T12:00:00.000Z' });
  expect(info.files).toEqual([{ url: '1.0.0/Chartroom-1.0.0.AppImage', sha512: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/), size: 64 * 1024 }]);
  expect(info.sha512).toBe((info.files as { sha512: string }[])[0]?.sha512);
  const parsed = FeedAnswer.parse(info);
  const { stamp } = parsed.chartroom;
  expect(stamp.deviceId).toBe(d);
  expect(await verifyEd25519(deps.feedKey.publicKey, stampStatement(stamp), stamp.signature)).toBe(true);
  expect(Date.parse(stamp.expiresAt) - Date.parse(stamp.issuedAt)).toBe(24 * 3600_000);
  const windows = await answerFeed(deps, tenantId, d, '', '1.0.0');
  expect(windows.ok && windows.value.answer.files[0]?.url).toBe('1.0.0/Chartroom-Setup-1.0.0.exe');
  const mine = (await store.releases.newestUpdateEvents(tenantId)).filter((e) => e.deviceId === d);
  expect(mine).toEqual([expect.objectContaining({ kind: 'offer', version: '1.0.0', channel: 'stable', detail: 'rollback' })]);
});
