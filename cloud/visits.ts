// Video visits at the tenant service: a workstation creates a one-time link for a visit; the
// patient's browser asks the link's state and opens the visit's patient socket; the clinic's
// workstations open the visit's clinic socket. The service admits, relays and closes, and reads
// nothing but each message's type. Only one browser holds a link at a time, and until the
// clinic admits the patient only their (encrypted) identity answer reaches the clinic.
// A visit's sockets may sit in different service processes (behind a load balancer): every
// delivery goes through the store's relay (PostgreSQL NOTIFY; in-process for SQLite), and the
// one-browser rule and "who is waiting" are claims in the store, renewed while the socket lives.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { assertNever, fail, ok } from '../shared/errors';
import { ClinicMessage, CreateVisitBody, IceSettings, type IceServer, PatientMessage, VisitSeat, VisitToken, type VisitLinkState } from '../shared/video/wire';
import type { Tokens } from './auth';
import type { CloudStore, VisitRecord, VisitRelay } from './store/store';

export const hashVisitToken = (token: string) => createHash('sha256').update(`chartroom-visit/v1|${token}`).digest('hex');

/**
 * The visit's ICE servers: the tenant's STUN servers, and its TURN servers with coturn REST
 * credentials (username "<expiry>:<visit>", password base64 HMAC-SHA1 of it under the shared
 * secret) that lapse an hour after the link does.
 */
export function iceServersFor(settings: IceSettings | null, visit: Pick<VisitRecord, 'visitId' | 'validUntil'>): IceServer[] {
  if (!settings) return [];
  const out: IceServer[] = [];
  if (settings.stunUrls.length > 0) out.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length > 0 && settings.turnSecret) {
    const username = `${Math.floor(Date.parse(visit.validUntil) / 1000) + 3600}:${visit.visitId}`;
    out.push({ urls: settings.turnUrls, username, credential: createHmac('sha1', settings.turnSecret).update(username).digest('base64') });
  }
  return out;
}

export function linkState(v: VisitRecord, now = Date.now()): VisitLinkState {
  if (v.revokedAt) return 'revoked';
  if (v.closedAt) return 'closed';
  if (now < Date.parse(v.validFrom)) return 'not-yet';
  if (now >= Date.parse(v.validUntil)) return 'expired';
  return 'open';
}

/** What the patient is told when a link cannot be used; never a broken call. */
export const refusals: Readonly<Record<Exclude<VisitLinkState, 'open'> | 'unknown' | 'in-use', { code: number; message: string }>> = {
  unknown: { code: 4404, message: 'This visit link is not valid. Check the link, or call the clinic.' },
  'not-yet': { code: 4425, message: 'This visit has not opened yet: the link works from 30 minutes before the appointment.' },
  expired: { code: 4410, message: 'This visit link has expired. Call the clinic for a new one.' },
  revoked: { code: 4403, message: 'The clinic has cancelled this visit link. Call the clinic if you still need the visit.' },
  closed: { code: 4410, message: 'This visit has ended, and its link cannot be used again.' },
  'in-use': { code: 4409, message: 'This visit link is already open in another browser or tab. Close the other one first.' },
};

interface Room {
  /** The patient's socket, if it is in this process, and its claim in the store. */
  patient: { socket: WebSocket; holder: string } | null;
  /** The patient's latest identity answer (ciphertext), for a workstation that joins after it. */
  identity: PatientMessage | null;
  /** The clinic sockets of this visit in this process. */
  clinic: Set<WebSocket>;
  timer: NodeJS.Timeout | null;
  /** Whether the patient was last told a workstation is in the visit. */
  readyTold: boolean;
  /** Admission is never undone: once seen, the patient's frames need no look-up. */
  admitted: boolean;
  /** Waiting for another process to say it still holds a workstation in the visit. */
  rollCall: NodeJS.Timeout | null;
}

/** What one service process asks of the process(es) holding a visit's sockets (VisitRelay.body). */
const RelayBody = z.discriminatedUnion('kind', [
  /** Pass this frame to the sockets. */
  z.object({ kind: z.literal('send'), frame: z.record(z.string(), z.unknown()) }),
  /** To the patient's process: close the patient's socket with this refusal. */
  z.object({ kind: z.literal('close'), refusal: z.enum(['revoked', 'closed']) }),
  z.object({ kind: z.literal('admitted') }),
  /** To the patient's process: a workstation joined (tell the patient; say who is there). */
  z.object({ kind: z.literal('clinic-joined') }),
  /** To the patient's process: a process's last workstation left (are there others?). */
  z.object({ kind: z.literal('clinic-left') }),
  /** To clinic processes: answer `clinic-here` if you hold a workstation in the visit. */
  z.object({ kind: z.literal('roll-call') }),
  z.object({ kind: z.literal('clinic-here') }),
  /** To the patient's process: the same page reconnected elsewhere; drop the socket held here. */
  z.object({ kind: z.literal('replaced'), holder: z.string() }),
]);
type RelayBody = z.infer<typeof RelayBody>;

