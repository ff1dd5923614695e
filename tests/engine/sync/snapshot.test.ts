// A snapshot carries the record's per-table counts and hashes as its writer read them
// (electron/engine/sync/snapshot.ts, v2): restoring one into an empty SQLCipher database
// checks what it wrote against them, so a snapshot whose rows were changed after its hashes
// were taken (by a faulty build, or a workstation taken over) is refused and nothing is kept.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { OpenClinic } from '../../../electron/engine/clinic/open-clinic';
import { recordFingerprints } from '../../../electron/engine/db/record-fingerprints';
import { buildSnapshot, restoreSnapshot, SnapshotRefused } from '../../../electron/engine/sync/snapshot';
import { clinicOf, patient, setUpClinic, tempDir, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function emptyClinic(): Promise<OpenClinic> {
  const opened = await OpenClinic.open(join(await tempDir(), 'restored.db'), randomBytes(32), 'ws-restore-test', () => undefined);
  if (!opened.ok) throw new Error(opened.error.code);
  cleanups.push(() => opened.value.close());
  return opened.value;
}

it('restores a snapshot that hashes as sealed, and refuses one whose rows were changed after', async () => {
  const a = await setUpClinic({ roles: ['admin', 'front-desk'] });
  cleanups.push(a.cleanup);
  for (const [i, family] of ['Quince', 'Rowan'].entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Ida', dateOfBirth: `198${i}-03-04`, phone: `(555) 410-100${i}` }) }));
    expect(r.status).toBe('created');
  }
  const source = clinicOf(a.engine).db;
  const compressed = await source.read((tx) => buildSnapshot(tx, 'ws-source'));
  const plain = gunzipSync(compressed).toString('utf8');
  const header = JSON.parse(plain.slice(0, plain.indexOf('\n'))) as { v: number; fingerprints: Record<string, { rows: number }> };
  expect(header.v).toBe(2);
  expect(header.fingerprints.patients?.rows).toBe(2);

  const good = await emptyClinic();
  const restored = await good.replicate((tx) => restoreSnapshot(tx, compressed));
  expect(restored.fingerprints).toEqual(await source.read((tx) => recordFingerprints(tx)));
  expect(await good.db.all('SELECT family_name FROM patients ORDER BY family_name')).toEqual([{ family_name: 'Quince' }, { family_name: 'Rowan' }]);

  // Same length, so the framing still adds up: only the hashes can tell.
  const tampered = gzipSync(Buffer.from(plain.replace('"Rowan"', '"WIPED"')));
  const bad = await emptyClinic();
  const refused = await bad.replicate((tx) => restoreSnapshot(tx, tampered)).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(SnapshotRefused);
  expect((refused as Error).message).toBe('it does not hold what its writer sealed (patients)');
  expect(await bad.db.all('SELECT id FROM patients')).toEqual([]);
});
