// The tenant service's data dir is private (cloud/private-files.ts): its database with the -wal
// and -shm SQLite gives the database's mode, its log and its secret are 0600 and its folders
// 0700, whatever the umask it was started with.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { tempDir } from '../helpers/engine';
import { modesUnder, notPrivate } from '../helpers/files';

let parent = '';
afterEach(async () => rm(parent, { recursive: true, force: true }));

it('makes every folder 0700 and every file 0600 in the data dir it starts on', async () => {
  parent = await tempDir();
  const dir = join(parent, 'cloud');
  const old = process.umask(0o022);
  try {
    await createTenantInDir(dir, 'Maple Street');
    const cloud = await startCloudProcess(dir);
    expect((await fetch(`${cloud.url}/readyz`)).status).toBe(200);
    const running = (await modesUnder(dir)).map((l) => l.split(' ')[0]);
    expect(running).toEqual(expect.arrayContaining(['cloud.db', 'cloud.db-wal', 'cloud.db-shm', 'logs', 'logs/cloud.log', 'token-secret']));
    expect(await notPrivate(dir)).toEqual([]);
    await cloud.stop();
  } finally {
    process.umask(old);
  }
  expect(await notPrivate(dir)).toEqual([]);
}, 60_000);