/** A patient's claim is renewed this often while its socket lives, and lapses after three misses. */
const CLAIM_RENEW_MS = 10_000;
const CLAIM_FRESH_MS = 30_000;
/** How long the patient's process waits for another to answer a roll-call before saying no one is there. */
const ROLL_CALL_MS = 500;

const Params = z.object({ tenantId: z.uuid(), visitId: z.uuid() });

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

export function registerVisits(
  app: FastifyInstance,
  deps: {
    store: CloudStore;
    tokens: Tokens;
    authorise: (req: FastifyRequest, reply: FastifyReply) => Promise<{ tenantId: string; deviceId: string } | null>;
    heartbeatMs?: number;
  },
): void {
  const { store, tokens, authorise } = deps;
  const rooms = new Map<string, Room>();
  const keyOf = (v: { tenantId: string; visitId: string }) => `${v.tenantId}/${v.visitId}`;
  const roomOf = (v: VisitRecord): Room => {
    let r = rooms.get(keyOf(v));
    if (!r) {
      r = { patient: null, identity: null, clinic: new Set(), timer: null, readyTold: false, admitted: false, rollCall: null };
      rooms.set(keyOf(v), r);
    }
    return r;
  };
  /** Forgets a room with no socket left in this process. */
  const tidy = (v: { tenantId: string; visitId: string }, r: Room) => {
    if (r.patient || r.clinic.size > 0) return;
    if (r.timer) clearTimeout(r.timer);
    if (r.rollCall) clearTimeout(r.rollCall);
    rooms.delete(keyOf(v));
  };
  const relay = (v: { tenantId: string; visitId: string }, to: 'patient' | 'clinic', body: RelayBody) =>
    store.relayVisit({ tenantId: v.tenantId, visitId: v.visitId, to, body: JSON.stringify(body) })
      .catch((e: unknown) => app.log.warn({ event: 'visit.relay-failed', err: e instanceof Error ? e.message : 'unknown' }, 'visit relay failed'));
  /** Who is waiting changed: the tenant's online workstations (on any process) ask again. */
  const waitingChanged = (tenantId: string) => void store.notify(tenantId, 'visits').catch(() => undefined);
  const freshAfter = () => new Date(Date.now() - CLAIM_FRESH_MS).toISOString();
  const iceOf = async (v: VisitRecord) => {
    const raw = await store.getIceSettings(v.tenantId);
    const parsed = raw ? IceSettings.safeParse(JSON.parse(raw)) : null;
    return iceServersFor(parsed?.success ? parsed.data : null, v);
  };
  const send = (s: WebSocket | null | undefined, m: unknown) => {
    if (s && s.readyState === s.OPEN) s.send(JSON.stringify(m));
  };
  const toClinic = (r: Room, m: unknown) => {
    for (const s of r.clinic) send(s, m);
  };
  const close = (s: WebSocket, r: { code: number; message: string }) => {
    send(s, { type: 'refused', message: r.message });
    s.close(r.code, r.message.slice(0, 120));
  };
  /** Closes a socket the checks turned down; nothing more happens on it. */
  const refuse = (s: WebSocket, r: { code: number; message: string }) => {
    close(s, r);
    return null;
  };
  const tellReady = async (v: { tenantId: string; visitId: string }, r: Room) => {
    if (r.rollCall) clearTimeout(r.rollCall);
    r.rollCall = null;
    if (!r.patient || r.readyTold) return;
    r.readyTold = true;
    send(r.patient.socket, { type: 'clinic', ready: true, admitted: Boolean((await store.getVisit(v.tenantId, v.visitId))?.admittedAt) });
  };

  // What other processes (or this one) ask of the sockets held here.
  const heard = async (m: VisitRelay) => {
    const r = rooms.get(keyOf(m));
    if (!r) return;
    let body: RelayBody;
    try {
      body = RelayBody.parse(JSON.parse(m.body));
    } catch {
      return;
    }
    if (m.to === 'clinic') {
      if (body.kind === 'send') toClinic(r, body.frame);
      if (body.kind === 'roll-call' && r.clinic.size > 0) await relay(m, 'patient', { kind: 'clinic-here' });
      return;
    }
    const patient = r.patient;
    if (!patient) return;
    switch (body.kind) {
      case 'send':
        return send(patient.socket, body.frame);
      case 'close':
        return close(patient.socket, refusals[body.refusal]);
      case 'admitted':
        r.admitted = true;
        if (r.timer) clearTimeout(r.timer);
        r.timer = null;
        return send(patient.socket, { type: 'admitted' });
      case 'clinic-joined':
        // The workstation that joined hears who is here, wherever it is.
        r.readyTold = false;
        await tellReady(m, r);
        await relay(m, 'clinic', { kind: 'send', frame: { type: 'patient', present: true } });
        if (r.identity) await relay(m, 'clinic', { kind: 'send', frame: r.identity });
        return;
      case 'clinic-here':
        return tellReady(m, r);
      case 'clinic-left':
        if (r.clinic.size > 0 || r.rollCall) return;
        r.rollCall = setTimeout(() => {
          r.rollCall = null;
          if (!r.patient) return;
          r.readyTold = false;
          send(r.patient.socket, { type: 'clinic', ready: false, admitted: false });
        }, ROLL_CALL_MS);
        return void relay(m, 'clinic', { kind: 'roll-call' });
      case 'replaced':
        if (patient.holder === body.holder) return;
        // Not released and no "left": the page is still here, on its new socket.
        r.patient = null;
        patient.socket.close(4001, 'Replaced by a newer connection of the same page.');
        return tidy(m, r);
      case 'roll-call':
        return;
      default:
        return assertNever(body, 'visit relay');
    }
  };
  const stopRelay = store.onVisitRelay((m) => void heard(m));
  // Keeps this process's patient claims fresh; a crashed process's claims lapse.
  const renew = setInterval(() => {
    const claims = [...rooms].flatMap(([key, r]) => {
      if (!r.patient) return [];
      const [tenantId = '', visitId = ''] = key.split('/');
      return [{ tenantId, visitId, holder: r.patient.holder }];
    });
    if (claims.length > 0) void store.renewVisitPatients(claims, new Date().toISOString()).catch(() => undefined);
  }, CLAIM_RENEW_MS);
  renew.unref();
  // A socket whose other end vanished without closing (a network that went away) would hold the
  // patient's claim for ever: each socket is pinged, and one that missed the last ping is ended.
  const alive = new WeakMap<WebSocket, boolean>();
  const beat = setInterval(() => {
    for (const r of rooms.values()) {
      for (const s of [...(r.patient ? [r.patient.socket] : []), ...r.clinic]) {
        if (alive.get(s) === false) { s.terminate(); continue; }
        alive.set(s, false);
        s.ping();
      }
    }
  }, deps.heartbeatMs ?? 15_000);
  beat.unref();
  const watch = (s: WebSocket) => { alive.set(s, true); s.on('pong', () => alive.set(s, true)); };
  app.addHook('onClose', async () => {
    clearInterval(beat);
    clearInterval(renew);
    await (await stopRelay)();
  });

  app.post('/v1/tenants/:tenantId/visits', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const body = CreateVisitBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send(fail('invalid-input', body.error.issues.map((i) => i.message).join('; ')));
    if (await store.getVisit(caller.tenantId, body.data.visitId)) return reply.code(409).send(fail('invalid-input', 'That visit already has a link.'));
    const token = randomBytes(16).toString('base64url');
    await store.addVisit({ tenantId: caller.tenantId, ...body.data }, hashVisitToken(token));
    req.log.info({ event: 'visit.link-created', tenantId: caller.tenantId, visitId: body.data.visitId }, 'visit link created');
    return ok({ token, path: `/v/${token}` });
  });

  for (const action of ['revoke', 'close'] as const) {
    app.post(`/v1/tenants/:tenantId/visits/:visitId/${action}`, async (req, reply) => {
      const caller = await authorise(req, reply);
      if (!caller) return reply;
      const params = Params.safeParse(req.params);
      if (!params.success) return reply.code(400).send(fail('invalid-input', 'Not a visit.'));
      const visit = await store.getVisit(caller.tenantId, params.data.visitId);
      if (!visit) return reply.code(404).send(fail('not-found', 'No such visit in this clinic.'));
      await store.markVisit(caller.tenantId, visit.visitId, action === 'revoke' ? 'revokedAt' : 'closedAt', new Date().toISOString());
      await relay(visit, 'patient', { kind: 'close', refusal: action === 'revoke' ? 'revoked' : 'closed' });
      return ok({ done: true as const });
    });
  }

  // The clinic's STUN/TURN servers: set by a practice admin from a workstation; the TURN
  // secret is kept here and never handed back.
  app.put('/v1/tenants/:tenantId/ice', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    // Without `turnSecret` the secret already kept stays (the form never shows it).
    const body = IceSettings.partial({ turnSecret: true }).safeParse(req.body);
    if (!body.success) return reply.code(400).send(fail('invalid-input', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    const before = await store.getIceSettings(caller.tenantId);
    const kept = before ? IceSettings.parse(JSON.parse(before)).turnSecret : '';
    await store.setIceSettings(caller.tenantId, JSON.stringify({ ...body.data, turnSecret: body.data.turnSecret ?? kept }));
    return ok({ done: true as const });
  });

  app.get('/v1/tenants/:tenantId/ice', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const raw = await store.getIceSettings(caller.tenantId);
    const s = raw ? IceSettings.parse(JSON.parse(raw)) : { stunUrls: [], turnUrls: [], turnSecret: '' };
    return ok({ stunUrls: s.stunUrls, turnUrls: s.turnUrls, hasTurnSecret: s.turnSecret.length > 0 });
  });

  app.get('/v1/tenants/:tenantId/visits/:visitId/ice-servers', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    const params = Params.safeParse(req.params);
    const visit = params.success ? await store.getVisit(caller.tenantId, params.data.visitId) : null;
    if (!visit) return reply.code(404).send(fail('not-found', 'No such visit in this clinic.'));
    return ok({ iceServers: await iceOf(visit) });
  });

  // Which of the clinic's visits have a patient connected (for the schedule's "waiting").
  app.get('/v1/tenants/:tenantId/visits/waiting', async (req, reply) => {
    const caller = await authorise(req, reply);
    if (!caller) return reply;
    return ok({ waiting: await store.visitsWithPatient(caller.tenantId, freshAfter()) });
  });

  // The patient's page asks what its link is good for before asking for camera and microphone.
  app.get('/v1/visit-links/:token', async (req, reply) => {
    const token = VisitToken.safeParse((req.params as { token?: string }).token);
    const visit = token.success ? await store.visitByToken(hashVisitToken(token.data)) : null;
    if (!visit) return reply.code(404).send(fail('not-found', refusals.unknown.message));
    const state = linkState(visit);
    return ok({
      state, opensAt: visit.validFrom, closesAt: visit.validUntil, identityKey: state === 'open' ? visit.identityKey : null,
      iceServers: state === 'open' ? await iceOf(visit) : [], message: state === 'open' ? null : refusals[state].message,
    });
  });

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
      chain = chain.then(async () => { const c = await opened; if (c) await onFrame(c, raw); }).catch(failed);
    });
    socket.on('close', () => {
      chain = chain.then(async () => { const c = await opened; if (c) onClose(c); }).catch(failed);
    });
  };

  app.register(async (scope) => {
    scope.get('/v1/visit-links/:token/socket', { websocket: true }, (socket, req) => {
      inOrder(socket, (async () => {
        const token = VisitToken.safeParse((req.params as { token?: string }).token);
        const visit = token.success ? await store.visitByToken(hashVisitToken(token.data)) : null;
        if (!visit) return refuse(socket, refusals.unknown);
        const state = linkState(visit);
        if (state !== 'open') return refuse(socket, refusals[state]);
        // One browser per link, across every service process. The page's seat (kept by its tab)
        // lets the same page back in before its old socket is noticed gone (a network change, a
        // service restart); without one, the socket gets a seat of its own.
        const seat = VisitSeat.safeParse((req.query as { seat?: unknown }).seat);
        const seatHash = createHash('sha256').update(`chartroom-visit-seat/v1|${seat.success ? seat.data : randomUUID()}`).digest('hex');
        const holder = randomUUID();
        if (!(await store.claimVisitPatient(visit.tenantId, visit.visitId, holder, seatHash, new Date().toISOString(), freshAfter()))) return refuse(socket, refusals['in-use']);
        const room = roomOf(visit);
        // The page's previous socket, here or in another process, is closed: this one replaces it.
        const before = room.patient;
        room.patient = { socket, holder };
        room.admitted ||= visit.admittedAt !== null;
        watch(socket);
        before?.socket.close(4001, 'Replaced by a newer connection of the same page.');
        await relay(visit, 'patient', { kind: 'replaced', holder });
        room.readyTold = false;
        waitingChanged(visit.tenantId);
        // A patient never admitted is told politely when the link's time is up.
        room.timer = visit.admittedAt ? null : setTimeout(() => close(socket, refusals.expired), Math.max(0, Date.parse(visit.validUntil) - Date.now()));
        if (room.clinic.size > 0) await tellReady(visit, room);
        else send(socket, { type: 'clinic', ready: false, admitted: visit.admittedAt !== null });
        await relay(visit, 'clinic', { kind: 'send', frame: { type: 'patient', present: true } });
        // Workstations in the visit through other processes answer, and the patient hears they are ready.
        await relay(visit, 'clinic', { kind: 'roll-call' });
        return { visit, room, holder };
      })(), async ({ visit, room }, raw) => {
        const m = readFrame(raw, PatientMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        switch (m.data.type) {
          case 'identity':
            room.identity = m.data;
            return relay(visit, 'clinic', { kind: 'send', frame: m.data });
          case 'leave':
            return relay(visit, 'clinic', { kind: 'send', frame: m.data });
          case 'signal':
          case 'chat':
            // Nothing but the identity answer reaches the clinic before it admits the patient.
            room.admitted ||= Boolean((await store.getVisit(visit.tenantId, visit.visitId))?.admittedAt);
            if (room.admitted) return relay(visit, 'clinic', { kind: 'send', frame: m.data });
            return send(socket, { type: 'error', message: 'Please wait: the clinic has not let you in yet.' });
          default:
            return assertNever(m.data, 'patient message');
        }
      }, ({ visit, room, holder }) => {
        if (room.patient?.socket !== socket) return;
        room.patient = null;
        if (room.timer) clearTimeout(room.timer);
        room.timer = null;
        void store.releaseVisitPatient(visit.tenantId, visit.visitId, holder).catch(() => undefined).then(() => waitingChanged(visit.tenantId));
        void relay(visit, 'clinic', { kind: 'send', frame: { type: 'patient', present: false } });
        tidy(visit, room);
      });
    });

    scope.get('/v1/tenants/:tenantId/visits/:visitId/socket', { websocket: true }, (socket, req) => {
      inOrder(socket, (async () => {
        const header = req.headers.authorization;
        const caller = header?.startsWith('Bearer ') ? await tokens.check(header.slice(7)) : null;
        const params = Params.safeParse(req.params);
        const device = caller ? await store.getDevice(caller.tenantId, caller.deviceId) : null;
        if (!caller || !params.success || !device || device.revokedAt) return refuse(socket, { code: 4401, message: 'This workstation could not be authenticated.' });
        if (caller.tenantId !== params.data.tenantId) return refuse(socket, { code: 4403, message: 'This visit belongs to another clinic.' });
        const visit = await store.getVisit(caller.tenantId, params.data.visitId);
        if (!visit) return refuse(socket, refusals.unknown);
        const state = linkState(visit);
        if (state === 'revoked' || state === 'closed') return refuse(socket, refusals[state]);
        const room = roomOf(visit);
        room.clinic.add(socket);
        watch(socket);
        send(socket, { type: 'patient', present: room.patient !== null });
        if (room.patient && room.identity) send(socket, room.identity);
        await relay(visit, 'patient', { kind: 'clinic-joined' });
        return { visit, room };
      })(), async ({ visit }, raw) => {
        const m = readFrame(raw, ClinicMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        switch (m.data.type) {
          case 'admit':
            await store.markVisit(visit.tenantId, visit.visitId, 'admittedAt', new Date().toISOString());
            return relay(visit, 'patient', { kind: 'admitted' });
          case 'signal':
          case 'chat':
            return relay(visit, 'patient', { kind: 'send', frame: m.data });
          case 'end':
            await store.markVisit(visit.tenantId, visit.visitId, 'closedAt', new Date().toISOString());
            await relay(visit, 'patient', { kind: 'close', refusal: 'closed' });
            return relay(visit, 'clinic', { kind: 'send', frame: { type: 'ended' } });
          default:
            return assertNever(m.data, 'clinic message');
        }
      }, ({ visit, room }) => {
        room.clinic.delete(socket);
        if (room.clinic.size === 0) void relay(visit, 'patient', { kind: 'clinic-left' });
        tidy(visit, room);
      });
    });
  });
}
