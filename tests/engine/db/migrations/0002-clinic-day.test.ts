// Migration 0002 on a version-1 database holding a patient: the patient survives with
// "allergies unknown", the clinic-day tables exist, and a signed note refuses any change.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../../electron/engine/db/connection';
import { migrate, schemaVersion } from '../../../../electron/engine/db/migrate';
import { migration0001 } from '../../../../electron/engine/db/migrations/0001-initial';
import { migration0002 } from '../../../../electron/engine/db/migrations/0002-clinic-day';
import { tempDir } from '../../../helpers/engine';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('adds the clinic-day tables to a version-1 database without touching its patients', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, [migration0001]);
  await db.transaction(async (tx) => {
    await tx.run(`INSERT INTO users (id, username, display_name, roles, created_at) VALUES ('u1', 'doc', 'Dr Doc', '["physician"]', 'now')`);
    await tx.run(
      `INSERT INTO patients (id, mrn, family_name, given_names, date_of_birth, sex_at_birth, created_at, updated_at)
       VALUES ('p1', '1000017', 'Lindqvist', 'Astrid', '1950-01-01', 'female', 'now', 'now')`,
    );
  });

  expect(await migrate(db, [migration0001, migration0002])).toEqual({ ok: true, value: { from: 1, to: 2 } });
  expect(await schemaVersion(db)).toBe(2);
  expect(await db.get('SELECT family_name, no_known_allergies FROM patients WHERE id = ?', ['p1'])).toEqual({ family_name: 'Lindqvist', no_known_allergies: 0 });

  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO encounters (id, patient_id, provider_id, kind, started_at) VALUES ('e1', 'p1', 'u1', 'walk-in', 'now')");
    await tx.run("INSERT INTO notes (id, encounter_id, author_id, assessment, status, signed_by, signed_at, updated_at) VALUES ('n1', 'e1', 'u1', 'Well', 'signed', 'u1', 'now', 'now')");
  });
  await expect(db.transaction((tx) => tx.run("UPDATE notes SET assessment = 'Changed' WHERE id = 'n1'"))).rejects.toThrow(/note-signed/);
  await expect(db.transaction((tx) => tx.run("DELETE FROM notes WHERE id = 'n1'"))).rejects.toThrow(/note-signed/);
  expect(await db.get("SELECT assessment FROM notes WHERE id = 'n1'")).toEqual({ assessment: 'Well' });
  await expect(db.transaction((tx) => tx.run("INSERT INTO appointments (id, patient_id, provider_id, type_id, start, duration_minutes, created_at, updated_at) VALUES ('a1', 'nobody', 'u1', 't', '2030-01-01T09:00', 20, 'now', 'now')")))
    .rejects.toThrow(/FOREIGN KEY/);
  await db.close();
});
