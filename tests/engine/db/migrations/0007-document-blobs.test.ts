// Migration 0007 on a version-6 database with a document kept inline: the document keeps its
// content and gains empty blob columns; the local blob tables start empty and take a transfer.
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

it('adds blobs beside the documents kept inline, which keep their content', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 6));
  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO patients (id, mrn, family_name, given_names, date_of_birth, sex_at_birth, created_at, updated_at) VALUES ('p1', 'M1', 'Okafor', 'Ada', '1980-01-01', 'female', 'now', 'now')");
    await tx.run("INSERT INTO documents (id, patient_id, title, mime, bytes, content, uploaded_by, uploaded_at) VALUES ('d1', 'p1', 'Scan', 'application/pdf', 4, X'25504446', 'u1', 'now')");
  });
  expect(await migrate(db, migrations.slice(0, 7))).toEqual({ ok: true, value: { from: 6, to: 7 } });
  expect(await schemaVersion(db)).toBe(7);
  expect(await db.get('SELECT hex(content) AS content, blob_id, chunks FROM documents')).toEqual({ content: '25504446', blob_id: null, chunks: null });
  expect(await db.all('SELECT * FROM blob_chunks')).toEqual([]);
  await db.transaction((tx) => tx.run("INSERT INTO blob_transfers (blob_id, direction, state, total, updated_at) VALUES ('b1', 'down', 'fetching', 3, 'now')"));
  await expect(db.transaction((tx) => tx.run("INSERT INTO blob_transfers (blob_id, direction, state, total, updated_at) VALUES ('b2', 'sideways', 'fetching', 3, 'now')"))).rejects.toThrow(/CHECK/);
  await db.close();
});
