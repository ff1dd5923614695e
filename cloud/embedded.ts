// The tenant service embedded in the app for a clinic that runs no server of its own (and for a
// newcomer's first run): SQLite under the data dir, loopback only, on a port kept between runs
// so enrolled workstations find it again.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateDir } from './private-files';
import { createCloud, createTenant } from './server';
import { SqliteStore } from './store/sqlite-store';

export interface EmbeddedCloud {
  readonly url: string;
  /** A new tenant and its setup code, for the first workstation. */
  newTenant(name: string): Promise<string>;
  close(): Promise<void>;
}

async function fileOr(path: string, make: () => Buffer): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    const value = make();
    await writeFile(path, value, { mode: 0o600 });
    return value;
  }
}

export async function startEmbeddedCloud(dir: string): Promise<EmbeddedCloud> {
  privateDir(dir);
  const store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  const app = await createCloud({ store, secret: await fileOr(join(dir, 'token-secret'), () => randomBytes(32)) });
  const portFile = join(dir, 'port');
  const saved = Number((await readFile(portFile, 'utf8').catch(() => '0')).trim()) || 0;
  const url = await app.listen({ host: '127.0.0.1', port: saved });
  if (!saved) await writeFile(portFile, String(new URL(url).port), { mode: 0o600 });
  return {
    url,
    newTenant: async (name) => (await createTenant(store, name)).setupCode,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
