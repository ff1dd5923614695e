// The admin CLI's commands. The CLI is a host like the browser host: every command is made of
// contract calls through the dispatcher, so input validation, the session, the permission and
// the audit row are the app's own. A pure admin cannot list patients here either.
import type { CallInput, CallName, CallOutput } from '../../../shared/api/contract';
import { Roles, Username } from '../../../shared/domain/user';
import type { Result } from '../../../shared/errors';
import type { Invoke } from '../api/dispatcher';
import type { Engine } from '../engine';
import { syntheticPatients } from '../patients/synthetic';
import { CommandError, readPassword, UsageError } from './prompt';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface Cli {
  readonly engine: Engine;
  readonly invoke: Invoke;
}

/** One contract call; an expected failure becomes the command's one-line error. */
export async function call<K extends CallName>(cli: Cli, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const r = (await cli.invoke(name, input)) as Result<CallOutput<K>>;
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

export async function signIn(cli: Cli, user: string): Promise<void> {
  const dir = cli.engine.dataDir;
  if (!(await call(cli, 'setup.status', {})).initialized) throw new CommandError(`${dir} is not set up. Run: npm run admin -- init --data-dir ${dir}`);
  await call(cli, 'session.signIn', { username: user, password: await readPassword(`Password for ${user}: `) });
}

export function parseRoles(text: string): CallInput<'setup.initialize'>['admin']['roles'] {
  const roles = Roles.safeParse(text.split(',').map((r) => r.trim()).filter(Boolean));
  if (!roles.success || !roles.data.includes('admin')) throw new UsageError('--roles is a comma list that includes admin (admin,physician,nurse,front-desk)');
  return roles.data;
}

export async function init(cli: Cli, user: string, clinic: string, roles: string): Promise<void> {
  // Checked before the password is asked for; the password itself is checked by the call.
  const username = Username.safeParse(user);
  if (!username.success) throw new UsageError(`--user ${username.error.issues[0]?.message ?? 'is not valid'}`);
  const password = await readPassword(`New password for ${user}: `);
  await call(cli, 'setup.initialize', { clinicName: clinic, admin: { username: username.data, displayName: user, roles: parseRoles(roles), password } });
  console.log(`Set up "${clinic}" in ${cli.engine.dataDir}. Admin user: ${username.data}.`);
}

export async function seed(cli: Cli, user: string, countText: string | undefined): Promise<void> {
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError('--patients must be a whole number from 1 to 1000000');
  await signIn(cli, user);
  const started = Date.now();
  const batch = 2000;
  let done = 0;
  for (let offset = 0; done < count; offset++) {
    const n = Math.min(batch, count - done);
    await call(cli, 'patients.registerMany', { patients: syntheticPatients(n, 20261129 + offset), reason: 'synthetic test data (admin seed)' });
    done += n;
    if (count > batch) process.stdout.write(`\r${done} / ${count}`);
  }
  if (count > batch) process.stdout.write('\n');
  console.log(`Added ${count} synthetic patients in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

export async function verify(cli: Cli, user: string): Promise<boolean> {
  await signIn(cli, user);
  // The audit chain through the app's own call (it needs the audit permission); the file checks
  // are read-only pragmas on the same open clinic.
  const audit = await call(cli, 'audit.verify', {});
  const db = cli.engine.clinic?.db;
  if (!db) throw new CommandError('not-signed-in: sign in first');
  const cipher = await db.all<{ cipher_integrity_check: string }>('PRAGMA cipher_integrity_check');
  const sqlite = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  const sqliteOk = sqlite.length === 1 && sqlite[0]?.integrity_check === 'ok';
  const report = (ok: boolean, label: string, problems: readonly string[]) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${label}`);
    for (const p of problems) console.log(`      ${p}`);
  };
  report(cipher.length === 0, 'SQLCipher page authentication (cipher_integrity_check)', cipher.map((r) => Object.values(r).join(' ')));
  report(sqliteOk, 'SQLite structure (integrity_check)', sqliteOk ? [] : sqlite.map((r) => r.integrity_check));
  report(audit.ok, `audit log hash chain (${audit.rows} entries)`, audit.problems);
  return cipher.length === 0 && sqliteOk && audit.ok;
}

