// Starts the browser host as its own process (as `npm run dev:browser` does) on a fresh data
// dir, and returns the URL it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockEnv, runClock, type TestClock } from './test-clock';

/** The test's own clock, else the run's moved one (`npm run test:late`), else the real one. */
const withClock = (clock?: TestClock): NodeJS.ProcessEnv => {
  const c = clock ?? runClock();
  return c ? clockEnv(c) : process.env;
};

export interface HostProcess {
  url: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `clock`: the clock the host runs on, for tests that need "now". */
export async function startHostProcess(dataDir?: string, extraArgs: readonly string[] = [], opts: { clock?: TestClock } = {}): Promise<HostProcess> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'chartroom-e2e-')));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'electron/browser-host/cli.ts', '--data-dir', dir, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...(withClock(opts.clock)), CHARTROOM_LOG_LEVEL: 'info' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (process.env.CHARTROOM_DEBUG_SYNC) process.stderr.write(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser host did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1] as string); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`browser host exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir: dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
