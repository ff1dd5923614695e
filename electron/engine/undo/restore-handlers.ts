// The change sets a restore to a point in time kept aside (take-back.ts), for admins: the list,
// in words, and re-applying one (its values written again, restamped, as a new change set).
import type { CallName } from '../../../shared/api/contract';
import { fail, ok } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import { ChangeRow } from '../sync/envelope';
import type { SyncService } from '../sync/sync-service';
import { writeUndo } from './write-undo';

type RestoreCall = Extract<CallName, `restore.${string}`>;

const summarize = (rows: readonly ChangeRow[]) => [...new Set(rows.map((r) => `${r.tbl.replace(/_/g, ' ')}: ${r.col.replace(/_/g, ' ')}`))].slice(0, 12).join(', ');

export function restoreHandlers(service: SyncService): HandlersFor<RestoreCall> {
  return {
    'restore.keptAside': async (_input, ctx) => {
      const rows = await ctx.clinic.db.all<{ msg_id: string; seq: number; device_id: string; at: string; rows: string; fields: number; reapplied_at: string | null }>(
        'SELECT msg_id, seq, device_id, at, rows, fields, reapplied_at FROM restore_kept_aside ORDER BY seq DESC LIMIT 2000');
      const devices = rows.length > 0 ? await service.sync.devices() : null;
      const names = new Map(devices?.ok ? devices.value.map((d) => [d.deviceId, `${d.name} (workstation ${d.number})`]) : []);
      return ok(rows.map((r) => ({
        msgId: r.msg_id, seq: r.seq, workstation: names.get(r.device_id) ?? 'a workstation', at: r.at, fields: r.fields,
        summary: summarize(ChangeRow.array().catch([]).parse(JSON.parse(r.rows))), reappliedAt: r.reapplied_at,
      })));
    },
    'restore.reapply': async (input, ctx) => {
      const kept = await ctx.clinic.db.get<{ rows: string; seq: number }>('SELECT rows, seq FROM restore_kept_aside WHERE msg_id = ?', [input.msgId]);
      if (!kept) return fail('not-found', 'No such change set was kept aside.');
      const rows = ChangeRow.array().parse(JSON.parse(kept.rows));
      const written = await writeUndo(ctx.clinic, rows.map((r) => ({ table: r.tbl, rowId: r.rowId, col: r.col, from: r })), (part, records) => auditOf(ctx, 'restore.reapply', null, `kept-aside change set at ${kept.seq}: part ${part}, ${records} records`));
      if (!written.ok) return written;
      await service.markReapplied(input.msgId);
      void service.runNow();
      return ok({ fields: rows.length });
    },
  };
}
