// Applying another workstation's change set: field by field, the higher hybrid logical clock
// wins (last-writer-wins), in one savepoint per message so a message applies whole or not at
// all. Domain rules that must not be silently overwritten: a signed note never changes (a later
// change to it is kept as a conflict for the physician), and a patient registered elsewhere who
// may be someone already here is flagged, never merged.
import { parseHlc } from '../../../shared/sync/hlc';
import type { ReadTx, SqlValue, Tx } from '../db/connection';
import { checkColumn } from './column-checks';
import type { ChangeRow } from './envelope';
import { type HlcClock, type SyncedTable, syncedTables } from '../db/mutation';

const blobColumns = new Set(['documents.content']);
const soapColumns = ['subjective', 'objective', 'assessment', 'plan'];

/**
 * Domain checks a remote change set gets, given from outside sync (the patients feature's
 * duplicate check): each finding is kept as a conflict for a person to settle, never decided here.
 */
export interface ApplyChecks {
  /** Patients this change set created here: those that may be someone already registered. */
  newPatients(tx: ReadTx, ids: readonly string[]): Promise<readonly { readonly rowId: string; readonly detail: string }[]>;
}

export type ApplyOutcome =
  | { readonly status: 'applied'; readonly fields: number; readonly conflicts: number }
  | { readonly status: 'duplicate' }
  | { readonly status: 'refused'; readonly reason: string };

export interface Decoded { table: SyncedTable; rowId: string; col: string; value: SqlValue; raw: string | null; hlc: string }

/** A change row as the database takes it, checked like any synced value; a string says why it cannot be. */
export function decode(row: ChangeRow): Decoded | string {
  if (!Object.hasOwn(syncedTables, row.tbl)) return `unknown table ${row.tbl}`;
  const table = row.tbl as SyncedTable;
  if (!(syncedTables[table] as readonly string[]).includes(row.col)) return `unknown column ${row.tbl}.${row.col}`;
  try {
    parseHlc(row.hlc);
  } catch {
    return 'malformed clock';
  }
  let value: SqlValue = null;
  if (row.value !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      return 'malformed value';
    }
    if (parsed !== null && typeof parsed !== 'string' && typeof parsed !== 'number') return 'malformed value';
    value = blobColumns.has(`${row.tbl}.${row.col}`) && typeof parsed === 'string' ? Buffer.from(parsed, 'base64') : (parsed as SqlValue);
  }
  const wrong = checkColumn(table, row.col, value);
  if (wrong) return wrong;
  return { table, rowId: row.rowId, col: row.col, value, raw: row.value, hlc: row.hlc };
}

const same = (a: SqlValue | undefined, b: SqlValue) => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

