// IT's workstation commands against a real tenant service: enroll the first workstation into an
// empty data dir (which creates the admin and prints the recovery code once), issue a code for
// the second, which joins empty while the first syncs (and a join that was refused leaves no
// database behind), and lists the patients with the same
// admin's password.
import { execFile, spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../../helpers/engine';

const run = promisify(execFile);
let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

const admin = async (args: string[], password: string) =>
  (await run(process.execPath, ['--import', 'tsx', 'electron/engine/cli/admin.ts', ...args], { env: { ...process.env, CHARTROOM_PASSWORD: password } })).stdout;

it('enrolls two workstations from the command line and moves patients between them', async () => {
  const cloudDir = await tempDir('chartroom-cloud-');
  const a = await tempDir();
  const b = await tempDir();
  dirs.push(cloudDir, a, b);
  const created = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Maple Street', '--data-dir', cloudDir])).stdout;
  const setupCode = /setup code (\S+)/.exec(created)?.[1] as string;
  const server = spawn(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'serve', '--port', '0', '--data-dir', cloudDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      server.once('exit', (code) => reject(new Error(`cloud exited ${code}`)));
    });
    const pa = 'front-desk-admin-pass';
    // Ada also works the front desk: a pure admin may neither seed nor list patients.
    const first = await admin(['enroll', '--data-dir', a, '--user', 'ada', '--roles', 'admin,front-desk', '--clinic', 'Maple Street', '--cloud', url, '--code', setupCode, '--name', 'Front desk'], pa);
    // It tried to join first (the code could have been an enroll code): nothing of that stays.
    expect((await readdir(a)).filter((f) => !['chartroom.db', 'chartroom.db-wal', 'chartroom.db-shm', 'keyring.json', 'logs', 'sign-in-attempts.json', 'sign-in-guard.json', 'device.key'].includes(f))).toEqual([]);
    expect(first).toContain('Enrolled as workstation 1');
    expect(first).toMatch(/RECOVERY CODE[^\n]*\n\s+[0-9A-Z]{8}(-[0-9A-Z]{8}){3}/);
    await admin(['seed', '--data-dir', a, '--user', 'ada', '--patients', '3'], pa);
    expect(await admin(['sync', '--data-dir', a, '--user', 'ada'], pa)).toMatch(/^pushed [1-9]/);
    const code = (await admin(['enroll-code', '--data-dir', a, '--user', 'ada'], pa)).split('\n')[0] as string;
    // B waits for the clinic key; A's next sync shares it.
    const joining = admin(['enroll', '--data-dir', b, '--cloud', url, '--code', code, '--name', 'Exam 1'], 'unused-here');
    let second = '';
    void joining.then((out) => { second = out; }, (e: Error) => { second = `failed: ${e.message}`; });
    while (!second) {
      await admin(['sync', '--data-dir', a, '--user', 'ada'], pa);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(second).toContain('Joined "Maple Street" as workstation 2; 1 users can sign in here');
    expect(second).not.toContain('RECOVERY CODE');
    expect(await admin(['sync', '--data-dir', b, '--user', 'ada'], pa)).toMatch(/pulled \d+ \(applied \d+, refused 0/);
    const lines = (await admin(['patients', 'list', '--data-dir', b, '--user', 'ada', '--json'], pa)).trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Object.keys(JSON.parse(l) as object)).toEqual(['id', 'mrn', 'familyName', 'givenNames', 'preferredName', 'dateOfBirth']);
    expect((JSON.parse(lines[0] as string) as { mrn: string }).mrn.startsWith('01')).toBe(true);
  } finally {
    server.kill('SIGTERM');
  }
}, 90_000);
