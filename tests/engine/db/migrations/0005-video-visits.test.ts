// Migration 0005 on a version-4 database with an appointment: the video visits table starts
// empty and accepts a visit for an existing appointment only; encounters gain the call's times.
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

it('adds video visits tied to appointments', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 4));
  expect(await migrate(db, migrations.slice(0, 5))).toEqual({ ok: true, value: { from: 4, to: 5 } });
  expect(await schemaVersion(db)).toBe(5);
  expect(await db.all('SELECT * FROM video_visits')).toEqual([]);
  const cols = (await db.all<{ name: string }>("SELECT name FROM pragma_table_info('encounters')")).map((c) => c.name);
  expect(cols).toEqual(expect.arrayContaining(['call_started_at', 'call_ended_at', 'call_seconds']));
  const insert = (appointment: string) => db.transaction((tx) => tx.run(
    "INSERT INTO video_visits (id, appointment_id, link_token, identity_key, valid_from, valid_until, created_by, created_at) VALUES (?, ?, 't', '{}', 'a', 'b', 'u', 'c')",
    [`v-${appointment}`, appointment],
  ));
  await expect(insert('no-such-appointment')).rejects.toThrow(/FOREIGN KEY/);
  await db.close();
});
