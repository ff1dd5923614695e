// Runs the pending cloud migrations on the SQLite store, all in one transaction, with the
// version in `user_version`.
import type Database from 'better-sqlite3';
import { type CloudMigration, SchemaNewerThanService } from './migration';

const addColumn = /ALTER TABLE (\w+) ADD COLUMN (\w+)[^;]*;/gi;

export function sqliteVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Migrates to `target` (the newest unless a test asks for an older one). */
export function migrateSqlite(db: Database.Database, migrations: readonly CloudMigration[], target = migrations.at(-1)?.version ?? 0): void {
  const current = sqliteVersion(db);
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) throw new SchemaNewerThanService(current, known);
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      // SQLite has no ADD COLUMN IF NOT EXISTS; a database adopted from before numbered
      // migrations may have the column already, so each such statement is left out then.
      const has = (table: string, column: string) => db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;
      db.exec(m.sqlite.replace(addColumn, (statement, table: string, column: string) => (has(table, column) ? '' : statement)));
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}
