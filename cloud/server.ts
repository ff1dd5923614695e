// The tenant service over HTTP (Fastify): health, workstation enrollment with one-time codes,
// device tokens, and the append-only message log per tenant. Every tenant route checks that
// the token's tenant is the route's tenant and that the device is not revoked, on every request.
import { randomUUID } from 'node:crypto';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fail, ok } from '../shared/errors';
import { MAX_SIGNAL_FRAME } from '../shared/video/wire';
import { EnrollBody, KeyWrapsBody, PullQuery, PushBody, SnapshotBody, TokenBody, tokenChallenge } from '../shared/sync/wire';
import { CLOCK_SKEW_MS, hashCode, newCode, type Tokens, verifyDeviceSignature } from './auth';
import type { CloudStore } from './store/store';
import { registerVisitPage } from './visit-page/page';
import { registerVisits } from './visits';

export interface CloudOptions {
  readonly store: CloudStore;
  readonly tokens: Tokens;
  readonly logger?: FastifyBaseLogger;
  /** How often a visit's sockets are pinged; one missed answer ends a socket (default 15 s). */
  readonly visitHeartbeatMs?: number;
}

const TenantParams = z.object({ tenantId: z.uuid() });
const DeviceParams = TenantParams.extend({ deviceId: z.uuid() });
const ENROLL_CODE_MS = 24 * 3600_000;
const PAGE_BYTES = 16 * 1024 * 1024;

interface Caller { tenantId: string; deviceId: string }

