// Offline backups (issue 12, point 6), through the admin command line as IT would run it: a
// backup of a clinic with patients, charts, users and an audit trail is one file, 0600, with no
// patient data in the clear; with every data dir gone and no cloud, `admin restore --from FILE`
// and the recovery code rebuild the clinic on an empty data dir, every table's count and hash
// equal to before; each user signs in with their own password; the trail is there by name; a
// new patient gets an MRN of its own. A wrong code, or a file changed anywhere, restores nothing.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { recordFingerprints } from '../../../electron/engine/db/record-fingerprints';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, openEngine, patient, tempDir, value } from '../../helpers/engine';

const run = promisify(execFile);
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function admin(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'electron/engine/cli/admin.ts', ...args], { env: { ...process.env, ...env } });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

const nurse = { username: 'quintessa', password: 'quintessa-own-password-1' };

it('restores the whole clinic from one backup file and the recovery code, with no cloud and no workstation left', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, recoveryCode } = await firstWorkstation(cloud, { roles: ['admin', 'physician', 'front-desk'] });
  value(await a.api.call('users.create', { username: nurse.username, displayName: 'Quintessa Nurse', roles: ['nurse'], password: nurse.password }));
  const people = ['Abernathy', 'Brightwater', 'Castellanos', 'Duquesne', 'Ellingsworth'];
  const ids: string[] = [];
  for (const [i, family] of people.entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Marisol', dateOfBirth: `197${i}-0${i + 1}-1${i}`, phone: `555010${i}${i}${i}${i}` }) }));
    if (r.status !== 'created') throw new Error('setup');
    ids.push(r.patient.id);
  }
  value(await a.api.call('allergies.add', { patientId: ids[0] as never, allergy: { substance: 'Penicillin', reaction: 'Hives', severity: 'severe' } }));
  value(await a.api.call('vitals.record', { patientId: ids[1] as never, vitals: { systolic: 128, diastolic: 82, heartRate: 71 } }));
  value(await a.api.call('chart.summary', { patientId: ids[2] as never }));
  const before = await clinicOf(a.engine).db.read((tx) => recordFingerprints(tx));
  const mrns = (await clinicOf(a.engine).db.all<{ mrn: string }>('SELECT mrn FROM patients')).map((r) => r.mrn);
  value(await a.api.call('session.signOut', {}));

  const out = join(await tempDir('chartroom-backups-'), 'maple-street.chartroom-backup');
  const written = await admin(['backup', '--data-dir', a.dataDir, '--out', out, '--user', 'admin'], { CHARTROOM_PASSWORD: adminPassword });
  expect(written.out).toMatch(/Backup written and read back: .*maple-street\.chartroom-backup\n\s+5 patients, \d+ bytes, sha256 [0-9a-f]{64}/);
  expect(written.code).toBe(0);
  expect(((await stat(out)).mode & 0o777).toString(8)).toBe('600');
  const bytes = await readFile(out);
  for (const secret of [...people, 'Penicillin', 'Quintessa', nurse.password, recoveryCode]) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
  // A second backup never replaces the first.
  expect((await admin(['backup', '--data-dir', a.dataDir, '--out', out], { CHARTROOM_PASSWORD: adminPassword })).out).toContain('already-exists');

  // Every workstation lost, and no cloud.
  await a.cleanup();
  await cloud.close();
  cleanups = [];

  const fresh = await tempDir('chartroom-restored-');
  cleanups.push(() => rm(fresh, { recursive: true, force: true }));
  const wrong = await admin(['restore', '--data-dir', fresh, '--from', out], { CHARTROOM_RECOVERY_CODE: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789' });
  expect([wrong.code, wrong.out]).toEqual([1, expect.stringContaining('wrong-recovery-code')]);
  expect((await readdir(fresh)).filter((f) => f.startsWith('chartroom.db') || f === 'keyring.json')).toEqual([]);
  const restored = await admin(['restore', '--data-dir', fresh, '--from', out], { CHARTROOM_RECOVERY_CODE: recoveryCode });
  expect(restored.out).toMatch(/Restored Maple Street Family Practice from its backup of .* in [\d.]+ s\.\n\s+5 patients; every table's count and hash, the database's integrity and \d+ audit rows checked\.\n\s+2 users can sign in here/);
  expect(restored.code).toBe(0);

  const b = await openEngine(fresh);
  cleanups.push(() => b.engine.close());
  value(await b.api.call('session.signIn', { username: nurse.username, password: nurse.password }));
  expect(await clinicOf(b.engine).db.read((tx) => recordFingerprints(tx))).toEqual(before);
  value(await b.api.call('session.signOut', {}));
  value(await b.api.call('session.signIn', { username: 'admin', password: adminPassword }));
  const trail = value(await b.api.call('audit.query', { patientId: ids[2] as never, limit: 50 }));
  expect(trail.find((r) => r.action === 'chart.summary')).toMatchObject({ userName: 'Ada Admin', patientName: 'Castellanos, Marisol', workstationName: 'Front desk' });
  expect(value(await b.api.call('audit.query', { limit: 20 })).some((r) => r.action === 'setup.restoreBackup')).toBe(true);
  expect(value(await b.api.call('audit.verify', {})).ok).toBe(true);
  const newcomer = value(await b.api.call('patients.register', { fields: patient({ familyName: 'Fairweather', givenNames: 'Ines', dateOfBirth: '1999-09-09', phone: '5550199999' }) }));
  if (newcomer.status !== 'created') throw new Error('register');
  expect(mrns).not.toContain(newcomer.patient.mrn);
}, 120_000);

it('refuses a backup changed anywhere, in its header or its body, and restores nothing', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, recoveryCode } = await firstWorkstation(cloud);
  cleanups.push(a.cleanup);
  const dir = await tempDir('chartroom-backups-');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'b.chartroom-backup');
  value(await a.api.call('backup.write', { file }));
  expect(await a.api.call('backup.write', { file: 'relative.chartroom-backup' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  const good = await readFile(file);
  const nl = good.indexOf(0x0a);
  const body = Buffer.from(good);
  body[nl + 40] = (body[nl + 40] as number) ^ 1;
  const header = Buffer.from(good.toString('latin1').replace('"clinicName":"Maple Street Family Practice"', '"clinicName":"Maple Street Family Practicf"'), 'latin1');
  for (const [what, bytes, code] of [['body', body, 'backup-damaged'], ['header', header, 'backup-damaged'], ['cut short', good.subarray(0, nl + 5), 'backup-damaged'], ['not one', Buffer.from('hello\n'), 'not-a-backup']] as const) {
    const target = await tempDir('chartroom-restored-');
    cleanups.push(() => rm(target, { recursive: true, force: true }));
    const f = join(dir, `${what.replace(' ', '-')}.chartroom-backup`);
    await writeFile(f, bytes);
    const r = await admin(['restore', '--data-dir', target, '--from', f], { CHARTROOM_RECOVERY_CODE: recoveryCode });
    expect([r.code, r.out], what).toEqual([1, expect.stringContaining(code)]);
    expect((await readdir(target)).filter((x) => x.startsWith('chartroom.db') || x === 'keyring.json'), what).toEqual([]);
  }
}, 120_000);
