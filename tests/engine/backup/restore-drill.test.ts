// Restore drills (issue 12, point 7, from a backup): the newest backup in the folder is restored
// into a temporary folder through the real restore, timed and removed; the report says what the
// live record changed since; a wrong recovery code fails the drill in words; the admin is warned
// when the last good drill is over 30 days old; each drill is in the audit log.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { patient, tempDir, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const drillDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('chartroom-drill-'));

it('restores the newest backup to a temporary folder, checks and times it, and keeps the report', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, recoveryCode: code } = await firstWorkstation(cloud);
  cleanups.push(a.cleanup);
  const folder = await tempDir('chartroom-usb-');
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  expect(await a.api.call('backup.drill', { recoveryCode: code })).toMatchObject({ ok: false, error: { code: 'no-backup-folder' } });
  value(await a.api.call('backup.setFolder', { folder }));
  expect(await a.api.call('backup.drill', { recoveryCode: code })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no backup in the backup folder/) } });
  expect(value(await a.api.call('backup.status', {}))).toMatchObject({ lastDrill: null, drillOverdue: true });
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Drillsworth' }) }));
  const backup = value(await a.api.call('backup.runNow', {}));
  const before = await drillDirs();

  const good = value(await a.api.call('backup.drill', { recoveryCode: code }));
  expect(good).toMatchObject({ ok: true, file: backup.file, backupAt: backup.createdAt, changedSince: [] });
  expect(good.message).toMatch(/^Restored 1 patients and \d+ audit rows; integrity, audit chains and every table's count and hash checked\.$/);
  expect(good.seconds).toBeGreaterThan(0);
  expect(await drillDirs()).toEqual(before);
  expect(value(await a.api.call('backup.status', {}))).toMatchObject({ lastDrill: { ok: true, at: good.at }, drillOverdue: false });
  expect(value(await a.api.call('audit.query', { limit: 20 })).find((r) => r.action === 'backup.drill')).toMatchObject({ outcome: 'success' });

  // What changed since the backup is named; a wrong code fails the drill, in words.
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterdrill', dateOfBirth: '1990-01-01', phone: '5550100000' }) }));
  const wrong = value(await a.api.call('backup.drill', { recoveryCode: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789' }));
  expect(wrong).toMatchObject({ ok: false, message: expect.stringMatching(/^That recovery code does not open this backup/), changedSince: expect.arrayContaining(['patients']) });
  expect(value(await a.api.call('backup.status', {})).drillOverdue).toBe(true);
  expect(value(await a.api.call('audit.query', { limit: 20 })).find((r) => r.action === 'backup.drill')).toMatchObject({ outcome: 'failed' });

  // A good drill, then 31 days without one: overdue.
  const again = value(await a.api.call('backup.drill', { recoveryCode: code }));
  expect(again.ok).toBe(true);
  expect((await a.engine.backups.status(new Date(Date.parse(again.at) + 29 * 24 * 3600_000)))?.drillOverdue).toBe(false);
  expect((await a.engine.backups.status(new Date(Date.parse(again.at) + 31 * 24 * 3600_000)))?.drillOverdue).toBe(true);
});