export async function createCloud(opts: CloudOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: 32 * 1024 * 1024,
  });
  const { store, tokens } = opts;

  const bad = (reply: FastifyReply, message: string) => reply.code(400).send(fail('invalid-input', message));
  const issues = (e: z.ZodError) => e.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ event: 'request.failed' }, 'request failed');
    void reply.code(status).send(fail(status < 500 ? 'invalid-input' : 'internal-error', status < 500 ? 'The request could not be read.' : 'Something went wrong.'));
  });

  // Online devices hear "there is more" (or "keys", "devices") within a moment of any change to
  // their tenant, from whichever service process took it; they then run a round.
  // Frames above the largest signalling message close the socket (1009).
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_SIGNAL_FRAME } });
  const listeners = new Map<string, Set<WebSocket>>();
  const stopListening = await store.onEvent((tenantId, event) => {
    for (const s of listeners.get(tenantId) ?? []) s.send(JSON.stringify({ type: event }));
  });
  app.addHook('onClose', async () => {
    await stopListening();
    for (const set of listeners.values()) for (const s of set) s.close(1001, 'service stopping');
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => ((await store.ready()) ? { ok: true } : reply.code(503).send({ ok: false })));

  app.post('/v1/enroll', async (req, reply) => {
    const body = EnrollBody.safeParse(req.body);
    if (!body.success) return bad(reply, issues(body.error));
    const code = await store.consumeCode(hashCode(body.data.code), new Date().toISOString(), body.data.expect);
    if (!code) return reply.code(403).send(fail('invalid-code', 'That code is unknown, used or expired. Ask the practice admin for a new one.'));
    if ('wrongKind' in code) {
      return reply.code(409).send(code.wrongKind === 'setup'
        ? fail('wrong-code-kind', 'That is the setup code of a new clinic: set this workstation up as the clinic’s first one instead.')
        : fail('wrong-code-kind', 'That code joins a workstation to an existing clinic: choose to join instead.'));
    }
    const tenant = await store.tenantName(code.tenantId);
    const deviceId = randomUUID();
    const { number } = await store.addDevice({
      tenantId: code.tenantId, deviceId, name: body.data.deviceName, signingKey: body.data.signingKey, boxKey: body.data.boxKey,
      enrolledAt: new Date().toISOString(),
    });
    req.log.info({ event: 'device.enrolled', tenantId: code.tenantId, deviceId, kind: code.kind }, 'device enrolled');
    // Online workstations share the tenant key with the newcomer at once.
    await store.notify(code.tenantId, 'devices');
    return ok({ tenantId: code.tenantId, deviceId, kind: code.kind, number, tenantName: tenant ?? '' });
  });

  app.post('/v1/token', async (req, reply) => {
    const body = TokenBody.safeParse(req.body);
    if (!body.success) return bad(reply, issues(body.error));
    const { tenantId, deviceId, timestamp, signature } = body.data;
    const refused = () => reply.code(401).send(fail('unauthenticated', 'The device could not be authenticated.'));
    if (Math.abs(Date.now() - Date.parse(timestamp)) > CLOCK_SKEW_MS) return refused();
    const device = await store.getDevice(tenantId, deviceId);
    if (!device) return refused();
    if (device.revokedAt) return reply.code(401).send(fail('device-revoked', 'This workstation has been revoked by the practice admin.'));
    if (!verifyDeviceSignature(device.signingKey, tokenChallenge(tenantId, deviceId, timestamp), signature)) return refused();
    await store.touchDevice(tenantId, deviceId, new Date().toISOString());
    return ok(await tokens.issue(tenantId, deviceId));
  });

  /** Authenticates the device and confines it to its own tenant; null means already answered. */
  const authorise = async (req: FastifyRequest, reply: FastifyReply): Promise<Caller | null> => {
    const params = TenantParams.safeParse(req.params);
    if (!params.success) {
      await bad(reply, issues(params.error));
      return null;
    }
    const header = req.headers.authorization;
    const caller = header?.startsWith('Bearer ') ? await tokens.check(header.slice(7)) : null;
    if (!caller) {
      await reply.code(401).send(fail('unauthenticated', 'Sign the device in again.'));
      return null;
    }
    if (caller.tenantId !== params.data.tenantId) {
      req.log.warn({ event: 'tenant.mismatch', tenantId: caller.tenantId, deviceId: caller.deviceId }, 'device asked for another tenant');
      await reply.code(403).send(fail('wrong-tenant', 'This device belongs to another clinic.'));
      return null;
    }
    const device = await store.getDevice(caller.tenantId, caller.deviceId);
    if (!device || device.revokedAt) {
      await reply.code(401).send(fail('device-revoked', 'This workstation has been revoked by the practice admin.'));
      return null;
    }
    return caller;
  };

  app.register(async (scope) => {
    scope.get('/v1/tenants/:tenantId/stream', { websocket: true }, async (socket, req) => {
      const header = req.headers.authorization;
      const caller = header?.startsWith('Bearer ') ? await tokens.check(header.slice(7)) : null;
      const params = TenantParams.safeParse(req.params);
      const device = caller ? await store.getDevice(caller.tenantId, caller.deviceId) : null;
      if (!caller || !params.success || caller.tenantId !== params.data.tenantId || !device || device.revokedAt) {
        socket.close(1008, 'forbidden');
        return;
      }
      const set = listeners.get(caller.tenantId) ?? new Set<WebSocket>();
      listeners.set(caller.tenantId, set);
      set.add(socket);
      socket.on('close', () => set.delete(socket));
      socket.send(JSON.stringify({ type: 'hello' }));
    });
  });

  app.post('/v1/tenants/:tenantId/messages', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const body = PushBody.safeParse(req.body);
    if (!body.success) return bad(reply, issues(body.error));
    const result = await store.append(caller.tenantId, caller.deviceId, body.data.messages);
    return ok(result);
  });

  app.get('/v1/tenants/:tenantId/messages', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const query = PullQuery.safeParse(req.query);
    if (!query.success) return bad(reply, issues(query.error));
    // A page stops at about 16 MB of ciphertext (at least one message), so a run of large
    // change sets (a bulk import) never makes one answer too big to hold.
    const messages = await store.pull(caller.tenantId, query.data.after, query.data.limit);
    let bytes = 0;
    const page = messages.filter((m) => (bytes += m.ciphertext.length) <= PAGE_BYTES || bytes === m.ciphertext.length);
    return ok({ messages: page });
  });

  // The tenant key travels only wrapped to each device's own key: the cloud cannot open it.
  app.put('/v1/tenants/:tenantId/keys', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const body = KeyWrapsBody.safeParse(req.body);
    if (!body.success) return bad(reply, issues(body.error));
    for (const w of body.data.wraps) {
      const device = await store.getDevice(caller.tenantId, w.deviceId);
      if (!device || device.revokedAt) return reply.code(404).send(fail('not-found', 'No such active device in this clinic.'));
    }
    for (const w of body.data.wraps) await store.putKeyWrap(caller.tenantId, body.data.kid, w.deviceId, w.wrapped);
    await store.notify(caller.tenantId, 'keys');
    return ok({ done: true as const });
  });

  app.get('/v1/tenants/:tenantId/keys', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    return ok({ wraps: await store.listKeyWraps(caller.tenantId), mine: await store.keyWrapsFor(caller.tenantId, caller.deviceId) });
  });

  app.post('/v1/tenants/:tenantId/enroll-codes', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const code = newCode();
    const expiresAt = new Date(Date.now() + ENROLL_CODE_MS).toISOString();
    await store.addCode(caller.tenantId, 'enroll', hashCode(code), expiresAt);
    return ok({ code, expiresAt });
  });

  app.get('/v1/tenants/:tenantId/devices', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const devices = await store.listDevices(caller.tenantId);
    return ok({ devices: devices.map(({ tenantId: _t, signingKey: _s, ...d }) => d) });
  });

  app.post('/v1/tenants/:tenantId/devices/:deviceId/revoke', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const params = DeviceParams.safeParse(req.params);
    if (!params.success) return bad(reply, issues(params.error));
    if (!(await store.getDevice(caller.tenantId, params.data.deviceId))) return reply.code(404).send(fail('not-found', 'No such device.'));
    await store.revokeDevice(caller.tenantId, params.data.deviceId, new Date().toISOString());
    req.log.info({ event: 'device.revoked', tenantId: caller.tenantId, deviceId: params.data.deviceId, by: caller.deviceId }, 'device revoked');
    // The revoked device, if online, asks again, hears `device-revoked` and destroys its keys.
    await store.notify(caller.tenantId, 'devices');
    return ok({ done: true as const });
  });

  registerVisits(app, { store, tokens, authorise, heartbeatMs: opts.visitHeartbeatMs });
  registerVisitPage(app);

  // Snapshots: ciphertext the service keeps and hands back, never opens.
  app.post('/v1/tenants/:tenantId/snapshots', { bodyLimit: 400 * 1024 * 1024 }, async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const body = SnapshotBody.safeParse(req.body);
    if (!body.success) return bad(reply, issues(body.error));
    await store.putSnapshot(caller.tenantId, { ...body.data, deviceId: caller.deviceId });
    req.log.info({ event: 'snapshot.stored', tenantId: caller.tenantId, deviceId: caller.deviceId, seq: body.data.seq, bytes: body.data.ciphertext.length }, 'snapshot stored');
    return ok({ done: true as const });
  });

  app.get('/v1/tenants/:tenantId/snapshots/latest', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const snapshot = await store.latestSnapshot(caller.tenantId);
    // A workstation deciding whether to upload one needs only where the newest stands.
    if ((req.query as { meta?: string }).meta === '1' && snapshot) {
      const { ciphertext: _c, ...meta } = snapshot;
      return ok({ snapshot: meta });
    }
    return ok({ snapshot });
  });

  return app;
}

/** Creates a tenant and its one-time setup code (valid seven days); the code is shown once. */
export async function createTenant(store: CloudStore, name: string): Promise<{ tenantId: string; setupCode: string }> {
  const setupCode = newCode();
  const { tenantId } = await store.createTenant(name, hashCode(setupCode), new Date(Date.now() + 7 * 24 * 3600_000).toISOString());
  return { tenantId, setupCode };
}