export async function enroll(cli: Cli, o: { user: string; cloud?: string; code?: string; name: string; clinic: string; roles: string }): Promise<void> {
  if (!o.cloud || !o.code) throw new UsageError('--cloud URL and --code CODE are required');
  if (!(await call(cli, 'setup.status', {})).initialized) {
    console.log('Joining the clinic: waiting for an enrolled workstation to share the clinic key (keep Chartroom open there, or run `sync` on it)…');
    const joined = (await cli.invoke('setup.join', { cloudUrl: o.cloud, code: o.code, deviceName: o.name })) as Result<CallOutput<'setup.join'>>;
    if (joined.ok) {
      console.log(`Joined "${joined.value.clinicName}" as workstation ${joined.value.workstationNumber}; ${joined.value.users} users can sign in here with their own passwords.`);
      return;
    }
    if (joined.error.code !== 'wrong-code-kind') throw new CommandError(`${joined.error.code}: ${joined.error.message}`);
    // The tenant's setup code (left unused by the join): this is the clinic's first workstation.
    await init(cli, o.user, o.clinic, o.roles);
  } else {
    await signIn(cli, o.user);
  }
  const r = await call(cli, 'sync.enroll', { cloudUrl: o.cloud, code: o.code, deviceName: o.name });
  console.log(`Enrolled as workstation ${r.number}.`);
  if (r.recoveryCode) console.log(`\nRECOVERY CODE (shown once; print it and lock it away):\n  ${r.recoveryCode}\n`);
  const first = await call(cli, 'sync.now', {});
  if (first.state === 'waiting-for-key') console.log('Waiting for an enrolled workstation to share the clinic key; run `sync` on it, then here.');
  else if (first.state !== 'online') throw new CommandError(`${first.state}: ${first.message ?? 'the first sync did not complete'}`);
}

export async function enrollCode(cli: Cli, user: string): Promise<void> {
  await signIn(cli, user);
  const r = await call(cli, 'devices.enrollCode', {});
  console.log(`${r.code}\n(one use, valid until ${r.expiresAt})`);
}

export async function syncNow(cli: Cli, user: string): Promise<void> {
  await signIn(cli, user);
  const s = await call(cli, 'sync.now', {});
  const v = s.lastRound;
  if (s.state !== 'online' || !v) throw new CommandError(`${s.state}: ${s.message ?? 'the sync round did not complete'}`);
  console.log(`pushed ${v.pushed} change sets, pulled ${v.pulled} (applied ${v.applied}, refused ${v.refused}, conflicts ${v.conflicts}), shared the key with ${v.keysShared} workstations`);
}

export async function listPatients(cli: Cli, user: string, json: boolean): Promise<void> {
  if (!json) throw new UsageError('patients list needs --json');
  await signIn(cli, user);
  let after: CallInput<'patients.list'>['after'] = null;
  do {
    const page: CallOutput<'patients.list'> = await call(cli, 'patients.list', { after, limit: 5000 });
    const text = page.patients.map((p) => `${JSON.stringify({ id: p.id, mrn: p.mrn, familyName: p.familyName, givenNames: p.givenNames, preferredName: p.preferredName, dateOfBirth: p.dateOfBirth })}\n`).join('');
    // Waits while a reader (a pipe to `wc -l`) catches up, instead of buffering the clinic in memory.
    if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
    after = page.next;
  } while (after);
}

/** An offline backup of the clinic, sealed to its recovery key, written to a new file and checked. */
export async function backup(cli: Cli, user: string, out: string | undefined): Promise<void> {
  if (!out) throw new UsageError('--out FILE is required (a new file ending in .chartroom-backup)');
  await signIn(cli, user);
  const b = await call(cli, 'backup.write', { file: resolve(out) });
  console.log(`Backup written and read back: ${b.file}`);
  console.log(`  ${b.patients} patients, ${b.bytes} bytes, sha256 ${b.sha256}`);
}

/**
 * Restores the clinic from a backup file onto this empty data dir with the recovery code (from
 * --recovery-code, CHARTROOM_RECOVERY_CODE or a prompt); no cloud is needed. Nobody is signed in
 * after: each user signs in with their own password.
 */
/** `restore --cloud`'s arguments. */
export interface CloudArgs {
  readonly url: string;
  readonly clinic: string | undefined;
  readonly name: string;
  readonly at?: string;
  readonly seq?: string;
}

