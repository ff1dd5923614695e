// Undo one workstation's changes after a time, on this workstation, from the clinic's history at
// the cloud: a preview (how many change sets, which patients and records, what was changed again
// since), then the undo itself as new change sets through the Mutator, so the history stays
// append-only and every other workstation takes it like any change. Each step is audited.
import type { UndoApplied, UndoInput, UndoPreview } from '../../../shared/domain/undo';
import { fail, ok, type Result } from '../../../shared/errors';
import type { Clinic } from '../clinic/open-clinic';
import type { AuditRecord } from '../audit/audit-log';
import type { RowValues, SyncedTable } from '../db/mutation';
import { decode } from '../sync/apply';
import type { HistoryMessage } from '../sync/history-read';
import { fieldKey, planUndo, touchedFields, type UndoPlan } from './undo-plan';

export interface UndoDeps {
  history(): Promise<Result<{ messages: HistoryMessage[]; unreadable: number }>>;
  devices(): Promise<Result<readonly { deviceId: string; name: string; number: number }[]>>;
}

/** Fields per transaction of the undo: small enough to keep each change set well under the push limit. */
const FIELDS_PER_SET = 500;

async function plan(deps: UndoDeps, clinic: Clinic, input: UndoInput): Promise<Result<{ plan: UndoPlan; unreadable: number; workstation: string }>> {
  const devices = await deps.devices();
  if (!devices.ok) return devices;
  const device = devices.value.find((d) => d.deviceId === input.deviceId);
  if (!device) return fail('not-found', 'No such workstation in this clinic.');
  const history = await deps.history();
  if (!history.ok) return history;
  const target = { deviceId: input.deviceId, after: Date.parse(input.after) };
  const touched = touchedFields(history.value.messages, target);
  const standing = new Map<string, string>();
  for (let i = 0; i < touched.length; i += 300) {
    const part = touched.slice(i, i + 300);
    const rows = await clinic.db.all<{ tbl: string; row_id: string; col: string; hlc: string }>(
      `SELECT tbl, row_id, col, hlc FROM field_versions WHERE ${part.map(() => '(tbl = ? AND row_id = ? AND col = ?)').join(' OR ')}`,
      part.flatMap((f) => [f.table, f.rowId, f.col]),
    );
    for (const r of rows) standing.set(fieldKey({ table: r.tbl, rowId: r.row_id, col: r.col }), r.hlc);
  }
  return ok({ plan: planUndo(history.value.messages, target, standing), unreadable: history.value.unreadable, workstation: `${device.name} (workstation ${device.number})` });
}

export async function previewUndo(deps: UndoDeps, clinic: Clinic, input: UndoInput): Promise<Result<UndoPreview>> {
  const p = await plan(deps, clinic, input);
  if (!p.ok) return p;
  const { plan: u, unreadable, workstation } = p.value;
  const perTable = new Map<string, number>();
  for (const f of u.restore) perTable.set(f.table, (perTable.get(f.table) ?? 0) + 1);
  const named = await namePatients(clinic, u.patients);
  return ok({
    workstation, changeSets: u.changeSets, fields: u.restore.length,
    records: [...perTable].map(([table, fields]) => ({ table, fields })).sort((a, b) => a.table.localeCompare(b.table)),
    patients: named,
    changedSince: u.changedSince.map((f) => ({ table: f.table, rowId: f.rowId, column: f.col })),
    createdRows: [...u.createdRows], unreadable,
  });
}

export async function applyUndo(deps: UndoDeps, clinic: Clinic, input: UndoInput, audit: (detail: string) => AuditRecord): Promise<Result<UndoApplied>> {
  const p = await plan(deps, clinic, input);
  if (!p.ok) return p;
  const { plan: u, workstation } = p.value;
  const byRow = new Map<string, { table: SyncedTable; rowId: string; values: Record<string, unknown> }>();
  for (const f of u.restore) {
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
  for (let i = 0, fields = 0; i < rows.length; written++) {
    const batch: typeof rows = [];
    for (fields = 0; i < rows.length && fields < FIELDS_PER_SET; i++) {
      batch.push(rows[i] as (typeof rows)[number]);
      fields += Object.keys((rows[i] as (typeof rows)[number]).values).length;
    }
    await clinic.write(async (m) => {
      // Restamped: the restored value wins everywhere, as any newer change does.
      for (const r of batch) if (await m.tx.get(`SELECT 1 AS x FROM ${r.table} WHERE id = ?`, [r.rowId])) await m.update(r.table, r.rowId, r.values as RowValues<typeof r.table>, { restamp: true });
      m.audit(audit(`undo of ${workstation} after ${input.after}: part ${written + 1}, ${batch.length} records`));
    });
  }
  await clinic.write(async (m) => {
    m.audit(audit(`undo of ${workstation} after ${input.after}: ${u.changeSets} change sets, ${u.restore.length} fields restored, ${u.changedSince.length} left (changed since), ${u.createdRows.length} created rows listed`));
  });
  return ok({ changeSets: u.changeSets, fields: u.restore.length, changedSince: u.changedSince.map((f) => ({ table: f.table, rowId: f.rowId, column: f.col })), createdRows: [...u.createdRows], written });
}

async function namePatients(clinic: Clinic, ids: readonly string[]): Promise<{ id: string; name: string; mrn: string }[]> {
  const out: { id: string; name: string; mrn: string }[] = [];
  for (let i = 0; i < ids.length; i += 300) {
    const part = ids.slice(i, i + 300);
    const rows = await clinic.db.all<{ id: string; family_name: string; given_names: string; mrn: string }>(
      `SELECT id, family_name, given_names, mrn FROM patients WHERE id IN (${part.map(() => '?').join(', ')})`, part);
    out.push(...rows.map((r) => ({ id: r.id, name: `${r.family_name}, ${r.given_names}`, mrn: r.mrn })));
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
