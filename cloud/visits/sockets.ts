// A visit's two sockets: the patient's browser (by link token and seat) and the clinic's
// workstations (by device token). The service admits, relays and closes, reading nothing but
// each message's type; until the clinic admits the patient only their (encrypted) identity
// answer reaches the clinic, and only one browser holds a link at a time.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import { cloudSockets } from '../../shared/cloud-api/routes';
import { assertNever } from '../../shared/errors';
import { ClinicMessage, PatientMessage, VisitSeat } from '../../shared/video/wire';
import { type AuthDeps, type AuthStore, authenticate } from '../http/authenticate';
import { linkKey } from '../http/serve';
import { type DeviceSockets, LOCKED_DOWN_CLOSE } from '../http/device-sockets';
import type { EventStore, VisitStore } from '../store/store';
import { close, refuse, send, type VisitHub } from './hub';
import { hashVisitSeat, hashVisitToken, linkState, refusals } from './link-state';

/** One socket frame as a message of `schema`, or what to tell the sender. */
function readFrame<T>(raw: Buffer, schema: z.ZodType<T>): { success: true; data: T } | { success: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return { success: false, error: 'That message could not be read.' };
  }
  const m = schema.safeParse(parsed);
  return m.success ? { success: true, data: m.data } : { success: false, error: 'That message is not one this visit accepts.' };
}

export interface SocketDeps {
  readonly store: VisitStore & AuthStore & EventStore;
  readonly tokens: AuthDeps['tokens'];
  readonly limits: AuthDeps['limits'];
  readonly hub: VisitHub;
  readonly sockets: DeviceSockets;
}

