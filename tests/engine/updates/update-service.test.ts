// A workstation's updates end to end, against a real cloud on loopback: IT stages a release
// from the app, electron-updater's own generic provider reads the clinic's feed and fetches the
// file, the engine screens and checks it, and the update installs only when no note is open
// and no call is running, at sign-out or in IT's window; a tampered download is refused and
// told to IT; a new version that fails to start twice says so. The clock is the test's: the
// install window is read from it.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishRelease } from '../../../cloud/updates/publish';
import type { EngineOptions } from '../../../electron/engine/engine';
import type { EncounterId } from '../../../shared/domain/ids';
import { firstWorkstation, startTestCloud, type TestCloud } from '../../helpers/cloud';
import { openEngine, value } from '../../helpers/engine';
import { defaultVendor, makeBuild } from '../../helpers/release-build';
import { updaterFeed } from '../../helpers/updater-feed';

let cloud: TestCloud;
/** The workstation's wall clock; starts at the next 14:00 here, never behind the cloud's. */
let clock = new Date();
const at = (h: number, m: number) => {
  const d = new Date(clock);
  d.setHours(h, m, 0, 0);
  return d;
};
const engineOpts = (appVersion: string): Partial<EngineOptions> => ({ appVersion, installer: 'desktop', releaseKeys: [defaultVendor.publicKey], updateClock: () => clock });

beforeAll(async () => {
  cloud = await startTestCloud();
  value(await publishRelease(cloud.store.releases, (await makeBuild(cloud.dir, '1.0.0')).dir, 'stable', [defaultVendor.publicKey]));
  // Larger than a stored chunk (4 MiB): the download is streamed from three of them.
  value(await publishRelease(cloud.store.releases, (await makeBuild(cloud.dir, '1.1.0', { appImageBytes: 9 * 1024 * 1024 + 17 })).dir, 'stable', [defaultVendor.publicKey]));
});
afterAll(() => cloud.close());

/** A workstation on 1.0.0 with 1.1.0 staged to every workstation of its clinic, downloaded as electron-updater does. */
async function offered() {
  const now = new Date();
  clock = new Date(now);
  clock.setHours(14, 0, 0, 0);
  if (clock <= now) clock.setDate(clock.getDate() + 1);
  const w = await firstWorkstation(cloud, { engine: engineOpts('1.0.0') });
  value(await w.a.api.call('updates.change', { group: null, change: { kind: 'promote', version: '1.1.0', percent: 100 }, expectSeq: 0 }));
  // Before its first sync round the workstation holds no guard credential, so no feed.
  expect(w.a.engine.updates.feed()).toBeNull();
  await w.sync.syncOnce();
  const feed = w.a.engine.updates.feed();
  if (!feed) throw new Error('a synced workstation has an update feed');
  expect(feed.url).not.toContain(feed.headers.authorization?.slice(6) ?? 'no secret');
  const updater = updaterFeed(feed);
  const info = await updater.latest();
  const { bytes } = await updater.download(info);
  const file = join(w.a.dataDir, 'pending-update.AppImage');
  await writeFile(file, bytes, { mode: 0o600 });
  let installs = 0;
  w.a.engine.updates.setInstaller(() => installs++);
  return { ...w, info, file, bytes, installs: () => installs };
}

const status = async (w: Awaited<ReturnType<typeof offered>>) => value(await w.a.api.call('updates.status', {}));
const events = async (w: Awaited<ReturnType<typeof offered>>) =>
  (await cloud.store.releases.newestUpdateEvents(w.tenantId)).map((e) => `${e.kind} ${e.version}${e.detail ? `: ${e.detail}` : ''}`);

