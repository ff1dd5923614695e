// What the service logs of a request: its method, its route's pattern, status and time. Never
// its URL: paths and queries carry secrets (a visit link's token, a page's seat), and a token
// read from a log let a second browser take over an admitted patient's visit. Fastify's own
// request lines (incoming, completed, errors, "route not found") all name the URL, so its log
// controller is replaced; the request serializer says the same, so no other line can either.
import { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

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

const line = (req: FastifyRequest, reply: FastifyReply) =>
  ({ event: 'request', method: req.method, route: routeOf(req), status: reply.statusCode, ms: Math.round(reply.elapsedTime) });

/** One line per answered request, with the route's pattern. */
export class RouteLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    if (error) req.log.error({ ...line(req, reply), err: { type: error.name } }, 'request failed');
    else req.log.info(line(req, reply), 'request');
  }

  override defaultErrorLog(_error: Error, req: FastifyRequest, reply: FastifyReply): void {
    req.log[reply.statusCode >= 500 ? 'error' : 'info'](line(req, reply), 'request refused');
  }

  override routeNotFound(req: FastifyRequest): void {
    req.log.info({ event: 'request', method: req.method, route: 'unmatched', status: 404 }, 'no such route');
  }
}

/** A socket's upgrade is never "completed": one line when it opens. */
export function logSockets(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.headers.upgrade?.toLowerCase() === 'websocket') req.log.info({ event: 'socket', route: routeOf(req) }, 'socket opened');
  });
}
