// Video visit links for the front desk: one per video appointment, valid from 30 minutes before
// it starts until 30 minutes after it should end (a physician running late does not strand the
// patient), revocable, and recreated after a revocation. The link carries no PHI: the cloud's
// address and a random token that the cloud maps to a random visit id.
import { generateKeyPairSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../../shared/api/contract';
import type { VisitLinkInfo } from '../../../shared/domain/video';
import { VISIT_LINK_EARLY_MS } from '../../../shared/video/wire';
import { fail, ok, type Result } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { Clinic } from '../clinic/open-clinic';
import { findAppointment } from '../scheduling/scheduling-repository';
import { type VisitPorts, VisitSessions } from './visit-sessions';

type VisitCall = Extract<CallName, `visits.${string}`>;

const EARLY_MS = VISIT_LINK_EARLY_MS;
const GRACE_MS = 30 * 60_000;

interface VisitRow {
  id: string; appointment_id: string; link_token: string; valid_from: string; valid_until: string; revoked_at: string | null; started_at: string | null; ended_at: string | null;
}

export function visitHandlers(ports: VisitPorts): HandlersFor<VisitCall> {
  const sessions = new VisitSessions(ports);
  const cloud = ports.cloud;
  const notConnected = () => fail<never>('cloud-unreachable', 'The visit is not connected to the clinic cloud; reconnecting. Try again in a moment.');
  /** Links point to the clinic's public address when one is set, else to the cloud this workstation uses. */
  const cloudUrl = async (clinic: Clinic) =>
    clinic.settings.publicAddress.replace(/\/$/, '') || ((await clinic.db.get<{ cloud_url: string }>('SELECT cloud_url FROM sync_identity WHERE id = 1'))?.cloud_url ?? null);
  const latest = (clinic: Clinic, appointmentId: string) =>
    clinic.db.get<VisitRow>('SELECT * FROM video_visits WHERE appointment_id = ? ORDER BY created_at DESC LIMIT 1', [appointmentId]);
  const info = (v: VisitRow, base: string): VisitLinkInfo => ({
    visitId: v.id, appointmentId: v.appointment_id as VisitLinkInfo['appointmentId'], url: `${base}/v/${v.link_token}`, validFrom: v.valid_from, validUntil: v.valid_until,
    state: v.revoked_at ? 'revoked' : v.ended_at ? 'ended' : 'active',
  });

  return {
    'visits.createLink': async (input, ctx): Promise<Result<VisitLinkInfo>> => {
      const appt = await ctx.clinic.db.read((tx) => findAppointment(tx, input.appointmentId));
      if (!appt) return fail('not-found', 'No such appointment.');
      if (appt.mode !== 'video') return fail('not-a-video-visit', 'This appointment is not a video visit: change its type to a video type first.');
      if (appt.status === 'cancelled' || appt.status === 'no-show' || appt.status === 'checked-out') return fail('invalid-transition', 'This appointment is over or cancelled.');
      const base = await cloudUrl(ctx.clinic);
      if (!base) return fail('not-enrolled', 'Video visits need the clinic cloud: connect this workstation under Workstations.');
      const existing = await latest(ctx.clinic, appt.id);
      if (existing && !existing.revoked_at && !existing.ended_at) return ok(info(existing, base));
      // The appointment's wall-clock time on this workstation, as an instant.
      const start = new Date(appt.start).getTime();
      const validFrom = new Date(start - EARLY_MS).toISOString();
      const validUntil = new Date(start + appt.durationMinutes * 60_000 + GRACE_MS).toISOString();
      const visitId = uuidv7();
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const created = await cloud.createVisit({
        visitId, validFrom, validUntil, identityKey: JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
      });
      if (!created.ok) return created;
      const now = new Date().toISOString();
      await ctx.clinic.write(async (m) => {
        await m.insert('video_visits', visitId, {
          appointment_id: appt.id, link_token: created.value.url.slice(created.value.url.lastIndexOf('/') + 1),
          identity_key: JSON.stringify(pair.privateKey.export({ format: 'jwk' })), valid_from: validFrom, valid_until: validUntil,
          created_by: ctx.user.id, created_at: now,
        });
        m.audit(auditOf(ctx, 'visits.createLink', appt.patientId, `appointment=${appt.id}`));
      });
      const row = await latest(ctx.clinic, appt.id);
      if (!row) throw new Error('visit link missing after creation');
      return ok(info(row, base));
    },

    'visits.iceSettings': async () => cloud.iceSettings(),

    'visits.setIceSettings': async (input, ctx) => {
      const r = await cloud.setIceSettings(input);
      if (!r.ok) return r;
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'visits.setIceSettings', null, `stun=${input.stunUrls.length} turn=${input.turnUrls.length} secret=${input.turnSecret === undefined ? 'kept' : 'set'}`)));
      return cloud.iceSettings();
    },

    'visits.waiting': async (_input, ctx) => {
      if (!(await cloudUrl(ctx.clinic))) return ok([]);
      const r = await cloud.waitingVisits();
      if (!r.ok || r.value.length === 0) return ok([]);
      const rows = await ctx.clinic.db.all<{ appointment_id: string }>(
        `SELECT DISTINCT appointment_id FROM video_visits WHERE id IN (${r.value.map(() => '?').join(', ')})`, r.value);
      return ok(rows.map((x) => x.appointment_id as VisitLinkInfo['appointmentId']));
    },

    'visits.link': async (input, ctx) => {
      const base = await cloudUrl(ctx.clinic);
      const row = await latest(ctx.clinic, input.appointmentId);
      return ok(row && base ? info(row, base) : null);
    },

    'visits.join': async (input, ctx) => {
      const row = await latest(ctx.clinic, input.appointmentId);
      if (!row || row.revoked_at || row.ended_at) return fail('not-found', 'This appointment has no active video visit link. The front desk creates one.');
      const s = await sessions.join(input.appointmentId, row.id);
      const appt = await ctx.clinic.db.read((tx) => findAppointment(tx, input.appointmentId));
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'visits.join', appt?.patientId ?? null, `appointment=${input.appointmentId}`)));
      const ice = await cloud.visitIceServers(row.id);
      return ok({ visitId: row.id, patientPresent: s.patientPresent, identity: s.identity, admitted: row.started_at !== null, iceServers: ice.ok ? ice.value : [] });
    },

    'visits.admit': async (input, ctx) => {
      const row = await latest(ctx.clinic, input.appointmentId);
      if (!row || !sessions.get(input.appointmentId)) return fail('not-found', 'Join the visit first.');
      if (!sessions.send(input.appointmentId, { type: 'admit' })) return notConnected();
      const appt = await ctx.clinic.db.read((tx) => findAppointment(tx, input.appointmentId));
      await ctx.clinic.write(async (m) => {
        // The call starts when the patient is let in; a re-admission after a drop keeps the first time.
        const current = await m.tx.get<{ started_at: string | null }>('SELECT started_at FROM video_visits WHERE id = ?', [row.id]);
        const now = new Date().toISOString();
        if (!current?.started_at) await m.update('video_visits', row.id, { started_at: now });
        // A physician alone admits from the waiting room: the admission is the check-in, the
        // rooming and the start of the visit, each stamped now unless someone already did it.
        const flow = await m.tx.get<{ status: string; checked_in_at: string | null; roomed_at: string | null; with_provider_at: string | null }>(
          'SELECT status, checked_in_at, roomed_at, with_provider_at FROM appointments WHERE id = ?', [input.appointmentId]);
        const recorded = flow && ['scheduled', 'checked-in', 'roomed'].includes(flow.status);
        if (flow && recorded) {
          await m.update('appointments', input.appointmentId, {
            status: 'with-provider', updated_at: now,
            checked_in_at: flow.checked_in_at ?? now, roomed_at: flow.roomed_at ?? now, with_provider_at: flow.with_provider_at ?? now,
          });
        }
        m.audit(auditOf(ctx, 'visits.admit', appt?.patientId ?? null,
          `appointment=${input.appointmentId}${recorded ? `; recorded ${flow.status === 'scheduled' ? 'check-in, rooming and' : flow.status === 'checked-in' ? 'rooming and' : ''} the start of the visit` : ''}`));
      });
      return ok({ done: true as const });
    },

    'visits.signal': async (input) => (sessions.send(input.appointmentId, { type: 'signal', call: input.call, data: input.data }) ? ok({ done: true as const }) : notConnected()),

    'visits.chat': async (input) => (sessions.chat(input.appointmentId, input.text) ? ok({ done: true as const }) : notConnected()),

    'visits.camera': async (input) => (sessions.send(input.appointmentId, { type: 'camera', on: input.on }) ? ok({ done: true as const }) : notConnected()),

    'visits.end': async (input, ctx) => {
      const row = await latest(ctx.clinic, input.appointmentId);
      if (!row) return fail('not-found', 'This appointment has no video visit.');
      sessions.send(input.appointmentId, { type: 'end' });
      sessions.leave(input.appointmentId);
      // The cloud closes the visit even if the socket had dropped, so the link cannot be reused.
      await cloud.markVisit(row.id, 'close');
      const appt = await ctx.clinic.db.read((tx) => findAppointment(tx, input.appointmentId));
      const result = await ctx.clinic.write(async (m): Promise<Result<{ startedAt: string; endedAt: string; seconds: number }>> => {
        const enc = await m.tx.get<{ id: string; appointment_id: string | null }>('SELECT id, appointment_id FROM encounters WHERE id = ?', [input.encounterId]);
        if (!enc || enc.appointment_id !== input.appointmentId) return fail('not-found', 'That encounter is not this visit’s.');
        const v = await m.tx.get<{ started_at: string | null }>('SELECT started_at FROM video_visits WHERE id = ?', [row.id]);
        const endedAt = new Date().toISOString();
        const startedAt = v?.started_at ?? endedAt;
        const seconds = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
        await m.update('video_visits', row.id, { started_at: startedAt, ended_at: endedAt });
        await m.update('encounters', enc.id, { call_started_at: startedAt, call_ended_at: endedAt, call_seconds: seconds });
        m.audit(auditOf(ctx, 'visits.end', appt?.patientId ?? null, `appointment=${input.appointmentId} started=${startedAt} ended=${endedAt} seconds=${seconds}`));
        return ok({ startedAt, endedAt, seconds });
      });
      return result;
    },

    'visits.leave': async (input) => {
      sessions.leave(input.appointmentId);
      return ok({ done: true as const });
    },

    'visits.revokeLink': async (input, ctx) => {
      const row = await latest(ctx.clinic, input.appointmentId);
      if (!row || row.revoked_at || row.ended_at) return fail('not-found', 'This appointment has no active visit link.');
      const r = await cloud.markVisit(row.id, 'revoke');
      if (!r.ok) return r;
      const appt = await ctx.clinic.db.read((tx) => findAppointment(tx, input.appointmentId));
      await ctx.clinic.write(async (m) => {
        await m.update('video_visits', row.id, { revoked_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'visits.revokeLink', appt?.patientId ?? null, `appointment=${input.appointmentId}`));
      });
      return ok({ done: true as const });
    },
  };
}
