// Migration 0003 on a version-2 database with history: every field's winning clock is
// backfilled from the change log, and the sync bookkeeping tables start empty.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../../electron/engine/db/migrate';
import { migration0001 } from '../../../../electron/engine/db/migrations/0001-initial';
import { migration0002 } from '../../../../electron/engine/db/migrations/0002-clinic-day';
import { migration0003 } from '../../../../electron/engine/db/migrations/0003-sync';
import { tempDir } from '../../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('backfills field clocks from the change log', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, [migration0001, migration0002]);
  await db.transaction(async (tx) => {
    const rows: [string, string, string, string][] = [
      ['m1', '000000000000001-0000-aa', 'patients', 'family_name'],
      ['m2', '000000000000003-0000-aa', 'patients', 'family_name'],
      ['m2', '000000000000003-0001-aa', 'patients', 'phone'],
    ];
    for (const [msg, hlc, tbl, col] of rows) {
      await tx.run("INSERT INTO changes (msg_id, hlc, tbl, row_id, col, value) VALUES (?, ?, ?, 'p1', ?, '\"x\"')", [msg, hlc, tbl, col]);
    }
  });
  expect(await migrate(db, [migration0001, migration0002, migration0003])).toEqual({ ok: true, value: { from: 2, to: 3 } });
  expect(await schemaVersion(db)).toBe(3);
  expect(await db.all('SELECT col, hlc FROM field_versions ORDER BY col')).toEqual([
    { col: 'family_name', hlc: '000000000000003-0000-aa' },
    { col: 'phone', hlc: '000000000000003-0001-aa' },
  ]);
  for (const t of ['applied_messages', 'sync_quarantine', 'sync_conflicts']) expect(await db.all(`SELECT * FROM ${t}`)).toEqual([]);
  await db.close();
});
