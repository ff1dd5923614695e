// A tenant's stream: online devices hear "there is more" (or "keys", "devices", "visits") within
// a moment of any change to their tenant, from whichever service process took it.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { cloudSockets } from '../../shared/cloud-api/routes';
import { authenticate } from '../http/authenticate';
import { type DeviceSockets, LOCKED_DOWN_CLOSE } from '../http/device-sockets';
import type { ServeDeps } from '../http/serve';
import type { EventStore } from '../store/store';

export async function registerStream(app: FastifyInstance, deps: ServeDeps & { events: EventStore; sockets: DeviceSockets }): Promise<void> {
  const listeners = new Map<string, Set<WebSocket>>();
  const stopListening = await deps.events.onEvent((tenantId, event) => {
    for (const s of listeners.get(tenantId) ?? []) s.send(JSON.stringify({ type: event }));
  });
  app.addHook('onClose', async () => {
    await stopListening();
    for (const set of listeners.values()) for (const s of set) s.close(1001, 'service stopping');
  });
  app.register(async (scope) => {
    scope.get(cloudSockets.stream.path, { websocket: true }, async (socket, req) => {
      const params = cloudSockets.stream.params.safeParse(req.params);
      const who = params.success ? await authenticate(deps, req, params.data.tenantId) : null;
      if (!who?.ok) {
        // A held device hears why at once, and locks; anything else is only forbidden.
        if (who?.refusal.code === 'clinic-locked-down') socket.close(LOCKED_DOWN_CLOSE.code, LOCKED_DOWN_CLOSE.message);
        else socket.close(1008, 'forbidden');
        return;
      }
      const set = listeners.get(who.caller.tenantId) ?? new Set<WebSocket>();
      listeners.set(who.caller.tenantId, set);
      set.add(socket);
      socket.on('close', () => set.delete(socket));
      deps.sockets.hold(who.caller, socket);
      socket.send(JSON.stringify({ type: 'hello' }));
    });
  });
}
