// Writes to this workstation's own tables (outbox marks, MRN range, sync state, quarantine):
// a transaction handle that refuses any statement aimed at a synced table, so the Mutator (and
// the replication of remote change sets) stays the only writer of what travels.
import type { Tx } from './connection';
import { syncedTables } from './synced-tables';

const target = /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)/i;

/** The synced table a statement writes, if any (statements that write nothing answer null). */
export function syncedTarget(sql: string): string | null {
  const m = target.exec(sql);
  const table = m?.[1];
  return table && Object.hasOwn(syncedTables, table) ? table : null;
}

/** `tx` for local tables only: a write to a synced table is a bug and throws. */
export function localOnly(tx: Tx): Tx {
  return {
    get: (sql, params) => tx.get(sql, params),
    all: (sql, params) => tx.all(sql, params),
    run: (sql, params) => {
      const table = syncedTarget(sql);
      if (table) throw new Error(`synced table ${table} written outside the Mutator`);
      return tx.run(sql, params);
    },
    exec: (sql) => {
      if (syncedTarget(sql)) throw new Error('synced table written outside the Mutator');
      return tx.exec(sql);
    },
  };
}
