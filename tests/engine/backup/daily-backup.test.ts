// The daily backup to a folder an admin chose (issue 12, point 6): refused for a folder that is
// not one; a backup now; then one a day while someone is signed in, none before a day has
// passed, each a new file that the recovery code opens; a folder that went away is said in
// words and shown until the next backup works. The service's clock is the one the test gives.
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openBackup } from '../../../electron/engine/backup/backup-file';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { tempDir, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('backs up once a day to the chosen folder while someone is signed in, and says when it cannot', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, recoveryCode } = await firstWorkstation(cloud);
  cleanups.push(a.cleanup);
  const folder = await tempDir('chartroom-usb-');
  cleanups.push(() => rm(folder, { recursive: true, force: true }));

  expect(await a.api.call('backup.runNow', {})).toMatchObject({ ok: false, error: { code: 'no-backup-folder' } });
  expect(await a.api.call('backup.setFolder', { folder: 'relative/path' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(await a.api.call('backup.setFolder', { folder: join(folder, 'not-there') })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no folder at that path/) } });
  const set = value(await a.api.call('backup.setFolder', { folder }));
  expect(set).toMatchObject({ folder, lastAt: null, lastError: null });

  const first = value(await a.api.call('backup.runNow', {}));
  expect(first.file.startsWith(join(folder, 'chartroom-maple-street-family-practice-'))).toBe(true);
  const t0 = Date.parse(first.createdAt);
  const backups = a.engine.backups;
  // Not again within the day; again once a day has passed.
  expect(await backups.tick(new Date(t0 + 23 * 3600_000))).toBeNull();
  const second = await backups.tick(new Date(t0 + 24 * 3600_000 + 60_000));
  expect(second?.ok).toBe(true);
  expect((await readdir(folder)).filter((f) => f.endsWith('.chartroom-backup'))).toHaveLength(2);
  if (!second?.ok) throw new Error('second backup');
  expect(value(await a.api.call('backup.status', {}))).toMatchObject({ lastFile: second.value.file, lastError: null, nextAt: new Date(t0 + 48 * 3600_000 + 60_000).toISOString() });
  const opened = await openBackup(await readFile(second.value.file), recoveryCode);
  expect(opened.ok && opened.value.header.clinicName).toBe('Maple Street Family Practice');
  expect(value(await a.api.call('audit.query', { limit: 20 })).filter((r) => r.action === 'backup.write')).toHaveLength(2);

  // The drive is gone: the next backup says so, and the admin sees it until one works again.
  await rm(folder, { recursive: true, force: true });
  const failed = await backups.tick(new Date(t0 + 49 * 3600_000));
  expect(failed?.ok).toBe(false);
  expect(value(await a.api.call('backup.status', {})).lastError).toMatch(/could not be written to the folder \(ENOENT\)\. Is the drive there\?/);
  // Not tried again every quarter of an hour; an hour later, with the drive back, it works.
  expect(await backups.tick(new Date(t0 + 49 * 3600_000 + 15 * 60_000))).toBeNull();
  await mkdir(folder);
  await chmod(folder, 0o700);
  expect((await backups.tick(new Date(t0 + 50 * 3600_000 + 60_000)))?.ok).toBe(true);
  expect(value(await a.api.call('backup.status', {})).lastError).toBeNull();

  // Signed out, nothing is backed up (the database is closed).
  value(await a.api.call('session.signOut', {}));
  expect(await backups.tick(new Date(t0 + 80 * 3600_000))).toBeNull();
});