export async function applyRemoteChangeSet(
  tx: Tx,
  clock: HlcClock,
  msg: { msgId: string; seq: number; deviceId: string },
  rows: readonly ChangeRow[],
  checks: ApplyChecks,
): Promise<ApplyOutcome> {
  if (await tx.get('SELECT 1 AS x FROM applied_messages WHERE msg_id = ?', [msg.msgId])) return { status: 'duplicate' };
  // A field written twice in one transaction travels twice; the later write is the one that stood.
  const byField = new Map<string, Decoded>();
  for (const r of rows) {
    const d = decode(r);
    if (typeof d === 'string') return { status: 'refused', reason: d };
    const key = `${d.table}\u0000${d.rowId}\u0000${d.col}`;
    byField.delete(key);
    byField.set(key, d);
  }
  const decoded = [...byField.values()];
  try {
    for (const d of decoded) clock.observe(d.hlc);
  } catch {
    return { status: 'refused', reason: 'clock too far ahead' };
  }

  const now = new Date().toISOString();
  let fields = 0;
  let conflicts = 0;
  const conflict = async (kind: string, d: Pick<Decoded, 'table' | 'rowId'> & Partial<Decoded>, detail: string | null = null) => {
    conflicts++;
    await tx.run(
      'INSERT INTO sync_conflicts (kind, tbl, row_id, col, value, hlc, from_device, detail, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [kind, d.table, d.rowId, d.col ?? null, d.raw ?? null, d.hlc ?? null, msg.deviceId, detail, now],
    );
  };

  await tx.exec('SAVEPOINT apply_message');
  try {
    const groups = new Map<string, Decoded[]>();
    for (const d of decoded) {
      const key = `${d.table}\u0000${d.rowId}`;
      const g = groups.get(key);
      if (g) g.push(d);
      else groups.set(key, [d]);
    }
    const newPatients: string[] = [];
    for (const group of groups.values()) {
      const { table, rowId } = group[0] as Decoded;
      const cols = group.map((d) => d.col);
      const current = await tx.get<Record<string, SqlValue>>(`SELECT ${[...new Set(['id', ...cols, ...(table === 'notes' ? ['status', ...soapColumns] : [])])].join(', ')} FROM ${table} WHERE id = ?`, [rowId]);
      const versions = new Map(
        (await tx.all<{ col: string; hlc: string }>('SELECT col, hlc FROM field_versions WHERE tbl = ? AND row_id = ?', [table, rowId])).map((v) => [v.col, v.hlc]),
      );
      let winners = group.filter((d) => (versions.get(d.col) ?? '') < d.hlc);

      if (table === 'notes' && current) {
        const signing = group.some((d) => d.col === 'status' && d.value === 'signed');
        if (current.status === 'signed') {
          // Never changed by sync: whatever differs is kept for the physician to see.
          for (const d of group) if (!same(current[d.col], d.value)) await conflict('signed-note-changed', d);
          winners = [];
        } else if (signing) {
          // The signing carries the whole signed text: it wins over any draft edit, and draft
          // text that differs is kept as a conflict rather than lost silently.
          for (const col of soapColumns) {
            const incoming = group.find((d) => d.col === col);
            if (incoming && !same(current[col], incoming.value) && (versions.get(col) ?? '') > incoming.hlc) {
              await conflict('signed-note-changed', { table, rowId, col, raw: JSON.stringify(current[col]), hlc: versions.get(col) }, 'draft text replaced by the signed note');
            }
          }
          winners = group;
        }
      }
      if (winners.length === 0) continue;

      if (!current) {
        await tx.run(`INSERT INTO ${table} (id, ${winners.map((d) => d.col).join(', ')}) VALUES (?, ${winners.map(() => '?').join(', ')})`, [rowId, ...winners.map((d) => d.value)]);
        if (table === 'patients') newPatients.push(rowId);
      } else {
        await tx.run(`UPDATE ${table} SET ${winners.map((d) => `${d.col} = ?`).join(', ')} WHERE id = ?`, [...winners.map((d) => d.value), rowId]);
      }
      // One statement for the row's winning clocks: the driver's cost is per statement.
      await tx.run(
        `INSERT INTO field_versions (tbl, row_id, col, hlc) VALUES ${winners.map(() => '(?, ?, ?, ?)').join(', ')}
           ON CONFLICT (tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc`,
        winners.flatMap((d) => [table, rowId, d.col, d.hlc]),
      );
      fields += winners.length;
      // A merge made elsewhere settles the duplicate flags this workstation raised for the pair.
      const mergedInto = table === 'patients' ? winners.find((d) => d.col === 'merged_into' && typeof d.value === 'string') : undefined;
      if (mergedInto) {
        await tx.run("UPDATE sync_conflicts SET resolved_at = ? WHERE kind = 'possible-duplicate' AND row_id IN (?, ?) AND resolved_at IS NULL", [now, rowId, mergedInto.value]);
      }
    }
    for (const found of await checks.newPatients(tx, newPatients)) {
      await conflict('possible-duplicate', { table: 'patients', rowId: found.rowId }, found.detail);
    }
    await tx.run('INSERT INTO applied_messages (msg_id, seq, device_id, applied_at) VALUES (?, ?, ?, ?)', [msg.msgId, msg.seq, msg.deviceId, now]);
    await tx.exec('RELEASE apply_message');
  } catch (e) {
    await tx.exec('ROLLBACK TO apply_message');
    await tx.exec('RELEASE apply_message');
    return { status: 'refused', reason: e instanceof Error && /constraint/i.test(e.message) ? 'conflicts with a record here (constraint)' : 'could not be applied' };
  }
  return { status: 'applied', fields, conflicts };
}

/** This workstation's change sets not yet pushed, oldest first, one per local transaction. */
export async function pendingChangeSets(tx: ReadTx, limit: number): Promise<{ msgId: string; rows: ChangeRow[]; by: string | null }[]> {
  // One JSON aggregate per change set: a big set (a day's bulk import) is thousands of rows, and
  // the driver's cost is per row returned.
  const sets = await tx.all<{ msg_id: string; rows: string; by: string | null }>(
    `SELECT msg_id, json_group_array(json_array(hlc, tbl, row_id, col, value) ORDER BY seq) AS rows,
            (SELECT user_id FROM change_authors a WHERE a.msg_id = changes.msg_id) AS by
       FROM changes
      WHERE pushed = 0 AND msg_id IN (SELECT msg_id FROM changes WHERE pushed = 0 GROUP BY msg_id ORDER BY min(seq) LIMIT ?)
      GROUP BY msg_id ORDER BY min(seq)`,
    [limit],
  );
  return sets.map((s) => ({
    msgId: s.msg_id,
    by: s.by,
    rows: (JSON.parse(s.rows) as [string, string, string, string, string | null][]).map(([hlc, tbl, rowId, col, value]) => ({ hlc, tbl, rowId, col, value })),
  }));
}

export async function markPushed(tx: Tx, msgIds: readonly string[]): Promise<void> {
  for (let i = 0; i < msgIds.length; i += 500) {
    const chunk = msgIds.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(', ');
    // `pushed = 0` lets SQLite walk the outbox's partial index instead of the whole change log.
    const waiting = await tx.get<{ n: number }>(`SELECT count(DISTINCT msg_id) AS n FROM changes WHERE pushed = 0 AND msg_id IN (${marks})`, chunk);
    await tx.run(`UPDATE changes SET pushed = 1 WHERE pushed = 0 AND msg_id IN (${marks})`, chunk);
    await tx.run("UPDATE sync_counters SET value = max(0, value - ?) WHERE name = 'pending'", [waiting?.n ?? 0]);
  }
}