export function registerVisitSockets(app: FastifyInstance, { store, tokens, limits, hub, sockets }: SocketDeps): void {
  /**
   * Attaches a socket's handlers at once (fastify-websocket drops frames that arrive before one
   * exists), then handles its frames one at a time and in order once `opening` (the checks) has
   * decided; a refused socket's frames are ignored.
   */
  const inOrder = <C,>(socket: WebSocket, opening: Promise<C | null>, onFrame: (c: C, raw: Buffer) => Promise<unknown>, onClose: (c: C) => void) => {
    const failed = (e: unknown) => app.log.warn({ event: 'visit.socket-failed', err: e instanceof Error ? e.message : 'unknown' }, 'visit socket handler failed');
    const opened = opening.catch((e: unknown) => { failed(e); socket.close(1011, 'Something went wrong at the clinic cloud.'); return null; });
    let chain: Promise<unknown> = opened;
    socket.on('message', (raw: Buffer) => {
      // A socket being closed (revoked, refused, ended) acts on nothing more it sent.
      chain = chain.then(async () => { const c = await opened; if (c && socket.readyState === socket.OPEN) await onFrame(c, raw); }).catch(failed);
    });
    socket.on('close', () => {
      chain = chain.then(async () => { const c = await opened; if (c) onClose(c); }).catch(failed);
    });
  };

  app.register(async (scope) => {
    scope.get(cloudSockets.visitPatient.path, { websocket: true }, (socket, req) => {
      inOrder(socket, (async () => {
        const params = cloudSockets.visitPatient.params.safeParse(req.params);
        for (const [limit, key] of [['linkPerAddress', req.ip], ['linkPerToken', linkKey(params.data?.token ?? '')]] as const) {
          if (await limits.over(limit, req, key)) return refuse(socket, refusals['rate-limited']);
        }
        const visit = params.success ? await store.visitByToken(hashVisitToken(params.data.token)) : null;
        if (!visit) return refuse(socket, refusals.unknown);
        const state = linkState(visit);
        if (state !== 'open') return refuse(socket, refusals[state]);
        // One browser per link, across every service process. The page's seat (kept by its tab)
        // lets the same page back in before its old socket is noticed gone (a network change, a
        // service restart); without one, the socket gets a seat of its own.
        const seat = VisitSeat.safeParse((req.query as { seat?: unknown }).seat);
        const holder = randomUUID();
        if (!(await store.claimVisitPatient(visit.tenantId, visit.visitId, holder, hashVisitSeat(seat.success ? seat.data : randomUUID()), new Date().toISOString(), hub.freshAfter()))) {
          return refuse(socket, refusals['in-use']);
        }
        const room = hub.roomOf(visit);
        // The page's previous socket, here or in another process, is closed: this one replaces it.
        const before = room.patient;
        room.patient = { socket, holder };
        room.admitted ||= visit.admittedAt !== null;
        hub.watch(socket);
        before?.socket.close(4001, 'Replaced by a newer connection of the same page.');
        await hub.relay(visit, 'patient', { kind: 'replaced', holder });
        room.readyTold = false;
        hub.waitingChanged(visit.tenantId);
        // A patient never admitted is told politely when the link's time is up.
        room.timer = visit.admittedAt ? null : setTimeout(() => close(socket, refusals.expired), Math.max(0, Date.parse(visit.validUntil) - Date.now()));
        if (room.clinic.size > 0) await hub.tellReady(visit, room);
        else send(socket, { type: 'clinic', ready: false, admitted: visit.admittedAt !== null });
        await hub.relay(visit, 'clinic', { kind: 'send', frame: { type: 'patient', present: true } });
        // Workstations in the visit through other processes answer, and the patient hears they are ready.
        await hub.relay(visit, 'clinic', { kind: 'roll-call' });
        return { visit, room, holder };
      })(), async ({ visit, room }, raw) => {
        const m = readFrame(raw, PatientMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        switch (m.data.type) {
          case 'identity':
            room.identity = m.data;
            return hub.relay(visit, 'clinic', { kind: 'send', frame: m.data });
          case 'leave':
            return hub.relay(visit, 'clinic', { kind: 'send', frame: m.data });
          case 'signal':
          case 'chat':
            // Nothing but the identity answer reaches the clinic before it admits the patient.
            room.admitted ||= Boolean((await store.getVisit(visit.tenantId, visit.visitId))?.admittedAt);
            if (room.admitted) return hub.relay(visit, 'clinic', { kind: 'send', frame: m.data });
            return send(socket, { type: 'error', message: 'Please wait: the clinic has not let you in yet.' });
          default:
            return assertNever(m.data, 'patient message');
        }
      }, ({ visit, room, holder }) => {
        if (room.patient?.socket !== socket) return;
        room.patient = null;
        if (room.timer) clearTimeout(room.timer);
        room.timer = null;
        void store.releaseVisitPatient(visit.tenantId, visit.visitId, holder).catch(() => undefined).then(() => hub.waitingChanged(visit.tenantId));
        void hub.relay(visit, 'clinic', { kind: 'send', frame: { type: 'patient', present: false } });
        hub.tidy(visit, room);
      });
    });

    scope.get(cloudSockets.visitClinic.path, { websocket: true }, (socket, req) => {
      inOrder(socket, (async () => {
        const params = cloudSockets.visitClinic.params.safeParse(req.params);
        if (!params.success) return refuse(socket, refusals.unknown);
        const who = await authenticate({ tokens, store, limits }, req, params.data.tenantId);
        if (!who.ok) {
          return refuse(socket, who.refusal.code === 'wrong-tenant'
            ? { code: 4403, message: 'This visit belongs to another clinic.' }
            : who.refusal.code === 'clinic-locked-down' ? LOCKED_DOWN_CLOSE : { code: 4401, message: 'This workstation could not be authenticated.' });
        }
        // Held from here: a revocation from now on closes it, whatever the visit.
        sockets.hold(who.caller, socket);
        const visit = await store.getVisit(who.caller.tenantId, params.data.visitId);
        if (!visit) return refuse(socket, refusals.unknown);
        const state = linkState(visit);
        if (state === 'revoked' || state === 'closed') return refuse(socket, refusals[state]);
        const room = hub.roomOf(visit);
        room.clinic.add(socket);
        hub.watch(socket);
        send(socket, { type: 'patient', present: room.patient !== null });
        if (room.patient && room.identity) send(socket, room.identity);
        await hub.relay(visit, 'patient', { kind: 'clinic-joined' });
        return { visit, room };
      })(), async ({ visit }, raw) => {
        const m = readFrame(raw, ClinicMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        switch (m.data.type) {
          case 'admit':
            await store.markVisit(visit.tenantId, visit.visitId, 'admittedAt', new Date().toISOString());
            return hub.relay(visit, 'patient', { kind: 'admitted' });
          case 'signal':
          case 'chat':
          case 'camera':
            return hub.relay(visit, 'patient', { kind: 'send', frame: m.data });
          case 'end':
            await store.markVisit(visit.tenantId, visit.visitId, 'closedAt', new Date().toISOString());
            await hub.relay(visit, 'patient', { kind: 'close', refusal: 'closed' });
            return hub.relay(visit, 'clinic', { kind: 'send', frame: { type: 'ended' } });
          default:
            return assertNever(m.data, 'clinic message');
        }
      }, ({ visit, room }) => {
        room.clinic.delete(socket);
        if (room.clinic.size === 0) void hub.relay(visit, 'patient', { kind: 'clinic-left' });
        hub.tidy(visit, room);
      });
    });
  });
}
