// Snapshots: ciphertext the service keeps (append-only) and hands back, never opens. A new
// workstation starts from the newest one; `?meta=1` says where it stands without its bytes.
import type { FastifyInstance } from 'fastify';
import { ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { HistoryStore } from '../store/store';

export function registerSnapshots(app: FastifyInstance, deps: ServeDeps & { history: HistoryStore }): void {
  const { history } = deps;

  serve(app, deps, 'putSnapshot', async ({ caller, body, log }) => {
    await history.putSnapshot(caller.tenantId, { ...body, deviceId: caller.deviceId });
    log.info({ event: 'snapshot.stored', tenantId: caller.tenantId, deviceId: caller.deviceId, seq: body.seq, bytes: body.ciphertext.length }, 'snapshot stored');
    return ok({ done: true as const });
  });

  serve(app, deps, 'latestSnapshot', async ({ caller, query }) => {
    const snapshot = await history.latestSnapshot(caller.tenantId);
    if (query.meta === '1' && snapshot) {
      const { ciphertext: _c, ...meta } = snapshot;
      return ok({ snapshot: meta });
    }
    return ok({ snapshot });
  });
}
