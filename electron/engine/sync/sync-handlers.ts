// Sync and workstation calls: status and "sync now" for everyone, enrollment and the devices
// list for admins, the clinic-wide lockdown, the conflict list for the people who resolve conflicts.
import type { CallName } from '../../../shared/api/contract';
import { QuarantineKind, type SyncConflict } from '../../../shared/domain/sync';
import { fail, ok } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { SyncService } from './sync-service';

type SyncCall = Extract<CallName, `sync.${string}` | `devices.${string}`>;

export function syncHandlers(service: SyncService): HandlersFor<SyncCall> {
  return {
    'sync.status': async () => ok(await service.status()),
    'sync.now': async () => ok(await service.runNow()),
    'sync.enroll': async (input, ctx) => {
      // A workstation already set up starts the clinic's cloud tenant; further ones join empty.
      const r = await service.sync.enroll(input.cloudUrl, input.code, input.deviceName, 'setup');
      if (!r.ok) return r;
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'sync.enroll', null, `workstation ${r.value.number} of tenant ${r.value.tenantId}`)));
      void service.runNow();
      return ok({ number: r.value.number, recoveryCode: r.value.recoveryCode });
    },
    'sync.takeRecoveryCode': async () => ok({ code: service.takeRecoveryCode() }),
    'sync.refused': async (_input, ctx) => {
      const rows = await ctx.clinic.db.all<{ kind: string; msg_id: string; seq: number; device_id: string; reason: string; received_at: string }>(
        'SELECT kind, msg_id, seq, device_id, reason, received_at FROM sync_quarantine WHERE acknowledged_at IS NULL ORDER BY received_at DESC, seq DESC LIMIT 500',
      );
      const devices = rows.length > 0 ? await service.sync.devices() : null;
      const numberOf = new Map(devices?.ok ? devices.value.map((d) => [d.deviceId, d.number]) : []);
      return ok(rows.map((r) => ({ kind: QuarantineKind.catch('change-set').parse(r.kind), msgId: r.msg_id, seq: r.seq, fromWorkstation: numberOf.get(r.device_id) ?? null, reason: r.reason, receivedAt: r.received_at })));
    },
    'sync.acknowledgeRefused': async (input, ctx) => {
      if (!(await service.acknowledgeRefused(input.msgId, input.seq))) return fail('not-found', 'No such refused message.');
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'sync.acknowledgeRefused', null, `seq=${input.seq}`)));
      return ok({ done: true as const });
    },
    'sync.resolveConflict': async (input, ctx) => {
      if (!(await service.resolveConflict(input.id))) return fail('not-found', 'No such open conflict.');
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'sync.resolveConflict', null, `conflict=${input.id}`)));
      return ok({ done: true as const });
    },
    'sync.conflicts': async (_input, ctx) => {
      const rows = await ctx.clinic.db.all<{ id: number; kind: SyncConflict['kind']; tbl: string; row_id: string; col: string | null; value: string | null; detail: string | null; recorded_at: string }>(
        'SELECT * FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY recorded_at DESC LIMIT 500',
      );
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'sync.conflicts', null, `results=${rows.length}`)));
      return ok(rows.map((r) => ({ id: r.id, kind: r.kind, table: r.tbl, rowId: r.row_id, column: r.col, value: r.value, detail: r.detail, recordedAt: r.recorded_at })));
    },
    'sync.lockDown': async (_input, ctx) => {
      // Audited before the cloud is asked: once locked, this database closes (the row is sent after a lift).
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'sync.lockDown', null, 'every workstation of the clinic')));
      const r = await service.sync.lockDown();
      // This workstation is held too: it locks once the admin has been answered.
      if (r.ok) setImmediate(() => void service.lockedDownHere());
      return r;
    },
    'devices.list': async () => service.sync.devices(),
    'devices.enrollCode': async (_input, ctx) => {
      const r = await service.sync.createEnrollCode();
      if (r.ok) await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'devices.enrollCode', null)));
      return r;
    },
    'devices.revoke': async (input, ctx) => {
      const r = await service.sync.revoke(input.deviceId);
      if (!r.ok) return r;
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'devices.revoke', null, `device=${input.deviceId} new-key=${r.value.kid}`)));
      void service.runNow();
      return ok({ done: true as const });
    },
  };
}
