// Snapshots: ciphertext the service keeps (append-only) and hands back, never opens. A new
// workstation starts from the newest one; `?meta=1` says where it stands without its bytes, and
// `?seq=` or `?at=` asks for the newest one at or before a point (a restore to before an attack).
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
    const snapshot = await history.latestSnapshot(caller.tenantId, { seq: query.seq, at: query.at === undefined ? undefined : new Date(query.at).toISOString() });
    if (query.meta === '1' && snapshot) {
      const { ciphertext: _c, ...meta } = snapshot;
      return ok({ snapshot: meta });
    }
    return ok({ snapshot });
  });
}
