// A restore to a point in time moves the whole clinic back: every field written after the target
// (by any workstation) gets its value as of the target, as new change sets that every workstation
// takes when it comes back; the change sets made after the target are kept aside here, with
// their rows, for an admin to look at and re-apply one by one. Rows created after the target
// stay (nothing is deleted) and are counted.
import { parseHlc } from '../../../shared/sync/hlc';
import { ok, type Result } from '../../../shared/errors';
import type { AuditRecord } from '../audit/audit-log';
import type { SyncStore } from '../clinic/open-clinic';
import type { HistoryMessage } from '../sync/history-read';
import type { UndoTarget } from './undo-plan';
import { planHere } from './undo-service';
import { writeUndo } from './write-undo';

export interface TakenBack {
  readonly keptAside: number;
  readonly fields: number;
  readonly createdRows: number;
  readonly written: number;
}

export async function takeClinicBack(clinic: SyncStore, messages: readonly HistoryMessage[], target: Extract<UndoTarget, { kind: 'after-seq' | 'after-time' }>, audit: (detail: string) => AuditRecord): Promise<Result<TakenBack>> {
  const plan = await planHere(clinic, messages, target);
  const label = target.kind === 'after-seq' ? `seq ${target.seq}` : new Date(target.at).toISOString();
  const written = await writeUndo(clinic, plan.restore, (part, records) => audit(`restore to ${label}: part ${part}, ${records} records taken back`));
  if (!written.ok) return written;
  const byId = new Map(messages.map((m) => [m.msgId, m]));
  const now = new Date().toISOString();
  await clinic.local(async (tx) => {
    for (const id of plan.messages) {
      const m = byId.get(id);
      if (!m) continue;
      const at = new Date(Math.min(...m.rows.map((r) => parseHlc(r.hlc).millis))).toISOString();
      await tx.run('INSERT OR IGNORE INTO restore_kept_aside (msg_id, seq, device_id, at, rows, fields, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [m.msgId, m.seq, m.deviceId, at, JSON.stringify(m.rows), m.rows.length, now]);
    }
  });
  await clinic.write((m) => m.audit(audit(`restore to ${label}: ${plan.restore.length} fields taken back, ${plan.messages.length} change sets kept aside, ${plan.createdRows.length} rows created after it left`)));
  return ok({ keptAside: plan.messages.length, fields: plan.restore.length, createdRows: plan.createdRows.length, written: written.value });
}
