// Migration 0004 on a version-3 database with a user and a patient: both keep their data, and
// gain the columns that make the record clinic-wide, empty until a password or a merge sets them.
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

it('adds key records, the recovery public key and merge marks without touching existing rows', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 3));
  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO clinic (id, name, created_at) VALUES ('c1', 'Maple Street', '2026-01-01')");
    await tx.run("INSERT INTO users (id, username, display_name, roles, disabled, created_at) VALUES ('u1', 'ada', 'Ada', '[\"admin\"]', 0, '2026-01-01')");
    await tx.run("INSERT INTO patients (id, mrn, family_name, given_names, date_of_birth, sex_at_birth, created_at, updated_at) VALUES ('p1', '010000018', 'Okafor', 'Ngozi', '1980-02-03', 'female', '2026-01-01', '2026-01-01')");
  });
  expect(await migrate(db, migrations.slice(0, 4))).toEqual({ ok: true, value: { from: 3, to: 4 } });
  expect(await schemaVersion(db)).toBe(4);
  expect(await db.get('SELECT username, key_record FROM users')).toEqual({ username: 'ada', key_record: null });
  expect(await db.get('SELECT name, recovery_public_key FROM clinic')).toEqual({ name: 'Maple Street', recovery_public_key: null });
  expect(await db.get('SELECT family_name, merged_into, merged_at FROM patients')).toEqual({ family_name: 'Okafor', merged_into: null, merged_at: null });
  await db.close();
});
