// `npm run admin -- <command>`: the IT administrator's tool for a workstation's data dir.
//   init   --data-dir DIR [--user admin] [--clinic NAME] [--roles admin,…]  first-run setup without the UI
//   seed   --data-dir DIR --patients N [--user admin]       N synthetic patients (seeded faker)
//   verify --data-dir DIR [--user admin]                    cipher, SQLite and audit-chain checks
//   enroll --data-dir DIR --cloud URL --code CODE [--name N] register with the clinic cloud (an
//          empty data dir: with the setup code it becomes the clinic's first workstation, with
//          an admin's one-time code it joins the clinic and its users sign in with their passwords)
//   enroll-code --data-dir DIR                              a one-time code for another workstation
//   sync --data-dir DIR                                     one full push and pull
//   patients list --data-dir DIR --json                     one JSON object per line
//   backup --data-dir DIR --out FILE                        an offline backup sealed to the recovery key
//   restore --data-dir DIR --from FILE [--recovery-code CODE]  the clinic from a backup, no cloud
//   restore --data-dir DIR --cloud URL --clinic ID [--at T | --seq N] [--name N]  from its cloud, with the recovery code alone
//   restore-drill --data-dir DIR [--from FILE|--from-cloud]  a backup, or the cloud, restored to a temporary folder and checked
//   version [--data-dir DIR]                              this Chartroom's version, and that workstation's updates
//   lockdown --cloud URL --clinic ID [--lift ID | --revoke ID | --status]  IT's lockdown, with the recovery code, no data dir
// The CLI is a host: each command is contract calls through the dispatcher (admin-commands.ts).
// The password comes from CHARTROOM_PASSWORD or a prompt. Exit 0 on success, 1 on failure,
// 2 on bad usage; errors are one clear line, never a stack trace. Output is flushed before exit.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDispatcher } from '../api/dispatcher';
import { dataFiles, Engine, KeyringError } from '../engine';
import { FileKeyProtector } from '../keys/key-protector';
import { createLogger } from '../logger';
import { backup, type Cli, enroll, enrollCode, init, listPatients, restore, restoreDrill, seed, syncNow, verify } from './admin-commands';
import { lockdown } from './lockdown-command';
import { packageVersion } from '../workstation/app-version';
import { printVersion } from './version-command';
import { CommandError, flushStdout, UsageError } from './prompt';

const usage = `Usage: npm run admin -- <command> --data-dir DIR [options]
  init    --data-dir DIR [--user admin] [--clinic NAME] [--roles admin,physician,…]
          set up a new workstation; the admin also holds the other roles given
  seed    --data-dir DIR --patients N [--user admin]      add N synthetic patients (needs a role that registers patients)
  verify  --data-dir DIR [--user admin]                   check encryption, database and audit log
  enroll  --data-dir DIR --cloud URL --code CODE [--name NAME] [--user admin] [--clinic NAME]
          register with the clinic's cloud; on an empty data dir the setup code makes the
          clinic's first workstation (admin --user), a one-time code joins the existing clinic
  enroll-code --data-dir DIR                              one-time code for another workstation
  sync    --data-dir DIR                                  one full push and pull
  patients list --data-dir DIR --json                     every patient, one JSON object per line (a clinical or front-desk role)
  backup  --data-dir DIR --out FILE [--user admin]        an offline backup, sealed to the recovery key, checked after writing
  restore --data-dir DIR --from FILE [--recovery-code CODE]
          restore the clinic from a backup onto an empty data dir (no cloud); the code may also
          come from CHARTROOM_RECOVERY_CODE, or is asked for
  restore --data-dir DIR --cloud URL --clinic ID [--at TIME | --seq N] [--name NAME] [--recovery-code CODE]
          every workstation lost: rebuild the clinic on an empty data dir from its cloud with the
          recovery code alone (this machine becomes a new workstation of the clinic); with --at or
          --seq the whole clinic moves back to that point, and what came after is kept aside
  restore-drill --data-dir DIR [--from FILE | --from-cloud] [--user admin]
          restore the newest backup in the backup folder (or FILE), or the clinic from its cloud,
          to a temporary folder, check it, compare it with the live record and time it; the
          result goes to the audit log (exit 1 if it fails)
  version [--data-dir DIR]                                this Chartroom's version; with a data dir, that workstation's
          update channel, last check, an update waiting (and when it installs) and the last problem
  lockdown --cloud URL --clinic ID [--lift WORKSTATION | --revoke WORKSTATION | --status] [--recovery-code CODE]
          IT, from any machine, with the recovery code (no data dir): lock every workstation of the
          clinic down; lift it for one workstation (after reimaging); revoke one; or list them
The password is read from CHARTROOM_PASSWORD, or asked for.`;

