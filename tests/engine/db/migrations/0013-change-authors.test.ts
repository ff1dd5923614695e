// Migration 0013 on a version-12 database: an empty list of change sets' authors, one per change
// set; change sets already written keep having none (they are sent without one).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../../electron/engine/db/migrate';
import { migrations } from '../../../../electron/engine/db/migrations';
import { pendingChangeSets } from '../../../../electron/engine/sync/apply';
import { tempDir } from '../../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('adds the change sets’ authors, empty, one per change set; older change sets have none', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 12));
  await db.transaction((tx) => tx.run("INSERT INTO changes (msg_id, hlc, tbl, row_id, col, value) VALUES ('m-old', '000001764748800000-0000-aaaaaaaaaaaaaaaa', 'patients', 'p1', 'family_name', '\"Old\"')"));
  expect(await migrate(db, migrations.slice(0, 13))).toEqual({ ok: true, value: { from: 12, to: 13 } });
  expect(await schemaVersion(db)).toBe(13);
  expect(await db.all('SELECT * FROM change_authors')).toEqual([]);
  expect((await db.read((tx) => pendingChangeSets(tx, 10))).map((s) => [s.msgId, s.by])).toEqual([['m-old', null]]);
  await db.transaction((tx) => tx.run("INSERT INTO change_authors (msg_id, user_id) VALUES ('m-old', 'u1')"));
  await expect(db.transaction((tx) => tx.run("INSERT INTO change_authors (msg_id, user_id) VALUES ('m-old', 'u2')"))).rejects.toThrow(/UNIQUE|PRIMARY/);
  expect((await db.read((tx) => pendingChangeSets(tx, 10))).map((s) => s.by)).toEqual(['u1']);
  await db.close();
});
