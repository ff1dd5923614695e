// The store contract on the embedded default, SQLite, plus what only SQLite can show here.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { tempDir } from '../../helpers/engine';
import { storeContract } from './store-contract';

let dir = '';
storeContract('SQLite', async () => {
  dir = await tempDir('chartroom-cloud-');
  return new SqliteStore(join(dir, 'cloud.db'));
}, async () => rm(dir, { recursive: true, force: true }));

it('refuses to rewrite or delete history, even by hand', async () => {
  const d = await tempDir('chartroom-cloud-');
  const store = new SqliteStore(join(d, 'cloud.db'));
  await store.migrate();
  const { tenantId } = await store.createTenant('Clinic', 'code-hash', new Date(Date.now() + 60_000).toISOString());
  await store.append(tenantId, '00000000-0000-4000-8000-000000000000', [{ msgId: '00000000-0000-4000-8000-000000000001', kid: 'k', nonce: Buffer.alloc(12).toString('base64'), ciphertext: Buffer.alloc(32).toString('base64') }]);
  await store.close();
  const raw = new Database(join(d, 'cloud.db'));
  expect(() => raw.prepare("UPDATE messages SET ciphertext = 'x'").run()).toThrow(/append-only/);
  expect(() => raw.prepare('DELETE FROM messages').run()).toThrow(/append-only/);
  raw.close();
  await rm(d, { recursive: true, force: true });
});
