// `npm run cloud -- release …` as the vendor and IT run it: a key made offline (0600), a build
// signed with it and published; an unsigned build, one signed with a key the app does not
// trust, and one whose file changed after signing are each refused, and nothing of them is
// stored; IT stages, halts and pins a release for its clinic from the command line.
import { execFile } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../../helpers/engine';
import { makeBuild, makeVendor } from '../../helpers/release-build';

const exec = promisify(execFile);
let dir = '';
let keyFile = '';
let publicKey = '';
const cloudDir = () => join(dir, 'cloud');
const release = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'release', ...args], { env: { ...process.env, ...env } });
    return { code: 0, out: r.stdout.trim(), err: r.stderr.trim() };
  } catch (e) {
    const f = e as { code: number; stdout: string; stderr: string };
    return { code: f.code, out: f.stdout.trim(), err: f.stderr.trim() };
  }
};
const publish = (buildDir: string) => release(['publish', '--dir', buildDir, '--channel', 'stable', '--data-dir', cloudDir()], { CHARTROOM_RELEASE_KEYS: publicKey });

beforeAll(async () => {
  dir = await tempDir('chartroom-release-cli-');
  keyFile = join(dir, 'release-key.pem');
  const made = await release(['keygen', '--out', keyFile]);
  expect(made.code).toBe(0);
  publicKey = /^public key (\S+)$/m.exec(made.out)?.[1] ?? '';
  expect(publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  expect(made.out).not.toContain((await readFile(keyFile, 'utf8')).split('\n')[1]);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

it('signs and publishes a build, and refuses unsigned, foreign-signed and altered builds without storing them', { timeout: 120_000 }, async () => {
  const good = await makeBuild(join(dir, 'builds'), '1.0.0', { sign: false });
  expect((await release(['sign', '--dir', good.dir, '--channel', 'stable', '--key-file', keyFile])).out).toBe('signed 2 files of 1.0.0 for stable');
  expect(await publish(good.dir)).toMatchObject({ code: 0, out: 'published 1.0.0 on stable (linux, windows)' });

  const unsigned = await makeBuild(join(dir, 'builds'), '1.1.0', { sign: false });
  const foreign = await makeBuild(join(dir, 'builds'), '1.2.0', { vendor: makeVendor() });
  const altered = await makeBuild(join(dir, 'builds'), '1.3.0', { sign: false });
  expect((await release(['sign', '--dir', altered.dir, '--channel', 'stable', '--key-file', keyFile])).code).toBe(0);
  await writeFile(join(altered.dir, altered.appImage), Buffer.concat([altered.appImageBytes, Buffer.from([0])]));
  const refusals = [await publish(unsigned.dir), await publish(foreign.dir), await publish(altered.dir)];
  expect(refusals.map((r) => r.code)).toEqual([1, 1, 1]);
  expect(refusals[0]?.err).toMatch(/not signed|signatures/i);
  expect(refusals[1]?.err).toContain('The release 1.2.0 is signed with a key this version of Chartroom does not trust.');
  expect(refusals[2]?.err).toMatch(/hash-mismatch|SHA-512|size/);
  const list = await release(['list', '--data-dir', cloudDir()]);
  expect(list.out.split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(['1.0.0 stable']);
});

it('stages, halts and pins a release for a clinic from the command line', { timeout: 120_000 }, async () => {
  const tenant = /^tenant (\S+)$/m.exec((await exec(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Maple Street', '--data-dir', cloudDir()])).stdout)?.[1] ?? '';
  const it_ = (...args: string[]) => release([...args, '--tenant', tenant, '--data-dir', cloudDir()]);
  expect((await it_('promote', '--version', '1.0.0', '--percent', '10')).out).toContain('"stage":{"version":"1.0.0","percent":10}');
  expect((await it_('halt')).out).toContain('"halted":true');
  expect((await it_('pin', '--group', 'front desk', '--version', '1.0.0')).out).toMatch(/^policy 1 of front desk: .*"pin":"1.0.0"/);
  const refused = await it_('promote', '--version', '9.9.9', '--percent', '10');
  expect([refused.code, refused.err]).toEqual([1, expect.stringContaining('No release 9.9.9 is published.')]);
});
