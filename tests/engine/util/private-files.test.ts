// A workstation's data dir is private from its first file (electron/engine/util/private-files.ts):
// after `admin init`, and after the browser host starts on a new data dir (its log, its embedded
// cloud's database and WAL), every folder is 0700 and every file 0600, whatever the umask.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { startHostProcess } from '../../helpers/browser-host-process';
import { tempDir } from '../../helpers/engine';
import { modesUnder, notPrivate } from '../../helpers/files';

const run = promisify(execFile);
let dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

/** A path inside a new temporary folder, for the program to make itself; and the umask a default desktop has. */
const fresh = async () => {
  const parent = await tempDir();
  dirs.push(parent);
  return join(parent, 'data');
};
const env = { ...process.env, CHARTROOM_PASSWORD: 'it-admin-passphrase-2026' };
const openUmask = ['-c', 'umask 022 && exec "$@"', 'sh'];

it('makes every folder 0700 and every file 0600 in the data dir `admin init` sets up', async () => {
  const dir = await fresh();
  await run('sh', [...openUmask, process.execPath, '--import', 'tsx', 'electron/engine/cli/admin.ts', 'init', '--data-dir', dir, '--user', 'it', '--clinic', 'Maple Street'], { env });
  const modes = await modesUnder(dir);
  expect(modes.map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['chartroom.db', 'keyring.json', 'logs', expect.stringMatching(/^logs\/.+\.log$/)]));
  expect(await notPrivate(dir)).toEqual([]);
}, 60_000);

it('makes every folder 0700 and every file 0600 in the new data dir the browser host starts on', async () => {
  const dir = await fresh();
  const old = process.umask(0o022);
  try {
    const host = await startHostProcess(dir);
    // While it runs: the embedded cloud's database has its -wal and -shm open.
    const running = await modesUnder(dir);
    expect(running.map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['logs/browser-host.log', 'cloud/cloud.db', 'cloud/cloud.db-wal', 'cloud/cloud.db-shm', 'cloud/token-secret']));
    expect(await notPrivate(dir)).toEqual([]);
    await host.stop();
  } finally {
    process.umask(old);
  }
  expect(await notPrivate(dir)).toEqual([]);
}, 60_000);