export async function restore(cli: Cli, from: string | undefined, code: string | undefined, cloud?: CloudArgs): Promise<void> {
  if (cloud) return restoreFromCloud(cli, cloud, code);
  if (!from) throw new UsageError('--from FILE, or --cloud URL --clinic ID, is required');
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(from));
  } catch {
    throw new CommandError(`cannot read ${from}`);
  }
  const recoveryCode = code ?? (await readPassword('Recovery code: ', 'CHARTROOM_RECOVERY_CODE'));
  const started = Date.now();
  const r = await cli.engine.setup.restoreBackup(bytes, recoveryCode);
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  console.log(`Restored ${r.value.clinicName} from its backup of ${r.value.backupAt} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`  ${r.value.patients} patients; every table's count and hash, the database's integrity and ${r.value.auditRows} audit rows checked.`);
  console.log(`  ${r.value.users} users can sign in here with their own passwords.`);
}

/**
 * Every workstation lost: the clinic rebuilt on this empty data dir from its cloud with the
 * recovery code alone (a new device of the clinic), checked before it is kept.
 */
async function restoreFromCloud(cli: Cli, cloud: CloudArgs, code: string | undefined): Promise<void> {
  if (!cloud.clinic || !/^[0-9a-f-]{36}$/i.test(cloud.clinic)) throw new UsageError('--clinic ID is required with --cloud: the clinic’s ID (IT keeps it with the recovery code)');
  if (cloud.at !== undefined && cloud.seq !== undefined) throw new UsageError('give --at TIME or --seq N, not both');
  const at = cloud.at === undefined ? undefined : Date.parse(cloud.at);
  if (at !== undefined && Number.isNaN(at)) throw new UsageError('--at takes a time such as 2026-12-03T09:30 (local) or 2026-12-03T14:30Z');
  const seq = cloud.seq === undefined ? undefined : Number(cloud.seq);
  if (seq !== undefined && !(Number.isInteger(seq) && seq >= 0)) throw new UsageError('--seq takes a place in the clinic’s history (a whole number)');
  const target = seq !== undefined ? { kind: 'after-seq' as const, seq } : at !== undefined ? { kind: 'after-time' as const, at } : undefined;
  const recoveryCode = code ?? (await readPassword('Recovery code: ', 'CHARTROOM_RECOVERY_CODE'));
  const started = Date.now();
  const r = await cli.engine.setup.restoreFromCloud({ cloudUrl: cloud.url, tenantId: cloud.clinic, recoveryCode, deviceName: cloud.name, ...(target ? { target } : {}) });
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  const v = r.value;
  console.log(`Restored ${v.clinicName} from its cloud in ${((Date.now() - started) / 1000).toFixed(1)} s, as workstation ${v.workstationNumber}.`);
  const against = v.snapshotSeq === null ? `a replay of all ${v.messages} change sets` : `its sealed hashes and a replay of the ${v.messages} change sets after it`;
  console.log(`  ${v.patients} patients; ${v.snapshotSeq === null ? 'no snapshot, the whole history' : `the snapshot at ${v.snapshotSeq} and the history after it`}; checked against ${against}, with the database's integrity and ${v.auditRows} audit rows.`);
  if (v.takenBack) {
    console.log(`  Taken back to ${cloud.seq !== undefined ? `place ${cloud.seq} in the history` : cloud.at}: ${v.takenBack.fields} fields, as ${v.takenBack.written} new change sets every workstation takes.`);
    console.log(`  ${v.takenBack.keptAside} change sets made after it are kept aside for review (Workstations → Kept aside by the restore); ${v.takenBack.createdRows} records created after it stay.`);
  }
  console.log(`  ${v.users} users can sign in here with their own passwords.`);
}

/** A restore drill: the newest backup in the backup folder (or --from FILE), or the cloud, restored to a temporary folder, checked, timed. */
export async function restoreDrill(cli: Cli, user: string, from: 'cloud' | string | undefined, code: string | undefined): Promise<boolean> {
  await signIn(cli, user);
  const recoveryCode = code ?? (await readPassword('Recovery code: ', 'CHARTROOM_RECOVERY_CODE'));
  const d = await call(cli, 'backup.drill', { recoveryCode, ...(from === 'cloud' ? { from: 'cloud' as const } : from ? { file: resolve(from) } : {}) });
  const what = d.source === 'cloud' ? `the clinic's cloud ${d.file} (place ${d.seq ?? '?'} in its history)` : `${d.file} (backup of ${d.backupAt ?? 'unknown'})`;
  console.log(`${d.ok ? 'ok  ' : 'FAIL'}  restore drill from ${what} in ${d.seconds} s`);
  console.log(`      ${d.message}`);
  if (d.source === 'backup' && d.changedSince.length > 0) console.log(`      changed on the live record since that backup: ${d.changedSince.join(', ')}`);
  return d.ok;
}
