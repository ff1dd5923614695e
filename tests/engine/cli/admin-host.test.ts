// The admin CLI is a host like the browser host: its commands are contract calls through the
// dispatcher. A pure admin is refused patient records there as in the app (and the refusal is
// audited), and `patients list --json` piped to another program delivers every line.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { openEngine, tempDir, value } from '../../helpers/engine';

const run = promisify(execFile);
let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

const password = 'it-admin-passphrase-2026';
const env = { ...process.env, CHARTROOM_PASSWORD: password };
const cli = ['--import', 'tsx', 'electron/engine/cli/admin.ts'];
const admin = async (args: string[]) => (await run(process.execPath, [...cli, ...args], { env })).stdout;
const failing = (args: string[]) => run(process.execPath, [...cli, ...args], { env }).then(() => null, (e: { code: number; stdout: string; stderr: string }) => e);

it('refuses a pure admin the patient list with permission-denied, and audits the refusal', async () => {
  const dir = await tempDir();
  dirs.push(dir);
  await admin(['init', '--data-dir', dir, '--user', 'it', '--clinic', 'Maple Street']);
  const refused = await failing(['patients', 'list', '--data-dir', dir, '--user', 'it', '--json']);
  expect(refused?.code).toBe(1);
  expect(refused?.stderr).toContain('permission-denied');
  expect(refused?.stdout).toBe('');
  const seedRefused = await failing(['seed', '--data-dir', dir, '--user', 'it', '--patients', '2']);
  expect(seedRefused?.stderr).toContain('permission-denied');

  const t = await openEngine(dir);
  try {
    value(await t.api.call('session.signIn', { username: 'it', password }));
    const denied = value(await t.api.call('audit.query', { limit: 50 })).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.action).sort()).toEqual(['patients.list', 'patients.registerMany']);
    expect(denied.every((e) => e.username === 'it')).toBe(true);
  } finally {
    await t.engine.close();
  }
});

it('lists all 20,000 patients when piped to wc -l', { timeout: 180_000 }, async () => {
  const dir = await tempDir();
  dirs.push(dir);
  await admin(['init', '--data-dir', dir, '--user', 'desk', '--roles', 'admin,front-desk', '--clinic', 'Maple Street']);
  expect(await admin(['seed', '--data-dir', dir, '--user', 'desk', '--patients', '20000'])).toContain('Added 20000 synthetic patients');
  const quoted = [process.execPath, ...cli, 'patients', 'list', '--data-dir', dir, '--user', 'desk', '--json'].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `${quoted} | wc -l`], { env });
  expect(Number(stdout.trim())).toBe(20_000);
  // Every line is one whole patient.
  const { stdout: tail } = await run('bash', ['-o', 'pipefail', '-c', `${quoted} | tail -n 1`], { env });
  expect(Object.keys(JSON.parse(tail) as object)).toEqual(['id', 'mrn', 'familyName', 'givenNames', 'preferredName', 'dateOfBirth']);
});

it('says which version it is, and what a workstation knows of its updates, without a password', async () => {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  expect((await admin(['version'])).trim()).toBe(`Chartroom ${version}`);
  const dir = await tempDir();
  dirs.push(dir);
  await admin(['init', '--data-dir', dir, '--user', 'it', '--clinic', 'Maple Street']);
  const out = (await run(process.execPath, [...cli, 'version', '--data-dir', dir], { env: { ...process.env, CHARTROOM_PASSWORD: '' } })).stdout;
  expect(out.split('\n')).toEqual([`Chartroom ${version}`, 'channel: not yet known (no update installed here)', 'last check: never', 'pending: none', 'last problem: none', '']);
});
