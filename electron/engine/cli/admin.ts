// `npm run admin -- <command>`: the IT administrator's tool for a workstation's data dir.
//   init   --data-dir DIR [--user admin] [--clinic NAME]   first-run setup without the UI
//   seed   --data-dir DIR --patients N [--user admin]       N synthetic patients (seeded faker)
//   verify --data-dir DIR [--user admin]                    cipher, SQLite and audit-chain checks
// The password comes from CHARTROOM_PASSWORD or a prompt. Exit 0 on success, 1 on failure,
// 2 on bad usage; errors are one clear line, never a stack trace.
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { Password } from '../../../shared/domain/password';
import { Username } from '../../../shared/domain/user';
import { verifyAudit } from '../audit/audit-log';
import { dataFiles, Engine, KeyringError } from '../engine';
import { FileKeyProtector } from '../keys/key-protector';
import { createLogger } from '../logger';
import { insertPatients } from '../patients/patient-repository';
import { syntheticPatients } from '../patients/synthetic';

class UsageError extends Error {}
class CommandError extends Error {}

const usage = `Usage: npm run admin -- <command> --data-dir DIR [options]
  init    --data-dir DIR [--user admin] [--clinic NAME]   set up a new workstation
  seed    --data-dir DIR --patients N [--user admin]      add N synthetic patients
  verify  --data-dir DIR [--user admin]                   check encryption, database and audit log
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
    });
  } catch (e) {
    if (e instanceof KeyringError) throw new CommandError(e.message);
    throw e;
  }
}

async function signIn(engine: Engine, user: string): Promise<void> {
  if (!engine.setupStatus().initialized) throw new CommandError(`${engine.dataDir} is not set up. Run: npm run admin -- init --data-dir ${engine.dataDir}`);
  const r = await engine.signIn(user, await readPassword(`Password for ${user}: `));
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
}

async function init(engine: Engine, user: string, clinic: string): Promise<void> {
  const username = Username.safeParse(user);
  if (!username.success) throw new UsageError(`--user ${username.error.issues[0]?.message ?? 'is not valid'}`);
  const password = Password.safeParse(await readPassword(`New password for ${user}: `));
  if (!password.success) throw new CommandError(`weak-password: the password ${password.error.issues[0]?.message ?? 'is not acceptable'}`);
  const r = await engine.initialize(clinic, { username: username.data, displayName: user, roles: ['admin'], password: password.data });
  if (!r.ok) throw new CommandError(`${r.error.code}: ${r.error.message}`);
  console.log(`Set up "${clinic}" in ${engine.dataDir}. Admin user: ${username.data}.`);
}

async function seed(engine: Engine, user: string, countText: string | undefined): Promise<void> {
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError('--patients must be a whole number from 1 to 1000000');
  await signIn(engine, user);
  const session = engine.currentSession();
  if (!session?.user.roles.includes('admin')) throw new CommandError('permission-denied: seeding needs an admin account');
  const started = Date.now();
  const batch = 2000;
  let done = 0;
  let offset = 0;
  while (done < count) {
    const n = Math.min(batch, count - done);
    const list = syntheticPatients(n, 20261129 + offset++);
    await engine.write(async (m) => {
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
  const cipher = await engine.db.all<{ cipher_integrity_check: string }>('PRAGMA cipher_integrity_check');
  const sqlite = await engine.db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  const audit = await verifyAudit(engine.db);
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

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      user: { type: 'string', default: 'admin' },
      clinic: { type: 'string', default: 'My Clinic' },
      patients: { type: 'string' },
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
