// Migration 0011 on a version-10 database: an empty list of change sets a restore set aside,
// one row per change set.
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

it('adds the list of change sets a restore set aside, empty, one row per change set', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 10));
  const before = await db.all('SELECT count(*) AS n FROM patients');
  expect(await migrate(db, migrations.slice(0, 11))).toEqual({ ok: true, value: { from: 10, to: 11 } });
  expect(await schemaVersion(db)).toBe(11);
  expect(await db.all('SELECT * FROM restore_kept_aside')).toEqual([]);
  expect(await db.all('SELECT count(*) AS n FROM patients')).toEqual(before);
  const row = ['m1', 7, 'd1', '2026-12-01T10:00:00.000Z', '[]', 0, '2026-12-03T10:00:00.000Z'];
  await db.transaction((tx) => tx.run('INSERT INTO restore_kept_aside (msg_id, seq, device_id, at, rows, fields, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?)', row));
  await expect(db.transaction((tx) => tx.run('INSERT INTO restore_kept_aside (msg_id, seq, device_id, at, rows, fields, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?)', row))).rejects.toThrow(/UNIQUE|PRIMARY/);
  await db.close();
});
