// What undoing one workstation's (or one user's) changes after a time would do, from the clinic's
// history (pure: no database, no cloud). For every field a change set of that workstation wrote after the
// time: if its value still stands here, the value it replaced comes back (the newest write to
// the field by anyone else, as if those change sets had never been made); if someone wrote the
// field again since, it is left as it is and listed; rows the workstation created are listed,
// not removed (history is append-only, and a person decides).
import { assertNever } from '../../../shared/errors';
import { parseHlc } from '../../../shared/sync/hlc';
import type { ChangeRow } from '../sync/envelope';
import type { HistoryMessage } from '../sync/history-read';

/**
 * What is undone: one device's, or one user's, change sets stamped at or after `after` (ms); or, to take the
 * whole clinic back (a restore to a point in time), every change set after `seq`, or every one
 * stamped at or after `at` (ms).
 */
export type UndoTarget =
  | { readonly kind: 'device'; readonly deviceId: string; readonly after: number }
  | { readonly kind: 'user'; readonly userId: string; readonly after: number }
  | { readonly kind: 'after-seq'; readonly seq: number }
  | { readonly kind: 'after-time'; readonly at: number };

export interface FieldRef {
  readonly table: string;
  readonly rowId: string;
  readonly col: string;
}

export interface FieldRestore extends FieldRef {
  /** The write whose value comes back; null: none earlier, the column goes back to empty. */
  readonly from: ChangeRow | null;
}

export interface UndoPlan {
  /** The target's change sets after the time. */
  readonly changeSets: number;
  readonly restore: readonly FieldRestore[];
  /** Written again after the target's change, by someone else: left as they are. */
  readonly changedSince: readonly (FieldRef & { readonly hlc: string })[];
  /** Rows the target created after the time: listed for a person, never removed. */
  readonly createdRows: readonly { readonly table: string; readonly rowId: string }[];
  /** Every patient a field of the plan belongs to. */
  readonly patients: readonly string[];
  /** The message ids undone, in history order. */
  readonly messages: readonly string[];
}

/** Kept by the app beside what a person wrote (a time stamp, a search form): restored, never listed. */
const bookkeeping = new Set(['updated_at', 'phone_digits']);

export const fieldKey = (f: FieldRef) => `${f.table}\u0000${f.rowId}\u0000${f.col}`;

function isTarget(m: HistoryMessage, row: ChangeRow, t: UndoTarget): boolean {
  switch (t.kind) {
    case 'device': return m.deviceId === t.deviceId && parseHlc(row.hlc).millis >= t.after;
    // The author sealed in the change set (envelope v2); older change sets say none and are never a user's.
    case 'user': return m.author === t.userId && parseHlc(row.hlc).millis >= t.after;
    case 'after-seq': return m.seq > t.seq;
    case 'after-time': return parseHlc(row.hlc).millis >= t.at;
    default: return assertNever(t);
  }
}

/** The fields the target wrote after the time (what the caller reads the standing clocks of). */
export function touchedFields(history: readonly HistoryMessage[], t: UndoTarget): FieldRef[] {
  const seen = new Map<string, FieldRef>();
  for (const m of history) for (const r of m.rows) if (isTarget(m, r, t)) seen.set(fieldKey({ table: r.tbl, rowId: r.rowId, col: r.col }), { table: r.tbl, rowId: r.rowId, col: r.col });
  return [...seen.values()];
}

/** `standing`: each touched field's winning clock on this workstation (field_versions). */
export function planUndo(history: readonly HistoryMessage[], t: UndoTarget, standing: ReadonlyMap<string, string>): UndoPlan {
  const bad = new Map<string, ChangeRow>(); // the target's newest write per field
  const good = new Map<string, ChangeRow>(); // everyone else's newest write per field
  const rowBornGood = new Set<string>(); // rows someone else wrote before the target's time
  const rowOwner = new Map<string, string>(); // row → patient
  const sets = new Set<string>(); // kept in insertion (history) order
  for (const m of history) {
    for (const r of m.rows) {
      const key = fieldKey({ table: r.tbl, rowId: r.rowId, col: r.col });
      const mine = isTarget(m, r, t);
      const into = mine ? bad : good;
      if ((into.get(key)?.hlc ?? '') < r.hlc) into.set(key, r);
      if (mine) sets.add(m.msgId);
      else rowBornGood.add(`${r.tbl}\u0000${r.rowId}`);
      if (r.col === 'patient_id' && r.value) rowOwner.set(`${r.tbl}\u0000${r.rowId}`, r.value.replace(/^"|"$/g, ''));
    }
  }
  const restore: FieldRestore[] = [];
  const changedSince: (FieldRef & { hlc: string })[] = [];
  const created = new Map<string, { table: string; rowId: string }>();
  const patients = new Set<string>();
  for (const [key, b] of bad) {
    const f = { table: b.tbl, rowId: b.rowId, col: b.col };
    const rowKey = `${b.tbl}\u0000${b.rowId}`;
    patients.add(b.tbl === 'patients' ? b.rowId : (rowOwner.get(rowKey) ?? ''));
    if (!rowBornGood.has(rowKey)) {
      created.set(rowKey, { table: b.tbl, rowId: b.rowId });
      continue;
    }
    // Written again since, here (a change not sent yet) or in the history (one not applied here yet).
    const before = good.get(key);
    const now = standing.get(key);
    if (now !== b.hlc || (before && before.hlc > b.hlc)) {
      if (!bookkeeping.has(f.col)) changedSince.push({ ...f, hlc: before && before.hlc > b.hlc ? before.hlc : (now ?? '') });
      continue;
    }
    restore.push({ ...f, from: before ?? null });
  }
  patients.delete('');
  return { changeSets: sets.size, restore, changedSince, createdRows: [...created.values()], patients: [...patients], messages: [...sets] };
}
