// Update calls: the workstation's own status and *Install now*, the note editor's open and
// close (which an install waits for), and IT's Updates page, which reads and changes the
// clinic's policy at its cloud. Every policy change is audited here, with what it changed.
import type { CallName } from '../../../shared/api/contract';
import { fail, ok } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { SyncClient } from '../sync/client';
import type { CareLedger } from './care-ledger';
import type { UpdateService } from './update-service';

type UpdateCall = Extract<CallName, `updates.${string}`>;

export interface UpdatePortsForCalls {
  readonly service: Pick<UpdateService, 'status' | 'installNow' | 'evaluate'>;
  readonly care: Pick<CareLedger, 'opened' | 'closed'>;
  readonly cloud: Pick<SyncClient, 'tenantCall'>;
}

export function updateHandlers({ service, care, cloud }: UpdatePortsForCalls): HandlersFor<UpdateCall> {
  return {
    'updates.status': async () => ok(service.status()),
    'updates.noteEditing': async (input) => {
      if (input.editing) care.opened('note', input.encounterId);
      else {
        care.closed('note', input.encounterId);
        void service.evaluate();
      }
      return ok({ done: true as const });
    },
    'updates.installNow': async (_input, ctx) => {
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'updates.installNow', null)));
      const gate = await service.installNow();
      if (!gate) return fail('not-found', 'No update is waiting on this workstation.');
      return ok(gate.install ? { installing: true, message: 'The update installs now; Chartroom restarts.' } : { installing: false, message: gate.message });
    },
    'updates.overview': async () => cloud.tenantCall('updates'),
    'updates.change': async (input, ctx) => {
      const r = await cloud.tenantCall('changeUpdatePolicy', { body: input });
      const what = `${input.change.kind}${'version' in input.change ? ` ${input.change.version ?? 'none'}` : ''}${'percent' in input.change ? ` to ${input.change.percent} %` : ''} for ${input.group ?? 'the clinic'}`;
      await ctx.clinic.write((m) => m.audit({ ...auditOf(ctx, 'updates.change', null, what), outcome: r.ok ? 'success' : 'failed' }));
      return r;
    },
    'updates.setGroup': async (input, ctx) => {
      const r = await cloud.tenantCall('setDeviceGroup', { body: input });
      if (r.ok) await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'updates.setGroup', null, `workstation ${input.deviceId} to ${input.group ?? 'the clinic’s policy'}`)));
      return r;
    },
  };
}
