// Migration 0009 on a version-8 database, enrolled, with audit rows of its own: they stay, none
// counts as sent yet (the first round sends them all), and the clinic's audit table takes rows
// but refuses to change or delete one.
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

it('adds the clinic-wide audit table (append-only) and the send cursor, keeping this workstation’s rows', async () => {
  dir = await tempDir();
  const db = await Db.open({ file: join(dir, 'x.db'), key: randomBytes(32) });
  await migrate(db, migrations.slice(0, 8));
  await db.transaction(async (tx) => {
    await tx.run("INSERT INTO audit_log (seq, at, user_id, username, workstation_id, action, patient_id, outcome, detail, prev_hash, hash) VALUES (1, 'now', 'u1', 'ada', 'w1', 'session.signIn', NULL, 'success', NULL, 'p', 'h')");
    await tx.run("INSERT INTO sync_identity (id, cloud_url, tenant_id, device_id, signing_key, box_key, enrolled_at) VALUES (1, 'http://127.0.0.1:1', 't', 'd', x'00', x'00', 'now')");
  });
  expect(await migrate(db, migrations.slice(0, 9))).toEqual({ ok: true, value: { from: 8, to: 9 } });
  expect(await schemaVersion(db)).toBe(9);
  expect(await db.get('SELECT action FROM audit_log')).toEqual({ action: 'session.signIn' });
  expect(await db.get('SELECT audit_sent_seq, device_name FROM sync_identity')).toEqual({ audit_sent_seq: 0, device_name: null });
  await db.transaction((tx) => tx.run(
    "INSERT INTO clinic_audit (workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail, prev_hash, hash, device_id) VALUES ('w2', 1, 'now', 'u2', 'nia', 'patients.read', 'p1', 'success', NULL, 'p', 'h', 'd2')",
  ));
  await expect(db.transaction((tx) => tx.run("UPDATE clinic_audit SET action = 'nothing' WHERE workstation_id = 'w2'"))).rejects.toThrow(/never changed/);
  await expect(db.transaction((tx) => tx.run('DELETE FROM clinic_audit'))).rejects.toThrow(/never deleted/);
  expect(await db.get('SELECT count(*) AS n FROM clinic_audit')).toEqual({ n: 1 });
  await db.close();
});
