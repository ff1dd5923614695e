// The browser host: runs the engine in plain Node and serves the built renderer to a browser on
// 127.0.0.1, binding every contract call to POST /api/call/<name> and every event to one
// WebSocket. Used for end-to-end tests and development where Electron is not available.
import { randomBytes } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { eventNames } from '../../shared/api/contract';
import { browserHost } from '../../shared/api/transport';
import { fail } from '../../shared/errors';
import type { Invoke } from '../engine/api/dispatcher';
import type { Engine } from '../engine/engine';
import { hostContentSecurityPolicy, tokensEqual } from './security';

export interface BrowserHostOptions {
  readonly engine: Engine;
  readonly invoke: Invoke;
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  readonly port?: number;
}

export interface BrowserHost {
  /** Origin the host serves, e.g. http://127.0.0.1:5187 */
  readonly origin: string;
  /** The URL to open: the token travels in the fragment, which browsers never send. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(32).toString('base64url');
  // Closing the host ends every connection, busy ones too: a page (or a test) never holds it open.
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, forceCloseConnections: true });
  const sockets = new Set<WebSocket>();
  let origin = '';

  // Refused before its body is read: the connection closes after the answer, so an unread body
  // never holds it (or the next request on it) open.
  const refuse = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).header('connection', 'close').send(fail('permission-denied', message));

  /** Host must be ours (no DNS rebinding); Origin, when the browser sends one, must be ours. */
  const sameSite = (req: FastifyRequest, originRequired: boolean): boolean => {
    if (req.headers.host !== new URL(origin).host) return false;
    const o = req.headers.origin;
    if (o === undefined) return !originRequired;
    return o === origin;
  };

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Content-Security-Policy', hostContentSecurityPolicy(origin));
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number }, _req, reply) => {
    // Malformed JSON, oversized bodies and the like: a clear code, never the parser's text.
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const message = status === 413 ? 'The request is larger than 2 MB: documents are attached in parts.' : status < 500 ? 'The request could not be read.' : 'Something went wrong.';
    if (status === 413) void reply.header('connection', 'close');
    void reply.code(status).send(fail(status < 500 ? 'invalid-input' : 'internal-error', message));
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.post<{ Params: { name: string } }>(`${browserHost.callPath}:name`, {
    // Who is asking is decided before the body is read: a large body from a page that may not
    // call is never read.
    onRequest: async (req, reply) => {
      if (!sameSite(req, true)) return refuse(reply, 403, 'Requests must come from the Chartroom page.');
      if (!tokensEqual(token, req.headers[browserHost.tokenHeader])) return refuse(reply, 401, 'Missing or wrong launch token.');
    },
  }, async (req) => opts.invoke(req.params.name, req.body));

  app.register(async (scope) => {
    scope.get(browserHost.eventsPath, { websocket: true }, (socket, req) => {
      const q = req.query as Record<string, unknown>;
      if (!sameSite(req, true) || !tokensEqual(token, q[browserHost.tokenParam])) {
        socket.close(1008, 'forbidden');
        return;
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('message', () => socket.close(1003, 'this socket only sends'));
    });
  });

  await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.code(404).send(fail('unknown-call', 'Not found.'));
  });

  const unsubscribe = eventNames.map((event) =>
    opts.engine.on(event, (payload) => {
      const msg = JSON.stringify({ event, payload });
      for (const s of sockets) s.send(msg);
    }),
  );

  await app.listen({ host: HOST, port: opts.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('browser host did not bind');
  origin = `http://${HOST}:${address.port}`;

  return {
    origin,
    url: `${origin}/#${browserHost.tokenParam}=${token}`,
    token,
    async close() {
      for (const u of unsubscribe) u();
      for (const s of sockets) s.close(1001, 'host closing');
      await app.close();
    },
  };
}
