// Migration 0010 on a version-9 database: the daily backup's one row, with no folder chosen yet.
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

it('adds the daily backup’s settings, with no folder and no backup yet', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 9));
  expect(await migrate(db, migrations.slice(0, 10))).toEqual({ ok: true, value: { from: 9, to: 10 } });
  expect(await schemaVersion(db)).toBe(10);
  expect(await db.all('SELECT folder, last_at, last_error FROM backup_schedule')).toEqual([{ folder: null, last_at: null, last_error: null }]);
  await expect(db.transaction((tx) => tx.run('INSERT INTO backup_schedule (id) VALUES (2)'))).rejects.toThrow(/CHECK/);
  await db.close();
});
