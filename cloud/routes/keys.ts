// The tenant key travels only wrapped to each device's own key: the cloud cannot open it. A
// workstation puts wraps for the others and reads the ones made for it.
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { DeviceStore, EventStore, HistoryStore } from '../store/store';

export function registerKeys(app: FastifyInstance, deps: ServeDeps & { store: DeviceStore & HistoryStore & EventStore }): void {
  const { store } = deps;

  serve(app, deps, 'putKeys', async ({ caller, body }) => {
    for (const w of body.wraps) {
      const device = await store.getDevice(caller.tenantId, w.deviceId);
      if (!device || device.revokedAt) return fail('not-found', 'No such active device in this clinic.');
    }
    for (const w of body.wraps) await store.putKeyWrap(caller.tenantId, body.kid, w.deviceId, w.wrapped);
    await store.notify(caller.tenantId, 'keys');
    return ok({ done: true as const });
  });

  // Each key's wrap to the recovery key travels inside the wrap of the workstation that made the key.
  serve(app, deps, 'recoveryWraps', async ({ caller }) => {
    const out = new Map<string, string>();
    for (const d of await store.listDevices(caller.tenantId)) {
      for (const w of await store.keyWrapsFor(caller.tenantId, d.deviceId)) {
        if (out.has(w.kid)) continue;
        try {
          const recovery = (JSON.parse(w.wrapped) as { recovery?: unknown }).recovery;
          if (recovery && typeof recovery === 'object') out.set(w.kid, JSON.stringify(recovery));
        } catch {
          // Not JSON: a damaged wrap holds no recovery wrap.
        }
      }
    }
    return ok({ wraps: [...out].map(([kid, wrapped]) => ({ kid, wrapped })) });
  });

  serve(app, deps, 'keys', async ({ caller }) => ok({ wraps: await store.listKeyWraps(caller.tenantId), mine: await store.keyWrapsFor(caller.tenantId, caller.deviceId) }));
}
