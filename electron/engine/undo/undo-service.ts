// Undo one workstation's, or one user's, changes after a time, on this workstation, from the clinic's history at
// the cloud: a preview (how many change sets, which patients and records, what was changed again
// since), then the undo itself as new change sets through the Mutator, so the history stays
// append-only and every other workstation takes it like any change. Each step is audited.
import type { UndoApplied, UndoInput, UndoPreview } from '../../../shared/domain/undo';
import { fail, ok, type Result } from '../../../shared/errors';
import type { Clinic } from '../clinic/open-clinic';
import type { AuditRecord } from '../audit/audit-log';
import type { HistoryMessage } from '../sync/history-read';
import { fieldKey, planUndo, touchedFields, type UndoPlan, type UndoTarget } from './undo-plan';
import { writeUndo } from './write-undo';

export interface UndoDeps {
  history(): Promise<Result<{ messages: HistoryMessage[]; unreadable: number }>>;
  devices(): Promise<Result<readonly { deviceId: string; name: string; number: number }[]>>;
}

/** Whose changes the input names, in words, and the plan's target; not found is a value. */
async function targetOf(deps: UndoDeps, clinic: Clinic, input: UndoInput): Promise<Result<{ target: UndoTarget; whose: string }>> {
  const after = Date.parse(input.after);
  if (input.userId) {
    const user = await clinic.db.get<{ username: string; display_name: string }>('SELECT username, display_name FROM users WHERE id = ?', [input.userId]);
    if (!user) return fail('not-found', 'No such user in this clinic.');
    return ok({ target: { kind: 'user', userId: input.userId, after }, whose: `${user.display_name} (${user.username})` });
  }
  const devices = await deps.devices();
  if (!devices.ok) return devices;
  const device = devices.value.find((d) => d.deviceId === input.deviceId);
  if (!device) return fail('not-found', 'No such workstation in this clinic.');
  return ok({ target: { kind: 'device', deviceId: device.deviceId, after }, whose: `${device.name} (workstation ${device.number})` });
}

async function plan(deps: UndoDeps, clinic: Clinic, input: UndoInput): Promise<Result<{ plan: UndoPlan; unreadable: number; whose: string }>> {
  const target = await targetOf(deps, clinic, input);
  if (!target.ok) return target;
  const history = await deps.history();
  if (!history.ok) return history;
  return ok({ plan: await planHere(clinic, history.value.messages, target.value.target), unreadable: history.value.unreadable, whose: target.value.whose });
}

/** The plan against what stands on this workstation: each touched field's winning clock here. */
export async function planHere(clinic: Clinic, messages: readonly HistoryMessage[], target: UndoTarget): Promise<UndoPlan> {
  const touched = touchedFields(messages, target);
  const standing = new Map<string, string>();
  for (let i = 0; i < touched.length; i += 300) {
    const part = touched.slice(i, i + 300);
    const rows = await clinic.db.all<{ tbl: string; row_id: string; col: string; hlc: string }>(
      `SELECT tbl, row_id, col, hlc FROM field_versions WHERE ${part.map(() => '(tbl = ? AND row_id = ? AND col = ?)').join(' OR ')}`,
      part.flatMap((f) => [f.table, f.rowId, f.col]),
    );
    for (const r of rows) standing.set(fieldKey({ table: r.tbl, rowId: r.row_id, col: r.col }), r.hlc);
  }
  return planUndo(messages, target, standing);
}

export async function previewUndo(deps: UndoDeps, clinic: Clinic, input: UndoInput): Promise<Result<UndoPreview>> {
  const p = await plan(deps, clinic, input);
  if (!p.ok) return p;
  const { plan: u, unreadable, whose } = p.value;
  const perTable = new Map<string, number>();
  for (const f of u.restore) perTable.set(f.table, (perTable.get(f.table) ?? 0) + 1);
  const named = await namePatients(clinic, u.patients);
  return ok({
    whose, changeSets: u.changeSets, fields: u.restore.length,
    records: [...perTable].map(([table, fields]) => ({ table, fields })).sort((a, b) => a.table.localeCompare(b.table)),
    patients: named,
    changedSince: u.changedSince.map((f) => ({ table: f.table, rowId: f.rowId, column: f.col })),
    createdRows: [...u.createdRows], unreadable,
  });
}

export async function applyUndo(deps: UndoDeps, clinic: Clinic, input: UndoInput, audit: (detail: string) => AuditRecord): Promise<Result<UndoApplied>> {
  const p = await plan(deps, clinic, input);
  if (!p.ok) return p;
  const { plan: u, whose } = p.value;
  const written = await writeUndo(clinic, u.restore, (part, records) => audit(`undo of ${whose} after ${input.after}: part ${part}, ${records} records`));
  if (!written.ok) return written;
  await clinic.write(async (m) => {
    m.audit(audit(`undo of ${whose} after ${input.after}: ${u.changeSets} change sets, ${u.restore.length} fields restored, ${u.changedSince.length} left (changed since), ${u.createdRows.length} created rows listed`));
  });
  return ok({ changeSets: u.changeSets, fields: u.restore.length, changedSince: u.changedSince.map((f) => ({ table: f.table, rowId: f.rowId, column: f.col })), createdRows: [...u.createdRows], written: written.value });
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
