// Runs the pending cloud migrations on PostgreSQL, all in one transaction under an advisory
// lock (several service processes may start together), with the versions in
// `schema_migrations`; `after` (row-level security, generated from one list) runs in the same
// transaction every time.
import type pg from 'pg';
import { type CloudMigration, SchemaNewerThanService } from './migration';

const LOCK = 7_335_001;

export async function postgresVersion(c: pg.ClientBase): Promise<number> {
  const exists = await c.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  const r = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}

export async function migratePostgres(pool: pg.Pool, migrations: readonly CloudMigration[], opts: { target?: number; after?: string } = {}): Promise<void> {
  const known = migrations.at(-1)?.version ?? 0;
  const target = opts.target ?? known;
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const current = await postgresVersion(c);
    if (current > known) throw new SchemaNewerThanService(current, known);
    for (const m of migrations.filter((x) => x.version > current && x.version <= target)) {
      await c.query(m.postgres);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    if (opts.after) await c.query(opts.after);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
