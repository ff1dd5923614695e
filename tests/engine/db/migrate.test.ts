// The migration runner: all pending migrations in one transaction, and a database written by
// a newer Chartroom is refused untouched.
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../electron/engine/db/migrate';
import type { Migration } from '../../../electron/engine/db/migrations/migration';
import { tempDir } from '../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

const create = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (tx) => tx.exec(sql) });

it('refuses a database newer than the app and leaves it as it was', async () => {
  dir = await tempDir();
  const file = join(dir, 'x.db');
  const db = await Db.open({ file, key: randomBytes(32) });
  await db.exec('CREATE TABLE t (x); PRAGMA user_version = 7');
  await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const before = await readFile(file);
  const r = await migrate(db, [create(1, 'CREATE TABLE a (x)')]);
  expect(r.ok).toBe(false);
  expect(!r.ok && r.error.code).toBe('db-newer-than-app');
  expect(await schemaVersion(db)).toBe(7);
  await db.close();
  expect((await readFile(file)).equals(before)).toBe(true);
});

it('applies every pending migration in one transaction: a failure leaves none applied', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  const good = create(1, 'CREATE TABLE a (x)');
  const bad = create(2, 'CREATE TABLE b (x); INSERT INTO nope VALUES (1)');
  await expect(migrate(db, [good, bad])).rejects.toThrow();
  expect(await schemaVersion(db)).toBe(0);
  expect(await db.get("SELECT name FROM sqlite_master WHERE name = 'a'")).toBeUndefined();
  const fixed = [good, create(2, 'CREATE TABLE b (x)')];
  expect(await migrate(db, fixed)).toEqual({ ok: true, value: { from: 0, to: 2 } });
  expect(await migrate(db, fixed)).toEqual({ ok: true, value: { from: 2, to: 2 } });
  await db.close();
});
