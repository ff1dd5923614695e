// The tenant service as its own process (`npm run cloud -- serve`) on a data dir, for e2e and
// CLI tests: create a tenant, start it (on a given port to restart it where it was), stop it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function createTenantInDir(dataDir: string, name: string): Promise<string> {
  const out = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', name, '--data-dir', dataDir])).stdout;
  const code = /setup code (\S+)/.exec(out)?.[1];
  if (!code) throw new Error(`no setup code in: ${out}`);
  return code;
}

export interface CloudProcess {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startCloudProcess(dataDir: string, port = 0): Promise<CloudProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
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
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
