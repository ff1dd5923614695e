// Video visits at the tenant service: a workstation creates a one-time link for a visit; the
// patient's browser asks the link's state and opens the visit's patient socket; the clinic's
// workstations open the visit's clinic socket. The service admits, relays and closes, and reads
// nothing but each message's type. Only one browser holds a link at a time, and until the
// clinic admits the patient only their (encrypted) identity answer reaches the clinic.
// Relaying is within one service process: a deployment with several routes a visit's sockets
// to the same process (the link token and visit id are in the path).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { fail, ok } from '../shared/errors';
import { ClinicMessage, CreateVisitBody, IceSettings, type IceServer, PatientMessage, VisitToken, type VisitLinkState } from '../shared/video/wire';
import type { Tokens } from './auth';
import type { CloudStore, VisitRecord } from './store/store';

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
  patient: WebSocket | null;
  /** The patient's latest identity answer (ciphertext), for a workstation that joins after it. */
  identity: PatientMessage | null;
  clinic: Set<WebSocket>;
  timer: NodeJS.Timeout | null;
}

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
    /** Tells the tenant's online workstations (their sync socket) that who is waiting changed. */
    tellTenant: (tenantId: string, message: { type: 'visits' }) => void;
  },
): void {
  const { store, tokens, authorise, tellTenant } = deps;
  const rooms = new Map<string, Room>();
  const roomOf = (v: VisitRecord): Room => {
    const key = `${v.tenantId}/${v.visitId}`;
    let r = rooms.get(key);
    if (!r) {
      r = { patient: null, identity: null, clinic: new Set(), timer: null };
      rooms.set(key, r);
    }
    return r;
  };
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
      const r = rooms.get(`${visit.tenantId}/${visit.visitId}`);
      if (r?.patient) close(r.patient, refusals[action === 'revoke' ? 'revoked' : 'closed']);
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
    const prefix = `${caller.tenantId}/`;
    return ok({ waiting: [...rooms].filter(([k, r]) => k.startsWith(prefix) && r.patient).map(([k]) => k.slice(prefix.length)) });
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

  app.register(async (scope) => {
    scope.get('/v1/visit-links/:token/socket', { websocket: true }, async (socket, req) => {
      const token = VisitToken.safeParse((req.params as { token?: string }).token);
      const visit = token.success ? await store.visitByToken(hashVisitToken(token.data)) : null;
      if (!visit) return close(socket, refusals.unknown);
      const state = linkState(visit);
      if (state !== 'open') return close(socket, refusals[state]);
      const room = roomOf(visit);
      if (room.patient) return close(socket, refusals['in-use']);
      room.patient = socket;
      tellTenant(visit.tenantId, { type: 'visits' });
      // A patient never admitted is told politely when the link's time is up.
      room.timer = setTimeout(() => close(socket, refusals.expired), Math.max(0, Date.parse(visit.validUntil) - Date.now()));
      send(socket, { type: 'clinic', ready: room.clinic.size > 0, admitted: visit.admittedAt !== null });
      toClinic(room, { type: 'patient', present: true });
      socket.on('message', async (raw: Buffer) => {
        const m = readFrame(raw, PatientMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        const admitted = (await store.getVisit(visit.tenantId, visit.visitId))?.admittedAt !== null;
        switch (m.data.type) {
          case 'identity':
            room.identity = m.data;
            return toClinic(room, m.data);
          case 'leave':
            return toClinic(room, m.data);
          case 'signal':
          case 'chat':
            // Nothing but the identity answer reaches the clinic before it admits the patient.
            if (admitted) toClinic(room, m.data);
            else send(socket, { type: 'error', message: 'Please wait: the clinic has not let you in yet.' });
            return;
        }
      });
      socket.on('close', () => {
        if (room.patient !== socket) return;
        room.patient = null;
        if (room.timer) clearTimeout(room.timer);
        toClinic(room, { type: 'patient', present: false });
        tellTenant(visit.tenantId, { type: 'visits' });
      });
    });

    scope.get('/v1/tenants/:tenantId/visits/:visitId/socket', { websocket: true }, async (socket, req) => {
      const header = req.headers.authorization;
      const caller = header?.startsWith('Bearer ') ? await tokens.check(header.slice(7)) : null;
      const params = Params.safeParse(req.params);
      const device = caller ? await store.getDevice(caller.tenantId, caller.deviceId) : null;
      if (!caller || !params.success || !device || device.revokedAt) return close(socket, { code: 4401, message: 'This workstation could not be authenticated.' });
      if (caller.tenantId !== params.data.tenantId) return close(socket, { code: 4403, message: 'This visit belongs to another clinic.' });
      const visit = await store.getVisit(caller.tenantId, params.data.visitId);
      if (!visit) return close(socket, refusals.unknown);
      const state = linkState(visit);
      if (state === 'revoked' || state === 'closed') return close(socket, refusals[state]);
      const room = roomOf(visit);
      room.clinic.add(socket);
      send(socket, { type: 'patient', present: room.patient !== null });
      if (room.patient && room.identity) send(socket, room.identity);
      send(room.patient, { type: 'clinic', ready: true, admitted: visit.admittedAt !== null });
      socket.on('message', async (raw: Buffer) => {
        const m = readFrame(raw, ClinicMessage);
        if (!m.success) return send(socket, { type: 'error', message: m.error });
        switch (m.data.type) {
          case 'admit':
            await store.markVisit(visit.tenantId, visit.visitId, 'admittedAt', new Date().toISOString());
            if (room.timer) clearTimeout(room.timer);
            return send(room.patient, { type: 'admitted' });
          case 'signal':
          case 'chat':
            return send(room.patient, m.data);
          case 'end':
            await store.markVisit(visit.tenantId, visit.visitId, 'closedAt', new Date().toISOString());
            if (room.patient) close(room.patient, refusals.closed);
            for (const s of room.clinic) if (s !== socket) send(s, { type: 'ended' });
            return;
        }
      });
      socket.on('close', () => {
        room.clinic.delete(socket);
        if (room.clinic.size === 0) send(room.patient, { type: 'clinic', ready: false, admitted: false });
      });
    });
  });
}
