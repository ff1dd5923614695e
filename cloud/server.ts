// The tenant service over HTTP (Fastify): health, then the route groups of the cloud's
// contract (shared/cloud-api/routes.ts), each in its own file: enrolment and tokens, the history,
// keys, devices, the sign-in guard, snapshots, documents' blobs, updates, the tenant stream and video visits. Every tenant route checks that
// the token's tenant is the route's tenant and that the device is not revoked, on every request;
// a device's sockets are held under it (http/device-sockets.ts) and cut when it is revoked.
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { fail } from '../shared/errors';
import { MAX_SIGNAL_FRAME } from '../shared/video/wire';
import { AtRest, deriveServiceKey } from './at-rest';
import { hashCode, newCode, Tokens } from './auth';
import { DeviceSockets } from './http/device-sockets';
import { RateLimits } from './http/rate-limits';
import { logSockets, RouteLogController, serviceLogger } from './http/request-log';
import { registerAuditHeads } from './routes/audit-heads';
import { registerLockdown } from './routes/lockdown';
import { registerBlobs } from './routes/blobs';
import { registerDevices } from './routes/devices';
import { registerEnrollment } from './routes/enrollment';
import { registerHistory } from './routes/history';
import { registerKeys } from './routes/keys';
import { registerSignInGuard } from './routes/sign-in-guard';
import { registerSnapshots } from './routes/snapshots';
import { registerStream } from './routes/stream';
import { registerUpdates } from './routes/updates';
import { FeedKey } from './updates/feed-key';
import type { CloudStore } from './store/store';
import { registerVisitPage } from './visit-page/page';
import { registerVisits } from './visits/index';

export interface CloudOptions {
  readonly store: CloudStore;
  /** The service secret (at least 32 bytes, the same on every service process): the JWT key and the at-rest key are derived from it. */
  readonly secret: Buffer;
  readonly logger?: FastifyBaseLogger;
  /** How often a visit's sockets are pinged; one missed answer ends a socket (default 15 s). */
  readonly visitHeartbeatMs?: number;
}

export async function createCloud(opts: CloudOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: serviceLogger(opts.logger), logController: new RouteLogController(), bodyLimit: 32 * 1024 * 1024 });
  logSockets(app);
  const { store } = opts;
  const tokens = new Tokens(deriveServiceKey(opts.secret, 'jwt'));
  const atRest = new AtRest(deriveServiceKey(opts.secret, 'at-rest'));

  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ event: 'request.failed' }, 'request failed');
    void reply.code(status).send(fail(status < 500 ? 'invalid-input' : 'internal-error', status < 500 ? 'The request could not be read.' : 'Something went wrong.'));
  });
  // Frames above the largest signalling message close the socket (1009).
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_SIGNAL_FRAME } });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => ((await store.ready()) ? { ok: true } : reply.code(503).send({ ok: false })));

  // One subscription cuts a revoked device's sockets in this process, wherever it was revoked.
  const sockets = new DeviceSockets(store, app.log);
  const stopCutting = await store.onEvent((tenantId, event) => { if (event === 'devices' || event === 'lockdown') void sockets.recheck(tenantId); });
  app.addHook('onClose', async () => {
    await stopCutting();
    sockets.closeAll(1001, 'service stopping');
  });

  const limits = await RateLimits.register(app);
  const deps = { tokens, store, limits };
  registerEnrollment(app, deps);
  registerHistory(app, { ...deps, history: store });
  registerKeys(app, deps);
  registerDevices(app, deps);
  registerSignInGuard(app, deps);
  registerAuditHeads(app, deps);
  registerLockdown(app, deps);
  registerSnapshots(app, { ...deps, history: store });
  registerBlobs(app, { ...deps, blobs: store });
  registerUpdates(app, { ...deps, feedKey: new FeedKey(opts.secret) });
  await registerStream(app, { ...deps, events: store, sockets });
  registerVisits(app, { store, tokens, limits, atRest, sockets, heartbeatMs: opts.visitHeartbeatMs });
  registerVisitPage(app);
  return app;
}

/** Creates a tenant and its one-time setup code (valid seven days); the code is shown once. */
export async function createTenant(store: CloudStore, name: string): Promise<{ tenantId: string; setupCode: string }> {
  const setupCode = newCode();
  const { tenantId } = await store.createTenant(name, hashCode(setupCode), new Date(Date.now() + 7 * 24 * 3600_000).toISOString());
  return { tenantId, setupCode };
}
