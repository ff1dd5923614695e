// The workstation's checks of an update (electron/engine/updates/offer-check.ts), on answers the
// real feed makes (cloud/updates/feed.ts over a real SQLite store), parsed by electron-updater's
// own js-yaml: a good offer and its download pass; a changed byte, a swapped hash, a release
// signed by another key, another cloud's stamp, another workstation's answer, an edited or
// replayed stamp, a downgrade without the vendor's grant (or with a forged one) and a move to an
// older channel are each refused in words; a rollback with the vendor's grant is accepted.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { answerFeed, type FeedDeps } from '../../../cloud/updates/feed';
import { FeedKey } from '../../../cloud/updates/feed-key';
import { changePolicy } from '../../../cloud/updates/policy-change';
import { publishRelease } from '../../../cloud/updates/publish';
import { checkDownload, screenOffer, type Trust } from '../../../electron/engine/updates/offer-check';
import type { PolicyChange } from '../../../shared/updates/policy';
import { FEED_STAMP_TTL_MS, type FeedAnswer } from '../../../shared/updates/release';
import { tempDir } from '../../helpers/engine';
import { type Build, defaultVendor, grantRollback, makeBuild, makeVendor } from '../../helpers/release-build';

const updaterRequire = createRequire(createRequire(import.meta.url).resolve('electron-updater'));
const { load } = updaterRequire('js-yaml') as { load: (s: string) => unknown };

const NOW = new Date('2026-12-01T14:00:00.000Z');
const intruder = makeVendor();
let dir = '';
let store: SqliteStore;
let deps: FeedDeps;
let tenantId = '';
const builds = new Map<string, Build>();

