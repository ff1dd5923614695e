// Video visits at the tenant service: the links and ICE settings (HTTP routes of the cloud's
// contract), the visit sockets, and the hub that relays between service processes.
import type { FastifyInstance } from 'fastify';
import type { Tokens } from '../auth';
import type { DeviceStore, EventStore, VisitStore } from '../store/store';
import { VisitHub } from './hub';
import { registerIce } from './ice';
import { registerVisitLinks } from './links';
import { registerVisitSockets } from './sockets';

export function registerVisits(app: FastifyInstance, deps: { store: VisitStore & DeviceStore & EventStore; tokens: Tokens; heartbeatMs?: number }): void {
  const hub = new VisitHub(deps.store, app.log, deps.heartbeatMs);
  app.addHook('onClose', () => hub.stop());
  const serveDeps = { tokens: deps.tokens, store: deps.store };
  registerVisitLinks(app, { ...serveDeps, visits: deps.store, hub });
  registerIce(app, { ...serveDeps, visits: deps.store });
  registerVisitSockets(app, { store: deps.store, tokens: deps.tokens, hub });
}
