// Registers a route of the cloud's contract (shared/cloud-api/routes.ts) on Fastify: the params,
// query and body are parsed with the route's schemas, a device route authenticates its caller
// (http/authenticate.ts), the handler answers a Result, and an expected failure's code becomes
// its HTTP status here, in one place.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { type CloudRoutes, cloudRoutes, type RouteAnswer, type RouteName } from '../../shared/cloud-api/routes';
import { describeIssues, type ErrorCode, fail, type Result } from '../../shared/errors';
import type { Tokens } from '../auth';
import type { DeviceStore } from '../store/store';
import { authenticate, type Caller } from './authenticate';

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
};

export interface RouteInput<N extends RouteName> {
  readonly params: z.output<CloudRoutes[N]['params']>;
  readonly query: z.output<CloudRoutes[N]['query']>;
  readonly body: z.output<CloudRoutes[N]['body']>;
  /** A device route's authenticated caller (its tenant is the path's); null on a public route. */
  readonly caller: CloudRoutes[N]['auth'] extends 'device' ? Caller : null;
  readonly log: FastifyBaseLogger;
}

export type RouteHandler<N extends RouteName> = (input: RouteInput<N>) => Promise<Result<RouteAnswer<N>>>;

export interface ServeDeps {
  readonly tokens: Tokens;
  readonly store: DeviceStore;
}

export function serve<N extends RouteName>(app: FastifyInstance, deps: ServeDeps, name: N, handler: RouteHandler<N>): void {
  const spec = cloudRoutes[name];
  app.route({
    method: spec.method,
    url: spec.path,
    ...('bodyLimit' in spec ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (req, reply) => {
      const refuse = (r: Result<never>) => (r.ok ? reply : reply.code(statusOf[r.error.code] ?? 500).send(r));
      const params = spec.params.safeParse(req.params);
      if (!params.success) return refuse(fail('invalid-input', describeIssues(params.error.issues)));
      let caller: Caller | null = null;
      if (spec.auth === 'device') {
        const who = await authenticate(deps, req.headers.authorization, (params.data as { tenantId: string }).tenantId);
        if (!who.ok) {
          if (who.refusal.code === 'wrong-tenant') req.log.warn({ event: 'tenant.mismatch', route: name }, 'device asked for another tenant');
          return refuse(fail(who.refusal.code, who.refusal.message));
        }
        caller = who.caller;
      }
      const query = spec.query.safeParse(req.query ?? {});
      if (!query.success) return refuse(fail('invalid-input', describeIssues(query.error.issues)));
      const body = spec.body.safeParse(req.body);
      if (!body.success) return refuse(fail('invalid-input', describeIssues(body.error.issues)));
      const r = await handler({ params: params.data, query: query.data, body: body.data, caller, log: req.log } as RouteInput<N>);
      return r.ok ? r : refuse(r);
    },
  });
}
