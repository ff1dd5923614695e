// Registers a route of the cloud's contract (shared/cloud-api/routes.ts) on Fastify. Before the
// body is read (`onRequest`): the path's params are parsed, a device route authenticates its
// caller (http/authenticate.ts), and a public route's rate limits are counted, so a large body
// from someone who may not send it is never read. The route's own body limit applies next; then
// the query and body are parsed with the route's schemas, the handler answers a Result, and an
// expected failure's code becomes its HTTP status here, in one place.
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type CloudRoutes, cloudRoutes, type RouteAnswer, type RouteName } from '../../shared/cloud-api/routes';
import { describeIssues, type ErrorCode, fail, type Result } from '../../shared/errors';
import { type AuthDeps, authenticate, type Caller } from './authenticate';
import type { LimitName } from './rate-limits';

/** The HTTP status of an expected failure. */
const statusOf: Partial<Record<ErrorCode, number>> = {
  'invalid-input': 400,
  unauthenticated: 401,
  'device-revoked': 401,
  'invalid-code': 403,
  'wrong-tenant': 403,
  'permission-denied': 403,
  'not-found': 404,
  'wrong-code-kind': 409,
  'already-exists': 409,
  'audit-head-conflict': 409,
  'rate-limited': 429,
  'clinic-locked-down': 423,
  'no-it-key': 404,
  'it-key-set': 409,
  'stale-command': 401,
  'bad-signature': 401,
  'invalid-transition': 409,
  'no-such-release': 404,
  'hash-mismatch': 400,
};

export interface RouteInput<N extends RouteName> {
  readonly params: z.output<CloudRoutes[N]['params']>;
  readonly query: z.output<CloudRoutes[N]['query']>;
  readonly body: z.output<CloudRoutes[N]['body']>;
  /** A device or guard route's authenticated caller (its tenant is the path's); null on a public route. */
  readonly caller: CloudRoutes[N]['auth'] extends 'device' | 'guard' ? Caller : null;
  readonly log: FastifyBaseLogger;
  /** The caller's address, for a limit counted by the handler. */
  readonly address: string;
  /** Counts this request against a limit under `key` (known only from the body, such as a tenant). */
  limit(name: LimitName, key: string): Promise<Result<never> | null>;
}

export type RouteHandler<N extends RouteName> = (input: RouteInput<N>) => Promise<Result<RouteAnswer<N>>>;

export type ServeDeps = AuthDeps;

/**
 * What a public route counts before its body is read, by its name; `false`: only looked at here
 * (enrolment counts its failures itself: a clinic enrolling many workstations is not a guesser).
 */
const publicLimits: Partial<Record<RouteName, (req: FastifyRequest, params: Record<string, string>) => [LimitName, string, boolean?][]>> = {
  enroll: (req) => [['enrollPerAddress', req.ip, false]],
  token: (req) => [['tokenPerAddress', req.ip]],
  itCommand: (req) => [['itPerAddress', req.ip]],
  itEnroll: (req) => [['itPerAddress', req.ip]],
  visitLink: (req, p) => [['linkPerAddress', req.ip], ['linkPerToken', linkKey(p.token ?? '')]],
};

/** A visit link's counter key: never the token itself. */
export const linkKey = (token: string) => createHash('sha256').update(`chartroom-visit-limit/v1|${token}`).digest('hex');

export function refuse(reply: FastifyReply, r: Result<never>): FastifyReply {
  if (r.ok) return reply;
  if (r.error.retryAfterSeconds) void reply.header('retry-after', String(r.error.retryAfterSeconds));
  return reply.code(statusOf[r.error.code] ?? 500).send(r);
}

export function serve<N extends RouteName>(app: FastifyInstance, deps: ServeDeps, name: N, handler: RouteHandler<N>): void {
  const spec = cloudRoutes[name];
  const callers = new WeakMap<FastifyRequest, Caller>();
  const paramsOf = new WeakMap<FastifyRequest, unknown>();
  app.route({
    method: spec.method,
    url: spec.path,
    bodyLimit: spec.bodyLimit,
    onRequest: async (req, reply) => {
      const params = spec.params.safeParse(req.params);
      if (!params.success) return refuse(reply, fail('invalid-input', describeIssues(params.error.issues)));
      paramsOf.set(req, params.data);
      if (spec.auth !== 'public') {
        const p = params.data as { tenantId: string; deviceId?: string };
        if (spec.auth === 'guard' && !p.deviceId) throw new Error(`guard route ${name} names no device`);
        const who = await authenticate(deps, req, p.tenantId, spec.auth === 'guard' ? { kind: 'guard', deviceId: p.deviceId as string } : { kind: 'device' });
        if (!who.ok) {
          if (who.refusal.code === 'wrong-tenant') req.log.warn({ event: 'tenant.mismatch', route: name }, 'device asked for another tenant');
          return refuse(reply, fail(who.refusal.code, who.refusal.message, { retryAfterSeconds: who.refusal.retryAfterSeconds }));
        }
        callers.set(req, who.caller);
        return;
      }
      for (const [limit, key, count] of publicLimits[name]?.(req, req.params as Record<string, string>) ?? []) {
        const over = await deps.limits.over(limit, req, key, count ?? true);
        if (over) return refuse(reply, over);
      }
    },
    handler: async (req, reply) => {
      const query = spec.query.safeParse(req.query ?? {});
      if (!query.success) return refuse(reply, fail('invalid-input', describeIssues(query.error.issues)));
      const body = spec.body.safeParse(req.body);
      if (!body.success) return refuse(reply, fail('invalid-input', describeIssues(body.error.issues)));
      const caller = callers.get(req) ?? null;
      if (spec.auth !== 'public' && !caller) throw new Error(`${spec.auth} route ${name} reached its handler unauthenticated`);
      const limit = (l: LimitName, key: string) => deps.limits.over(l, req, key);
      const r = await handler({ params: paramsOf.get(req), query: query.data, body: body.data, caller, log: req.log, address: req.ip, limit } as RouteInput<N>);
      if (!r.ok) return refuse(reply, r);
      return spec.raw ? reply.type(spec.raw).send(r.value) : r;
    },
  });
}
