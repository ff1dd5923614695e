// Each workstation's audit chain head: reported after it sends audit rows, read by any
// workstation that verifies the clinic's trail. A head that goes back or changes is refused
// (409) and logged: the workstation's rows no longer say what they said when they were sent.
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { AuditHeadStore, DeviceStore } from '../store/store';

export function registerAuditHeads(app: FastifyInstance, deps: ServeDeps & { store: DeviceStore & AuditHeadStore }): void {
  const { store } = deps;

  serve(app, deps, 'putAuditHead', async ({ caller, body, log }) => {
    const verdict = await store.putAuditHead(caller.tenantId, { deviceId: caller.deviceId, seq: body.seq, hash: body.hash, at: new Date().toISOString() });
    if (verdict === 'stored' || verdict === 'same') return ok({ done: true as const });
    log.warn({ event: 'audit.head-refused', tenantId: caller.tenantId, deviceId: caller.deviceId, verdict }, 'a workstation reported an audit chain head that does not extend its last one');
    return fail('audit-head-conflict', verdict === 'behind'
      ? 'This workstation’s audit trail now ends before where it ended when last sent.'
      : 'This workstation’s audit trail was changed after it was sent.');
  });

  serve(app, deps, 'auditHeads', async ({ caller }) => ok({ heads: await store.auditHeads(caller.tenantId) }));
}
