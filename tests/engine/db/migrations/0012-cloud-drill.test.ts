// Migration 0012 on a version-11 database: the backup schedule keeps its folder and its last
// backup drill, and gains an empty place for the last drill from the cloud.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../../electron/engine/db/migrate';
import { migrations } from '../../../../electron/engine/db/migrations';
import { tempDir } from '../../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('adds the last cloud drill to the backup schedule, keeping what it held', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 11));
  await db.transaction((tx) => tx.run("UPDATE backup_schedule SET folder = '/media/usb', last_drill_report = '{\"ok\":true}' WHERE id = 1"));
  expect(await migrate(db, migrations.slice(0, 12))).toEqual({ ok: true, value: { from: 11, to: 12 } });
  expect(await schemaVersion(db)).toBe(12);
  expect(await db.all('SELECT folder, last_drill_report, last_cloud_drill_report FROM backup_schedule')).toEqual([
    { folder: '/media/usb', last_drill_report: '{"ok":true}', last_cloud_drill_report: null },
  ]);
  await db.close();
});
