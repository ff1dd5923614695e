// Both stores for the cloud's migration tests: each opens a fresh database that a test migrates
// step by step, with a raw connection beside it to look at the schema and the rows.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../../../cloud/store/postgres-store';
import { SqliteStore } from '../../../../cloud/store/sqlite-store';
import type { CloudStore } from '../../../../cloud/store/store';
import { tempDir } from '../../../helpers/engine';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';

export interface Opened {
  readonly store: CloudStore;
  /** The column names of a table ([] when it does not exist). */
  columns(table: string): Promise<string[]>;
  /** The schema version the database records. */
  version(): Promise<number>;
  /** A statement as the service's own role, in a tenant's scope (row-level security applies on PostgreSQL). */
  exec(tenantId: string, sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface Dialect {
  readonly name: 'SQLite' | 'PostgreSQL';
  open(): Promise<Opened>;
}

let pgServer: TestPostgres | undefined;
beforeAll(async () => { pgServer = await startPostgres(); }, 120_000);
afterAll(async () => pgServer?.stop(), 60_000);

const sqlite: Dialect = {
  name: 'SQLite',
  async open() {
    const file = join(await tempDir('chartroom-cloud-migration-'), 'cloud.db');
    const store = new SqliteStore(file);
    const raw = new Database(file);
    return {
      store,
      columns: async (t) => (raw.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => c.name),
      version: async () => raw.pragma('user_version', { simple: true }) as number,
      exec: async (_tenant, sql) => void raw.exec(sql),
      async close() { raw.close(); await store.close(); },
    };
  },
};

const postgres: Dialect = {
  name: 'PostgreSQL',
  async open() {
    if (!pgServer) throw new Error('PostgreSQL did not start');
    const url = await pgServer.database(`m_${randomUUID().replaceAll('-', '')}`);
    const store = new PostgresStore(url);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    return {
      store,
      columns: async (t) => (await raw.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [t])).rows.map((r) => r.column_name),
      version: async () => (await raw.query<{ v: number | null }>("SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END AS v")).rows[0]?.v ?? 0,
      exec: async (tenant, sql) => {
        await raw.query('BEGIN');
        try {
          await raw.query("SELECT set_config('chartroom.tenant', $1, true)", [tenant]);
          await raw.query(sql);
          await raw.query('COMMIT');
        } catch (e) {
          await raw.query('ROLLBACK');
          throw e;
        }
      },
      async close() { await raw.end(); await store.close(); },
    };
  },
};

export const dialects: readonly Dialect[] = [sqlite, postgres];

export const envelope = () => ({ msgId: randomUUID(), kid: 'k1', nonce: Buffer.alloc(12).toString('base64'), ciphertext: Buffer.alloc(32, 7).toString('base64') });
export const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