async function openEngine(dataDir: string): Promise<Engine> {
  try {
    return await Engine.create({
      dataDir,
      appVersion: packageVersion(),
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
      roles: { type: 'string', default: 'admin' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      from: { type: 'string' },
      'recovery-code': { type: 'string' },
      at: { type: 'string' },
      seq: { type: 'string' },
      lift: { type: 'string' },
      revoke: { type: 'string' },
      status: { type: 'boolean', default: false },
      'from-cloud': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  if (command === 'lockdown') {
    await lockdown({ cloud: values.cloud, clinic: argv.some((x) => x === '--clinic' || x.startsWith('--clinic=')) ? values.clinic : undefined, lift: values.lift, revoke: values.revoke, status: values.status, recoveryCode: values['recovery-code'] });
    return 0;
  }
  if (command === 'version' && !values['data-dir']) {
    await printVersion(packageVersion(), null);
    return 0;
  }
  if (!values['data-dir']) throw new UsageError('--data-dir DIR is required');
  const engine = await openEngine(resolve(values['data-dir']));
  const cli: Cli = { engine, invoke: createDispatcher(engine) };
  try {
    switch (command) {
      case 'init':
        await init(cli, values.user, values.clinic, values.roles);
        return 0;
      case 'seed':
        await seed(cli, values.user, values.patients);
        return 0;
      case 'verify':
        return (await verify(cli, values.user)) ? 0 : 1;
      case 'enroll':
        await enroll(cli, { user: values.user, cloud: values.cloud, code: values.code, name: values.name, clinic: values.clinic, roles: values.roles });
        return 0;
      case 'enroll-code':
        await enrollCode(cli, values.user);
        return 0;
      case 'sync':
        await syncNow(cli, values.user);
        return 0;
      case 'backup':
        await backup(cli, values.user, values.out);
        return 0;
      case 'restore':
        await restore(cli, values.from, values['recovery-code'], values.cloud ? { url: values.cloud, clinic: argv.some((x) => x === '--clinic' || x.startsWith('--clinic=')) ? values.clinic : undefined, name: values.name, at: values.at, seq: values.seq } : undefined);
        return 0;
      case 'restore-drill':
        return (await restoreDrill(cli, values.user, values['from-cloud'] ? 'cloud' : values.from, values['recovery-code'])) ? 0 : 1;
      case 'version':
        await printVersion(packageVersion(), cli.invoke);
        return 0;
      case 'patients':
        if (positionals[1] !== 'list') throw new UsageError('did you mean `patients list`?');
        await listPatients(cli, values.user, values.json);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await engine.close();
  }
}

/** Exits only once stdout is flushed: piped to `wc -l`, an early exit lost thousands of lines. */
const exit = async (code: number) => {
  await flushStdout();
  process.exit(code);
};

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`error: ${e.message}\n\n${usage}`);
      return exit(2);
    }
    if (e instanceof CommandError) console.error(`error: ${e.message}`);
    else console.error('error: internal-error: something went wrong; nothing further was changed.');
    return exit(1);
  },
);