it('installs a verified update only once the note is closed and the call is over, in IT’s window', async () => {
  const w = await offered();
  try {
    expect(w.info.version).toBe('1.1.0');
    expect(w.bytes.length).toBe(9 * 1024 * 1024 + 17);
    expect(await w.a.engine.updates.screen(w.info)).toEqual({ within: true, allowDowngrade: false });
    const note = randomUUID() as EncounterId;
    value(await w.a.api.call('updates.noteEditing', { encounterId: note, editing: true }));
    expect(value(await w.a.engine.updates.downloaded(w.info, w.file))).toEqual({ version: '1.1.0' });
    expect(w.installs()).toBe(0);
    expect((await status(w)).pending).toEqual({ version: '1.1.0', message: 'An update is ready and installs once the note is closed, at 19:00 or when you sign out.' });
    // In the window, an open note still holds it.
    clock = at(19, 30);
    await w.a.engine.updates.evaluate();
    expect(w.installs()).toBe(0);
    // The note closes at 14:00, with the physician still signed in: it waits for the window.
    clock = at(14, 0);
    value(await w.a.api.call('updates.noteEditing', { encounterId: note, editing: false }));
    await w.a.engine.updates.evaluate();
    expect(w.installs()).toBe(0);
    expect((await status(w)).pending?.message).toBe('An update is ready and installs at 19:00 or when you sign out.');
    // A video call in the window holds it too, until it ends.
    clock = at(19, 30);
    const visit = randomUUID();
    w.a.engine.care.opened('call', visit);
    await w.a.engine.updates.evaluate();
    expect(w.installs()).toBe(0);
    expect((await status(w)).pending?.message).toBe('An update is ready and installs after the call, at 19:00 or when you sign out.');
    w.a.engine.care.closed('call', visit);
    await w.a.engine.updates.evaluate();
    expect(w.installs()).toBe(1);
    expect((await status(w)).pending).toBeNull();
    expect(await events(w)).toEqual(expect.arrayContaining(['verified 1.1.0', 'install 1.1.0: window']));
  } finally {
    await w.a.cleanup();
  }
});

it('installs at sign-out, and the new version reports in once it starts', async () => {
  const w = await offered();
  try {
    // In touch with the cloud, it says which version it runs (once per start).
    await w.a.engine.updates.checkedIn();
    expect(await events(w)).toContain('running 1.0.0');
    expect(await w.a.engine.updates.screen(w.info)).toEqual({ within: true, allowDowngrade: false });
    value(await w.a.engine.updates.downloaded(w.info, w.file));
    expect(w.installs()).toBe(0);
    value(await w.a.api.call('session.signOut', {}));
    for (let i = 0; i < 50 && w.installs() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(w.installs()).toBe(1);
    expect(await events(w)).toContain('install 1.1.0: nobody-signed-in');
    await w.a.engine.close();
    const next = await openEngine(w.a.dataDir, engineOpts('1.1.0'));
    try {
      await next.engine.updates.booting();
      await next.engine.updates.started();
      expect(await events(w)).toContain('running 1.1.0');
      expect((await events(w)).filter((e) => e.startsWith('failure'))).toEqual([]);
      expect(value(await next.api.call('updates.status', {}))).toMatchObject({ version: '1.1.0', channel: 'stable', pending: null });
    } finally {
      await next.engine.close();
    }
  } finally {
    await w.a.cleanup().catch(() => undefined);
  }
});

it('refuses a tampered download and tells IT, and says when a new version failed to start twice', async () => {
  const w = await offered();
  try {
    expect(await w.a.engine.updates.screen(w.info)).toEqual({ within: true, allowDowngrade: false });
    const tampered = Buffer.from(w.bytes);
    tampered[7] = (tampered[7] ?? 0) ^ 0xff;
    await writeFile(w.file, tampered);
    const r = await w.a.engine.updates.downloaded(w.info, w.file);
    expect(r.ok ? 'installed' : r.error.code).toBe('hash-mismatch');
    value(await w.a.api.call('session.signOut', {}));
    await w.a.engine.updates.evaluate();
    expect(w.installs()).toBe(0);
    expect((await status(w)).lastProblem).toMatchObject({ code: 'hash-mismatch', message: 'The downloaded update is not the file the vendor signed for 1.1.0 (its SHA-512 differs).' });
    expect(await events(w)).toContain('refused 1.1.0: hash-mismatch: The downloaded update is not the file the vendor signed for 1.1.0 (its SHA-512 differs).');
    // The genuine file installs; the new version then dies before it is up, twice.
    await writeFile(w.file, w.bytes);
    value(await w.a.engine.updates.downloaded(w.info, w.file));
    expect(w.installs()).toBe(1);
    await w.a.engine.close();
    for (let start = 0; start < 3; start++) {
      const next = await openEngine(w.a.dataDir, engineOpts('1.1.0'));
      await next.engine.updates.booting();
      await next.engine.close();
    }
    expect(await events(w)).toContain('failure 1.1.0: 1.1.0 failed to start twice after it was installed.');
  } finally {
    await w.a.cleanup().catch(() => undefined);
  }
});
