// The tenant service as its own process (`npm run cloud -- serve`) on a data dir, for e2e and
// CLI tests: create a tenant, start it (on a given port to restart it where it was), stop it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { clockEnv, runClock, type TestClock } from './test-clock';

/** The test's own clock, else the run's moved one (`npm run test:late`), else the real one. */
const withClock = (clock?: TestClock): NodeJS.ProcessEnv => {
  const c = clock ?? runClock();
  return c ? clockEnv(c) : process.env;
};

const run = promisify(execFile);

export async function createTenantInDir(dataDir: string, name: string, opts: { clock?: TestClock } = {}): Promise<string> {
  const env = withClock(opts.clock);
  const out = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', name, '--data-dir', dataDir], { env })).stdout;
  const code = /setup code (\S+)/.exec(out)?.[1];
  if (!code) throw new Error(`no setup code in: ${out}`);
  return code;
}

export interface CloudProcess {
  readonly url: string;
  readonly port: number;
  /** The service's process id (to watch its memory). */
  readonly pid: number;
  stop(): Promise<void>;
  /** kill -9: no chance to finish anything. */
  kill(): Promise<void>;
}

/**
 * `clock`: the clock the service runs on. `postgres`: serve from this PostgreSQL database with
 * this service secret (base64) instead of SQLite in `dataDir` (which still holds the log).
 */
export async function startCloudProcess(dataDir: string, port = 0, opts: { clock?: TestClock; postgres?: { url: string; secret: string } } = {}): Promise<CloudProcess> {
  const store = opts.postgres ? ['--database-url', opts.postgres.url] : [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'serve', '--port', String(port), '--data-dir', dataDir, ...store], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...withClock(opts.clock), ...(opts.postgres ? { CHARTROOM_CLOUD_SECRET: opts.postgres.secret } : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('cloud did not start')), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1] as string); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`cloud exited ${code}`)); });
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
