// Migration 0008 on a version-7 database with a vitals set, a lab, an allergy and a medication:
// each keeps what it had, the medication is active with no override, and the new correction
// columns take a reason, who and when.
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

it('adds corrections and overrides to the chart rows, which keep their values', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 7));
  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO patients (id, mrn, family_name, given_names, date_of_birth, sex_at_birth, created_at, updated_at) VALUES ('p1', 'M1', 'Okafor', 'Ada', '1980-01-01', 'female', 'now', 'now')");
    await tx.run("INSERT INTO vitals (id, patient_id, taken_at, weight_kg, recorded_by) VALUES ('v1', 'p1', 'now', 150, 'u1')");
    await tx.run("INSERT INTO lab_results (id, patient_id, test, value, unit, collected_on, recorded_by) VALUES ('l1', 'p1', 'K', 9.9, 'mmol/L', '2026-10-01', 'u1')");
    await tx.run("INSERT INTO allergies (id, patient_id, substance, reaction, severity, active, recorded_by, recorded_at) VALUES ('a1', 'p1', 'Penicillin', '', 'severe', 1, 'u1', 'now')");
    await tx.run("INSERT INTO medications (id, patient_id, name, recorded_by, recorded_at) VALUES ('m1', 'p1', 'Amoxicillin', 'u1', 'now')");
  });
  expect(await migrate(db, migrations.slice(0, 8))).toEqual({ ok: true, value: { from: 7, to: 8 } });
  expect(await schemaVersion(db)).toBe(8);
  expect(await db.get('SELECT weight_kg, error_reason FROM vitals')).toEqual({ weight_kg: 150, error_reason: null });
  expect(await db.get('SELECT value, error_at FROM lab_results')).toEqual({ value: 9.9, error_at: null });
  expect(await db.get('SELECT substance, active, inactive_reason FROM allergies')).toEqual({ substance: 'Penicillin', active: 1, inactive_reason: null });
  expect(await db.get('SELECT name, active, allergy_override FROM medications')).toEqual({ name: 'Amoxicillin', active: 1, allergy_override: null });
  await db.transaction((tx) => tx.run("UPDATE vitals SET error_reason = 'kg, not lb', error_by = 'u1', error_at = 'now' WHERE id = 'v1'"));
  await expect(db.transaction((tx) => tx.run("UPDATE medications SET active = 2 WHERE id = 'm1'"))).rejects.toThrow(/CHECK/);
  await db.close();
});
