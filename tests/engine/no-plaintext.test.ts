// Nothing readable on disk: a patient's details appear in no file of the data dir, plain
// SQLite cannot open the database, and SQLCipher with the key can.
import { createRequire } from 'node:module';
import type * as Sqlcipher from '@journeyapps/sqlcipher';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { filesUnder } from '../helpers/files';
import { Db } from '../../electron/engine/db/connection';
import { adminPassword, patient, setUpClinic, value, clinicOf } from '../helpers/engine';

const sqlite3 = createRequire(import.meta.url)('@journeyapps/sqlcipher') as typeof Sqlcipher;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());


it('registers a patient with a unique name whose bytes appear in no file under the data dir', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const unique = `Zyxwquorth${Date.now().toString(36)}`;
  const email = `${unique.toLowerCase()}@example.org`;
  const reg = value(await c.api.call('patients.register', { fields: patient({ familyName: unique, givenNames: 'Petronella', email, phone: '555-987-1234' }) }));
  expect(reg.status).toBe('created');
  const scan = async (expected: string[]) => {
    const files = await filesUnder(c.dataDir);
    expect(files.map((f) => f.slice(c.dataDir.length + 1)).sort()).toEqual(expect.arrayContaining(expected));
    for (const needle of [unique, unique.toLowerCase(), 'Petronella', email, '5559871234', 'SQLite format 3', adminPassword, 'wrong password for the log']) {
      for (const f of files) {
        const bytes = await readFile(f);
        expect(bytes.includes(Buffer.from(needle)), `${needle} found in ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${needle} (UTF-16) found in ${f}`).toBe(false);
      }
    }
  };
  // Read it back, and fail a call, so reads, searches, errors and the audit log all touch the files.
  value(await c.api.call('patients.search', { query: unique.slice(0, 6) }));
  value(await c.api.call('patients.get', { patientId: reg.status === 'created' ? reg.patient.id : ('' as never) }));
  await c.invoke('patients.register', { fields: { familyName: unique } });
  await scan(['chartroom.db', 'chartroom.db-wal', 'keyring.json', 'logs/engine.log']);
  // Signed out (database closed, WAL checkpointed) and after a failed sign-in.
  await c.api.call('session.signOut', {});
  expect((await c.api.call('session.signIn', { username: 'admin', password: 'wrong password for the log' })).ok).toBe(false);
  await scan(['chartroom.db', 'keyring.json', 'sign-in-attempts.json', 'logs/engine.log']);
  expect((await stat(join(c.dataDir, 'chartroom.db'))).size).toBeGreaterThan(0);

  // Plain SQLite (the same driver, no key) cannot read it.
  const plain = new sqlite3.Database(join(c.dataDir, 'chartroom.db'));
  const err = await new Promise<Error | null>((res) => plain.get('SELECT count(*) FROM sqlite_master', (e) => res(e)));
  expect(err?.message).toMatch(/file is not a database/);
  await new Promise((res) => plain.close(res));

  // SQLCipher with the key can.
  value(await c.api.call('session.signIn', { username: 'admin', password: adminPassword }));
  const key = Buffer.from(clinicOf(c.engine).databaseKey);
  const db = await Db.open({ file: join(c.dataDir, 'chartroom.db'), key });
  const row = await db.get<{ family_name: string }>('SELECT family_name FROM patients WHERE email = ?', [email]);
  expect(row?.family_name).toBe(unique);
  await db.close();
});
