// `npm run admin -- <command>`: the IT administrator's tool for a workstation's data dir.
//   init   --data-dir DIR [--user admin] [--clinic NAME]   first-run setup without the UI
//   seed   --data-dir DIR --patients N [--user admin]       N synthetic patients (seeded faker)
//   verify --data-dir DIR [--user admin]                    cipher, SQLite and audit-chain checks
//   enroll --data-dir DIR --cloud URL --code CODE [--name N] register with the clinic cloud (an
//          empty data dir: with the setup code it becomes the clinic's first workstation, with
//          an admin's one-time code it joins the clinic and its users sign in with their passwords)
//   enroll-code --data-dir DIR                              a one-time code for another workstation
//   sync --data-dir DIR                                     one full push and pull
//   patients list --data-dir DIR --json                     one JSON object per line
// The password comes from CHARTROOM_PASSWORD or a prompt. Exit 0 on success, 1 on failure,
// 2 on bad usage; errors are one clear line, never a stack trace.
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { Password } from '../../../shared/domain/password';
import { Username } from '../../../shared/domain/user';
import { verifyAudit } from '../audit/audit-log';
import type { OpenClinic } from '../clinic/open-clinic';
import { dataFiles, Engine, KeyringError } from '../engine';
import { FileKeyProtector } from '../keys/key-protector';
import { createLogger } from '../logger';
import { insertPatients } from '../patients/patient-repository';
import { syntheticPatients } from '../patients/synthetic';
import { SyncClient } from '../sync/client';

class UsageError extends Error {}
class CommandError extends Error {}

const usage = `Usage: npm run admin -- <command> --data-dir DIR [options]
  init    --data-dir DIR [--user admin] [--clinic NAME]   set up a new workstation
  seed    --data-dir DIR --patients N [--user admin]      add N synthetic patients
  verify  --data-dir DIR [--user admin]                   check encryption, database and audit log
  enroll  --data-dir DIR --cloud URL --code CODE [--name NAME] [--user admin] [--clinic NAME]
          register with the clinic's cloud; on an empty data dir the setup code makes the
          clinic's first workstation (admin --user), a one-time code joins the existing clinic
  enroll-code --data-dir DIR                              one-time code for another workstation
  sync    --data-dir DIR                                  one full push and pull
  patients list --data-dir DIR --json                     every patient, one JSON object per line
The password is read from CHARTROOM_PASSWORD, or asked for.`;

async function readPassword(prompt: string): Promise<string> {
  const fromEnv = process.env.CHARTROOM_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError('Set CHARTROOM_PASSWORD or run in a terminal to be asked for the password.');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  let muted = false;
  out._writeToOutput = (s) => { if (!muted) out.output.write(s); };
  return new Promise((res) => {
    rl.question(prompt, (answer) => { rl.close(); process.stdout.write('\n'); res(answer); });
    muted = true;
  });
}

async function openEngine(dataDir: string): Promise<Engine> {
  try {
    return await Engine.create({
      dataDir,
      keyProtector: new FileKeyProtector(join(dataDir, dataFiles.deviceKey)),
      logger: createLogger(join(dataDir, dataFiles.logs, 'admin-cli.log')),
      // The CLI syncs only when told to (`sync`), never in the background.
      autoSync: false,
    });
  } catch (e) {
    if (e instanceof KeyringError) throw new CommandError(e.message);
    throw e;
  }
}

/** The open clinic after `signIn` (a bug if asked before). */
function signedIn(engine: Engine): OpenClinic {
  if (!engine.clinic) throw new Error('not signed in');
  return engine.clinic;
}

async function signIn(engine: Engine, user: string): Promise<void> {
  if (!engine.setup.status().initialized) throw new CommandError(`${engine.dataDir} is not set up. Run: npm run admin -- init --data-dir ${engine.dataDir}`);
  const r = await engine.sessions.signIn(user, await readPassword(`Password for ${user}: `));
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
}

async function init(engine: Engine, user: string, clinic: string): Promise<void> {
  const username = Username.safeParse(user);
  if (!username.success) throw new UsageError(`--user ${username.error.issues[0]?.message ?? 'is not valid'}`);
  const password = Password.safeParse(await readPassword(`New password for ${user}: `));
  if (!password.success) throw new CommandError(`weak-password: the password ${password.error.issues[0]?.message ?? 'is not acceptable'}`);
  const r = await engine.setup.initialize(clinic, { username: username.data, displayName: user, roles: ['admin'], password: password.data });
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  console.log(`Set up "${clinic}" in ${engine.dataDir}. Admin user: ${username.data}.`);
}

async function seed(engine: Engine, user: string, countText: string | undefined): Promise<void> {
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError('--patients must be a whole number from 1 to 1000000');
  await signIn(engine, user);
  const session = engine.sessions.current();
  if (!session?.user.roles.includes('admin')) throw new CommandError('permission-denied: seeding needs an admin account');
  const started = Date.now();
  const batch = 2000;
  let done = 0;
  let offset = 0;
  while (done < count) {
    const n = Math.min(batch, count - done);
    const list = syntheticPatients(n, 20261129 + offset++);
    await signedIn(engine).write(async (m) => {
      await insertPatients(m, list, uuidv7, new Date().toISOString());
      m.audit({ userId: session.user.id, username: session.user.username, action: 'patients.seed', patientId: null, outcome: 'success', detail: `count=${n}` });
    });
    done += n;
    if (count > batch) process.stdout.write(`\r${done} / ${count}`);
  }
  if (count > batch) process.stdout.write('\n');
  console.log(`Added ${count} synthetic patients in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

async function verify(engine: Engine, user: string): Promise<boolean> {
  await signIn(engine, user);
  const cipher = await signedIn(engine).db.all<{ cipher_integrity_check: string }>('PRAGMA cipher_integrity_check');
  const sqlite = await signedIn(engine).db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  const audit = await verifyAudit(signedIn(engine).db);
  const sqliteOk = sqlite.length === 1 && sqlite[0]?.integrity_check === 'ok';
  const report = (ok: boolean, label: string, problems: string[]) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${label}`);
    for (const p of problems) console.log(`      ${p}`);
  };
  report(cipher.length === 0, 'SQLCipher page authentication (cipher_integrity_check)', cipher.map((r) => Object.values(r).join(' ')));
  report(sqliteOk, 'SQLite structure (integrity_check)', sqliteOk ? [] : sqlite.map((r) => r.integrity_check));
  report(audit.ok, `audit log hash chain (${audit.rows} entries)`, audit.problems);
  return cipher.length === 0 && sqliteOk && audit.ok;
}

