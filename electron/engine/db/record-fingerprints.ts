// What a clinic's record is, in a few numbers: per synced table, its row count and a SHA-256 of
// every row in id order; and the audit trail's rows (every workstation's, by place in its
// chain). A backup carries them, and a restore (or a drill) must arrive at the same.
import { createHash } from 'node:crypto';
import type { ReadTx } from './connection';
import { type SyncedTable, syncedTables } from './mutation';

export type TableFingerprint = { readonly rows: number; readonly sha256: string };
export type RecordFingerprints = Readonly<Record<string, TableFingerprint>>;

const blobColumns: Partial<Record<SyncedTable, readonly string[]>> = { documents: ['content'] };

export async function recordFingerprints(tx: ReadTx): Promise<RecordFingerprints> {
  const out: Record<string, TableFingerprint> = {};
  for (const [table, cols] of Object.entries(syncedTables) as [SyncedTable, readonly string[]][]) {
    const blobs = blobColumns[table] ?? [];
    const fields = ['id', ...cols].map((c) => (blobs.includes(c) ? `hex(${c})` : c)).join(', ');
    const r = await tx.get<{ n: number; j: string }>(`SELECT count(*) AS n, json_group_array(json_array(${fields})) AS j FROM (SELECT * FROM ${table} ORDER BY id)`);
    out[table] = { rows: r?.n ?? 0, sha256: createHash('sha256').update(r?.j ?? '[]').digest('hex') };
  }
  return out;
}

/** How many audit rows the clinic's trail holds here, every workstation's (own and arrived). */
export async function auditTrailRows(tx: ReadTx): Promise<number> {
  const r = await tx.get<{ n: number }>('SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM clinic_audit) AS n');
  return r?.n ?? 0;
}

/** The tables whose fingerprints differ, by name. */
export function differing(a: RecordFingerprints, b: RecordFingerprints): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t]?.sha256 !== b[t]?.sha256 || a[t]?.rows !== b[t]?.rows).sort();
}
