// Migration 0001 on an empty encrypted database: the schema exists, search indexes follow
// writes through the triggers, and the version is recorded.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../../electron/engine/db/migrate';
import { migration0001 } from '../../../../electron/engine/db/migrations/0001-initial';
import { tempDir } from '../../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('creates the schema and keeps patient search in step with patient rows', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  const r = await migrate(db, [migration0001]);
  expect(r).toEqual({ ok: true, value: { from: 0, to: 1 } });
  expect(await schemaVersion(db)).toBe(1);
  const tables = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")).map((t) => t.name);
  expect(tables).toEqual(expect.arrayContaining(['audit_log', 'changes', 'clinic', 'mrn_sequence', 'patient_fts', 'patients', 'settings', 'users']));

  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO patients (id, mrn, family_name, given_names, date_of_birth, sex_at_birth, phone_digits, created_at, updated_at)
       VALUES ('p1', '1000017', 'Lindqvist', 'Astrid', '1950-01-01', 'female', '5552014477', 'now', 'now')`,
    );
  });
  const match = (q: string) => db.all('SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?', [q]);
  expect(await match('names : lindq*')).toHaveLength(1);
  expect(await match('numbers : 2014477')).toHaveLength(1);
  await db.transaction(async (tx) => { await tx.run("UPDATE patients SET family_name = 'Berg' WHERE id = 'p1'"); });
  expect(await match('names : lindq*')).toHaveLength(0);
  expect(await match('names : berg')).toHaveLength(1);
  await db.transaction(async (tx) => { await tx.run("DELETE FROM patients WHERE id = 'p1'"); });
  expect(await match('names : berg')).toHaveLength(0);
  await db.close();
});
