// Writing an undo: each field's earlier value (or empty) back through the Mutator, restamped so
// it wins everywhere as any newer change does, in change sets of at most 500 fields, each
// transaction with its audit row. The history only grows.
import { fail, ok, type Result } from '../../../shared/errors';
import type { AuditRecord } from '../audit/audit-log';
import type { Clinic } from '../clinic/open-clinic';
import type { RowValues, SyncedTable } from '../db/mutation';
import { decode } from '../sync/apply';
import type { FieldRestore } from './undo-plan';

/** Fields per transaction: small enough to keep each change set well under the push limit. */
const FIELDS_PER_SET = 500;

/** Answers how many change sets it wrote; `audit(part, records)` is each one's audit row. */
export async function writeUndo(clinic: Clinic, restore: readonly FieldRestore[], audit: (part: number, records: number) => AuditRecord): Promise<Result<number>> {
  const byRow = new Map<string, { table: SyncedTable; rowId: string; values: Record<string, unknown> }>();
  for (const f of restore) {
    const key = `${f.table}\u0000${f.rowId}`;
    const row = byRow.get(key) ?? { table: f.table as SyncedTable, rowId: f.rowId, values: {} };
    byRow.set(key, row);
    if (!f.from) row.values[f.col] = null;
    else {
      const d = decode(f.from);
      if (typeof d === 'string') return fail('invalid-input', `An earlier value of ${f.table}.${f.col} cannot be restored: ${d}.`);
      row.values[f.col] = d.value;
    }
  }
  const rows = [...byRow.values()];
  let written = 0;
  for (let i = 0; i < rows.length; written++) {
    const batch: typeof rows = [];
    for (let fields = 0; i < rows.length && fields < FIELDS_PER_SET; i++) {
      const row = rows[i] as (typeof rows)[number];
      batch.push(row);
      fields += Object.keys(row.values).length;
    }
    await clinic.write(async (m) => {
      // Restamped: the restored value wins everywhere, as any newer change does.
      for (const r of batch) if (await m.tx.get(`SELECT 1 AS x FROM ${r.table} WHERE id = ?`, [r.rowId])) await m.update(r.table, r.rowId, r.values as RowValues<typeof r.table>, { restamp: true });
      m.audit(audit(written + 1, batch.length));
    });
  }
  return ok(written);
}