async function adminSession(engine: Engine, user: string): Promise<void> {
  await signIn(engine, user);
  if (!engine.sessions.current()?.user.roles.includes('admin')) throw new CommandError('permission-denied: this needs an admin account');
}

async function enroll(engine: Engine, user: string, cloud: string | undefined, code: string | undefined, name: string, clinic: string): Promise<void> {
  if (!cloud || !code) throw new UsageError('--cloud URL and --code CODE are required');
  if (!engine.setup.status().initialized) {
    console.log('Joining the clinic: waiting for an enrolled workstation to share the clinic key (keep Chartroom open there, or run `sync` on it)…');
    const joined = await engine.setup.join(cloud, code, name);
    if (joined.ok) {
      console.log(`Joined "${joined.value.clinicName}" as workstation ${joined.value.workstationNumber}; ${joined.value.users} users can sign in here with their own passwords.`);
      return;
    }
    if (joined.error.code !== 'wrong-code-kind') throw new CommandError(`${joined.error.code}: ${joined.error.message}`);
    // The tenant's setup code (left unused by the join): this is the clinic's first workstation.
    await init(engine, user, clinic);
  }
  await adminSession(engine, user);
  const r = await new SyncClient(engine.syncHost).enroll(cloud, code, name, 'setup');
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  console.log(`Enrolled as workstation ${r.value.number} of tenant ${r.value.tenantId}.`);
  if (r.value.recoveryCode) {
    console.log(`\nRECOVERY CODE (shown once; print it and lock it away):\n  ${r.value.recoveryCode}\n`);
  }
  const first = await new SyncClient(engine.syncHost).syncOnce();
  if (!first.ok && first.error.code !== 'no-tenant-key') throw new CommandError(`${first.error.code}: ${first.error.message}`);
  if (!first.ok) console.log('Waiting for an enrolled workstation to share the clinic key; run `sync` on it, then here.');
}

async function enrollCode(engine: Engine, user: string): Promise<void> {
  await adminSession(engine, user);
  const r = await new SyncClient(engine.syncHost).createEnrollCode();
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  console.log(`${r.value.code}\n(one use, valid until ${r.value.expiresAt})`);
}

async function syncNow(engine: Engine, user: string): Promise<void> {
  await signIn(engine, user);
  const r = await new SyncClient(engine.syncHost).syncOnce();
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  const v = r.value;
  console.log(`pushed ${v.pushed} change sets, pulled ${v.pulled} (applied ${v.applied}, refused ${v.refused}, conflicts ${v.conflicts}), shared the key with ${v.keysShared} workstations`);
}

async function listPatients(engine: Engine, user: string, json: boolean): Promise<void> {
  if (!json) throw new UsageError('patients list needs --json');
  await signIn(engine, user);
  const rows = await signedIn(engine).db.all<{ id: string; mrn: string; family_name: string; given_names: string; preferred_name: string; date_of_birth: string }>(
    'SELECT id, mrn, family_name, given_names, preferred_name, date_of_birth FROM patients WHERE merged_into IS NULL ORDER BY family_name, given_names, id',
  );
  const session = engine.sessions.current();
  await signedIn(engine).write((m) => m.audit({ userId: session?.user.id ?? null, username: session?.user.username ?? null, action: 'patients.export-list', patientId: null, outcome: 'success', detail: `count=${rows.length}` }));
  for (const r of rows) {
    process.stdout.write(`${JSON.stringify({ id: r.id, mrn: r.mrn, familyName: r.family_name, givenNames: r.given_names, preferredName: r.preferred_name, dateOfBirth: r.date_of_birth })}\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      user: { type: 'string', default: 'admin' },
      clinic: { type: 'string', default: 'My Clinic' },
      patients: { type: 'string' },
      cloud: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string', default: 'Workstation' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  if (!values['data-dir']) throw new UsageError('--data-dir DIR is required');
  const engine = await openEngine(resolve(values['data-dir']));
  try {
    switch (command) {
      case 'init':
        await init(engine, values.user, values.clinic);
        return 0;
      case 'seed':
        await seed(engine, values.user, values.patients);
        return 0;
      case 'verify':
        return (await verify(engine, values.user)) ? 0 : 1;
      case 'enroll':
        await enroll(engine, values.user, values.cloud, values.code, values.name, values.clinic);
        return 0;
      case 'enroll-code':
        await enrollCode(engine, values.user);
        return 0;
      case 'sync':
        await syncNow(engine, values.user);
        return 0;
      case 'patients':
        if (positionals[1] !== 'list') throw new UsageError('did you mean `patients list`?');
        await listPatients(engine, values.user, values.json);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await engine.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${usage}`);
      process.exit(2);
    }
    if (e instanceof CommandError) console.error(`error: ${e.message}`);
    else if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${e.message}\n\n${usage}`);
      process.exit(2);
    } else console.error('error: internal-error: something went wrong; nothing further was changed.');
    process.exit(1);
  },
);
