// One PostgreSQL transaction in one tenant's scope: row-level security (forced on every tenant
// table) admits only that tenant's rows, so a query that forgot its WHERE still sees one tenant.
import type pg from 'pg';

export type InTenant = <T>(tenantId: string, fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>;

export async function inTenant<T>(pool: pg.Pool, tenantId: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SELECT set_config('chartroom.tenant', $1, true)", [tenantId]);
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
