// Runs the pending cloud migrations on the SQLite store, all in one transaction, with the
// version in `user_version`.
import type Database from 'better-sqlite3';
import { type CloudMigration, SchemaNewerThanService } from './migration';

const addColumn = /^\s*ALTER TABLE (\w+) ADD COLUMN (\w+)[^;]*;?\s*$/i;

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
      // migrations may have the column already.
      const col = addColumn.exec(m.sqlite);
      const has = col && (db.prepare(`SELECT 1 FROM pragma_table_info(?) WHERE name = ?`).get(col[1], col[2]) !== undefined);
      if (!has) db.exec(m.sqlite);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}
