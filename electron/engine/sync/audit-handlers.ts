// The audit calls: the whole clinic's trail (every workstation's rows, sync/audit-sync.ts)
// queried and exported with names, and verified chain by chain against the heads the cloud
// keeps, when it can be asked. Reading the trail with patients named is itself audited.
import type { CallName } from '../../../shared/api/contract';
import { ok } from '../../../shared/errors';
import { exportClinicAudit, queryClinicAudit, verifyClinicAudit } from '../audit/clinic-audit';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { SyncService } from './sync-service';

type AuditCall = Extract<CallName, 'audit.query' | 'audit.export' | 'audit.verify'>;

const filterText = (f: Record<string, unknown>) => Object.entries(f).filter(([k, v]) => v !== undefined && k !== 'limit' && k !== 'patient').map(([k, v]) => `${k}=${String(v)}`).join(' ');

export function auditHandlers(service: SyncService): HandlersFor<AuditCall> {
  return {
    'audit.query': async (input, ctx) => {
      const { limit, ...filter } = input;
      const rows = await queryClinicAudit(ctx.clinic.db, ctx.clinic.workstationId, filter, limit);
      // What was searched is kept without the patient text typed (a name is PHI); the count is enough.
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'audit.query', input.patientId ?? null, `results=${rows.length}${filterText(input) ? ` ${filterText(input)}` : ''}${input.patient ? ' patient-filter' : ''}`)));
      return ok(rows);
    },
    'audit.export': async (input, ctx) => {
      const { csv, rows } = await exportClinicAudit(ctx.clinic.db, ctx.clinic.workstationId, input);
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'audit.export', input.patientId ?? null, `rows=${rows}${filterText(input) ? ` ${filterText(input)}` : ''}${input.patient ? ' patient-filter' : ''}`)));
      const stamp = new Date().toISOString().slice(0, 10);
      return ok({ filename: `chartroom-audit-${stamp}.csv`, csv, rows });
    },
    'audit.verify': async (_input, ctx) => {
      const identity = await service.sync.identity();
      const heads = identity ? await service.sync.auditHeads() : null;
      return ok(await verifyClinicAudit(ctx.clinic.db, ctx.clinic.workstationId, heads?.ok ? heads.value : null));
    },
  };
}
