// What the service logs of a request: its method, its route's pattern, status and time. Never
// its URL: paths and queries carry secrets (a visit link's token, a page's seat), and a token
// read from a log let a second browser take over an admitted patient's visit. The request
// serializer says the same, so no other log line can carry a URL either.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

/** A route's pattern (`/v/:token`), never the path that was asked for. */
const routeOf = (req: FastifyRequest) => req.routeOptions?.url ?? 'unmatched';

const serializers = {
  req: (req: FastifyRequest) => ({ method: req.method, route: routeOf(req) }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
};

/** The service's logger, with the serializers above taking precedence over Fastify's own. */
export function serviceLogger(logger: FastifyBaseLogger | undefined): FastifyBaseLogger | undefined {
  return logger?.child({}, { serializers });
}

/**
 * One line per answered request (Fastify's own request logging is off: it logs the URL), and
 * one per socket opened (a socket's upgrade is never "answered").
 */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.headers.upgrade?.toLowerCase() === 'websocket') req.log.info({ event: 'socket', route: routeOf(req) }, 'socket opened');
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ event: 'request', method: req.method, route: routeOf(req), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
}
