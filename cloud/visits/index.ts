// Video visits at the tenant service: the links and ICE settings (HTTP routes of the cloud's
// contract), the visit sockets, and the hub that relays between service processes.
import type { FastifyInstance } from 'fastify';
import type { AtRest } from '../at-rest';
import type { Tokens } from '../auth';
import type { DeviceSockets } from '../http/device-sockets';
import type { RateLimits } from '../http/rate-limits';
import type { AuthStore } from '../http/authenticate';
import type { EventStore, TenantStore, VisitStore } from '../store/store';
import { VisitHub } from './hub';
import { IceVault, registerIce } from './ice';
import { registerVisitLinks } from './links';
import { registerVisitSockets } from './sockets';

export function registerVisits(app: FastifyInstance, deps: { store: VisitStore & AuthStore & EventStore & Pick<TenantStore, 'tenantName'>; tokens: Tokens; limits: RateLimits; atRest: AtRest; sockets: DeviceSockets; heartbeatMs?: number }): void {
  const hub = new VisitHub(deps.store, app.log, deps.heartbeatMs);
  app.addHook('onClose', () => hub.stop());
  const serveDeps = { tokens: deps.tokens, store: deps.store, limits: deps.limits };
  const ice = new IceVault(deps.store, deps.atRest);
  registerVisitLinks(app, { ...serveDeps, visits: deps.store, tenants: deps.store, hub, ice });
  registerIce(app, { ...serveDeps, visits: deps.store, ice });
  registerVisitSockets(app, { ...serveDeps, sockets: deps.sockets, hub });
}