beforeAll(async () => {
  dir = await tempDir('chartroom-offer-');
  store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  ({ tenantId } = await store.createTenant('Maple Street', 'h'.repeat(64), new Date(Date.now() + 3600_000).toISOString()));
  for (const [v, vendor] of [['1.0.0', defaultVendor], ['1.1.0', defaultVendor], ['1.3.0', intruder]] as const) {
    const b = await makeBuild(dir, v, { vendor });
    builds.set(v, b);
    // 1.3.0 is stored as if a cloud trusted the intruder's key: the workstation must still refuse it.
    const r = await publishRelease(store.releases, b.dir, 'stable', [vendor.publicKey]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  deps = { releases: store.releases, feedKey: new FeedKey(randomBytes(32)), now: () => NOW };
});
afterAll(() => store.close());

let groups = 0;
/** A new workstation in a group of its own, under these changes to that group's policy. */
async function workstation(...changes: PolicyChange[]): Promise<string> {
  const deviceId = randomUUID();
  const group = `case ${++groups}`;
  await store.releases.setDeviceGroup(tenantId, deviceId, group, NOW.toISOString());
  for (const c of changes) {
    const r = await changePolicy({ releases: store.releases, events: { notify: async () => undefined } }, tenantId, group, c, 'test', null);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  return deviceId;
}

/** What the feed answers this workstation, as electron-updater reads it. */
async function feed(deviceId: string, running: string, with_ = deps): Promise<FeedAnswer> {
  const r = await answerFeed(with_, tenantId, deviceId, 'linux', running);
  if (!r.ok) throw new Error(r.error.message);
  return load(r.value.yaml) as FeedAnswer;
}

const trust = (deviceId: string, over: Partial<Trust> = {}): Trust => ({ keys: [defaultVendor.publicKey], running: '1.0.0', runningChannel: 'stable', deviceId, feedKey: deps.feedKey.publicKey, now: NOW, ...over });
const refusal = (r: { ok: boolean; error?: { code: string; message: string } }) => (r.ok ? 'accepted' : `${r.error?.code}: ${r.error?.message}`);

describe('an offer of a newer release', () => {
  it('is accepted, and so is its download, when all is the vendor’s and the clinic’s', async () => {
    const d = await workstation({ kind: 'promote', version: '1.1.0', percent: 100 });
    const info = await feed(d, '1.0.0');
    expect(info.version).toBe('1.1.0');
    const screened = await screenOffer(info, trust(d));
    expect(screened.ok && screened.value.rollback).toBe(false);
    const b = builds.get('1.1.0') as Build;
    const downloaded = await checkDownload(info, join(b.dir, b.appImage), trust(d));
    expect(refusal(downloaded)).toBe('accepted');
    // The first answer a workstation sees teaches it the feed key.
    expect(refusal(await screenOffer(info, trust(d, { feedKey: null })))).toBe('accepted');
  });

  it('refuses a download with one byte changed, and an answer whose hash was swapped', async () => {
    const d = await workstation({ kind: 'promote', version: '1.1.0', percent: 100 });
    const info = await feed(d, '1.0.0');
    const b = builds.get('1.1.0') as Build;
    const tampered = Buffer.from(b.appImageBytes);
    tampered[1000] = (tampered[1000] ?? 0) ^ 1;
    const file = join(dir, 'tampered.AppImage');
    await writeFile(file, tampered, { mode: 0o600 });
    expect(refusal(await checkDownload(info, file, trust(d)))).toBe('hash-mismatch: The downloaded update is not the file the vendor signed for 1.1.0 (its SHA-512 differs).');
    const swapped = { ...info, files: [{ ...info.files[0], sha512: info.files[0]?.sha512.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) }] };
    expect(refusal(await screenOffer(swapped, trust(d)))).toBe(`hash-mismatch: ${b.appImage} is not the file the vendor signed.`);
  });

  it('refuses a release signed with a key the app does not trust, even if the cloud stored it', async () => {
    const d = await workstation({ kind: 'promote', version: '1.3.0', percent: 100 });
    const info = await feed(d, '1.0.0');
    expect(info.version).toBe('1.3.0');
    expect(refusal(await screenOffer(info, trust(d)))).toBe('bad-signature: The release 1.3.0 is signed with a key this version of Chartroom does not trust.');
  });
});

describe('the cloud’s stamp', () => {
  it('refuses another cloud’s stamp, another workstation’s answer and an edited expiry', async () => {
    const d = await workstation({ kind: 'promote', version: '1.1.0', percent: 100 });
    const impostor = await feed(d, '1.0.0', { ...deps, feedKey: new FeedKey(randomBytes(32)) });
    expect(refusal(await screenOffer(impostor, trust(d)))).toBe('bad-signature: The update feed’s answer is stamped with a key other than the clinic cloud’s.');
    const info = await feed(d, '1.0.0');
    expect(refusal(await screenOffer(info, trust(randomUUID())))).toBe('bad-signature: The update feed’s answer was made for another workstation or version.');
    const edited = { ...info, chartroom: { ...info.chartroom, stamp: { ...info.chartroom.stamp, expiresAt: '2027-12-01T14:00:00.000Z' } } };
    expect(refusal(await screenOffer(edited, trust(d)))).toBe('bad-signature: The update feed’s stamp is not signed by its key.');
  });

  it('accepts an answer until its expiry and refuses it after (a replay), and refuses one from the future', async () => {
    const d = await workstation({ kind: 'promote', version: '1.1.0', percent: 100 });
    const info = await feed(d, '1.0.0');
    const at = (ms: number) => trust(d, { now: new Date(NOW.getTime() + ms) });
    expect(refusal(await screenOffer(info, at(FEED_STAMP_TTL_MS - 1000)))).toBe('accepted');
    expect(refusal(await screenOffer(info, at(FEED_STAMP_TTL_MS + 1000)))).toBe('stale-feed: The update feed’s answer expired at 2026-12-02T14:00:00.000Z: an old answer is being replayed, or this clock is wrong.');
    expect(refusal(await screenOffer(info, at(-3600_000)))).toBe('stale-feed: The update feed’s answer is dated in the future: check this workstation’s clock.');
  });

  it('refuses what is not the clinic’s feed at all', async () => {
    for (const junk of [null, 'version: 9.9.9', { version: '9.9.9', files: [] }, { version: '1.1.0', files: [{ url: 'x', sha512: 'y', size: 1 }], chartroom: {} }]) {
      expect(refusal(await screenOffer(junk, trust(randomUUID())))).toBe('bad-signature: The update feed’s answer carries no Chartroom signatures: it is not the clinic’s feed.');
    }
  });
});

describe('going back', () => {
  it('refuses an older release without the vendor’s grant', async () => {
    const d = await workstation({ kind: 'pin', version: '1.0.0' });
    const info = await feed(d, '1.1.0');
    expect(info.version).toBe('1.0.0');
    expect(refusal(await screenOffer(info, trust(d, { running: '1.1.0' })))).toBe('downgrade-refused: 1.0.0 is older than 1.1.0, and the vendor has not signed a rollback to it.');
  });

  it('accepts a rollback with the vendor’s grant, and refuses a forged grant or one for another channel', async () => {
    expect(await store.releases.putRollbackGrant(await grantRollback('stable', '1.0.0'), NOW.toISOString())).not.toBe('conflict');
    const d = await workstation({ kind: 'rollback', version: '1.0.0' });
    const info = await feed(d, '1.1.0');
    const screened = await screenOffer(info, trust(d, { running: '1.1.0' }));
    expect(screened.ok && screened.value.rollback).toBe(true);
    const forged = { ...info, chartroom: { ...info.chartroom, rollback: { ...info.chartroom.rollback, signature: randomBytes(64).toString('base64') } } };
    expect(refusal(await screenOffer(forged, trust(d, { running: '1.1.0' })))).toBe('downgrade-refused: 1.0.0 is older than 1.1.0, and the vendor has not signed a rollback to it.');
    const otherChannel = { ...info, chartroom: { ...info.chartroom, rollback: await grantRollback('beta', '1.0.0') } };
    expect(refusal(await screenOffer(otherChannel, trust(d, { running: '1.1.0' })))).toBe('downgrade-refused: 1.0.0 is older than 1.1.0, and the vendor has not signed a rollback to it.');
  });

  it('keeps a beta workstation moved to stable on its version until stable passes it', async () => {
    const d = await workstation({ kind: 'promote', version: '1.1.0', percent: 100 });
    const info = await feed(d, '1.2.0-beta.1');
    expect(refusal(await screenOffer(info, trust(d, { running: '1.2.0-beta.1', runningChannel: 'beta' })))).toBe(
      'downgrade-refused: Moving to the stable channel would go back from 1.2.0-beta.1 to 1.1.0: this workstation stays on 1.2.0-beta.1 until stable passes it.',
    );
  });
});
