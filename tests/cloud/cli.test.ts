// `npm run cloud -- tenant create` and `serve`, as IT runs them: the tenant id and a setup code
// are printed; the server says where it listens and answers there.
import { execFile, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';

const run = promisify(execFile);
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('creates a tenant and serves on the address it prints', async () => {
  dir = await tempDir('chartroom-cloud-cli-');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Maple Street', '--data-dir', dir]);
  expect(stdout).toMatch(/^tenant [0-9a-f-]{36}\nsetup code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n/);

  const server = spawn(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) resolve(m[1] as string);
      });
      server.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${address}/readyz`)).json()).toEqual({ ok: true });
  } finally {
    server.kill('SIGTERM');
  }
  const bad = await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--data-dir', dir]).catch((e: { code: number; stderr: string }) => e);
  expect('code' in bad && bad.code).toBe(2);
  expect('stderr' in bad && bad.stderr).toContain('--name NAME is required');
});
