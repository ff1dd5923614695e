// Migration 0006 on a version-5 database with change sets waiting and a refused message: the
// outbox counter starts at the number of change sets not yet pushed, and what was set aside
// before is a change set.
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

it('counts the change sets waiting to be pushed and marks what was set aside as change sets', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 5));
  await db.transaction(async (tx) => {
    for (const [msg, pushed, rows] of [['m1', 1, 3], ['m2', 0, 4], ['m3', 0, 1]] as const) {
      for (let i = 0; i < rows; i++) {
        await tx.run('INSERT INTO changes (msg_id, hlc, tbl, row_id, col, value, pushed) VALUES (?, ?, ?, ?, ?, ?, ?)', [msg, `h${msg}${i}`, 'patients', `r${i}`, 'family_name', '"x"', pushed]);
      }
    }
    await tx.run("INSERT INTO sync_quarantine (msg_id, seq, device_id, reason, received_at) VALUES ('bad', 7, 'd', 'unreadable', 'now')");
  });
  expect(await migrate(db, migrations.slice(0, 6))).toEqual({ ok: true, value: { from: 5, to: 6 } });
  expect(await schemaVersion(db)).toBe(6);
  expect(await db.get("SELECT value FROM sync_counters WHERE name = 'pending'")).toEqual({ value: 2 });
  expect(await db.get('SELECT kind FROM sync_quarantine')).toEqual({ kind: 'change-set' });
  await db.close();
});
