// Brings a database to this build's schema: every pending migration in one transaction, and a
// refusal to touch a database written by a newer Chartroom.
import { fail, ok, type Result } from '../../../shared/errors';
import type { Db } from './connection';
import { migrations as allMigrations } from './migrations/index';
import type { Migration } from './migrations/migration';

export async function schemaVersion(db: Db): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

export async function migrate(db: Db, migrations: readonly Migration[] = allMigrations): Promise<Result<{ from: number; to: number }>> {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = await schemaVersion(db);
  if (from > latest) {
    return fail('db-newer-than-app', `This database was written by a newer Chartroom (schema ${from}; this build knows ${latest}). Update Chartroom.`);
  }
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return ok({ from, to: from });
  await db.transaction(async (tx) => {
    for (const m of pending) await m.up(tx);
    // user_version is part of the database header, so it commits or rolls back with the rest.
    await tx.exec(`PRAGMA user_version = ${latest}`);
  });
  return ok({ from, to: latest });
}
