// Video visit links for the front desk: one per video appointment, valid from 30 minutes before
// it starts until 30 minutes after it should end (a physician running late does not strand the
// patient), revocable, and recreated after a revocation. The link carries no PHI: the cloud's
// address and a random token that the cloud maps to a random visit id.
import { generateKeyPairSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../../shared/api/contract';
import type { VisitLinkInfo } from '../../../shared/domain/video';
import { fail, ok, type Result } from '../../../shared/errors';
import { auditOf, type HandlersFor } from '../api/handler-kit';
import type { Engine } from '../engine';
import { findAppointment } from '../scheduling/scheduling-repository';

type VisitCall = Extract<CallName, `visits.${string}`>;

const EARLY_MS = 30 * 60_000;
const GRACE_MS = 30 * 60_000;

interface VisitRow {
  id: string; appointment_id: string; link_token: string; valid_from: string; valid_until: string; revoked_at: string | null; ended_at: string | null;
}

export function visitHandlers(engine: Engine): HandlersFor<VisitCall> {
  const cloudUrl = async () => (await engine.db.get<{ cloud_url: string }>('SELECT cloud_url FROM sync_identity WHERE id = 1'))?.cloud_url ?? null;
  const latest = (appointmentId: string) =>
    engine.db.get<VisitRow>('SELECT * FROM video_visits WHERE appointment_id = ? ORDER BY created_at DESC LIMIT 1', [appointmentId]);
  const info = (v: VisitRow, base: string): VisitLinkInfo => ({
    visitId: v.id, appointmentId: v.appointment_id as VisitLinkInfo['appointmentId'], url: `${base}/v/${v.link_token}`, validFrom: v.valid_from, validUntil: v.valid_until,
    state: v.revoked_at ? 'revoked' : v.ended_at ? 'ended' : 'active',
  });

  return {
    'visits.createLink': async (input, ctx): Promise<Result<VisitLinkInfo>> => {
      const appt = await engine.db.read((tx) => findAppointment(tx, input.appointmentId));
      if (!appt) return fail('not-found', 'No such appointment.');
      if (appt.mode !== 'video') return fail('not-a-video-visit', 'This appointment is not a video visit: change its type to a video type first.');
      if (appt.status === 'cancelled' || appt.status === 'no-show' || appt.status === 'checked-out') return fail('invalid-transition', 'This appointment is over or cancelled.');
      const base = await cloudUrl();
      if (!base) return fail('not-enrolled', 'Video visits need the clinic cloud: connect this workstation under Workstations.');
      const existing = await latest(appt.id);
      if (existing && !existing.revoked_at && !existing.ended_at) return ok(info(existing, base));
      // The appointment's wall-clock time on this workstation, as an instant.
      const start = new Date(appt.start).getTime();
      const validFrom = new Date(start - EARLY_MS).toISOString();
      const validUntil = new Date(start + appt.durationMinutes * 60_000 + GRACE_MS).toISOString();
      const visitId = uuidv7();
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const created = await engine.syncService.sync.createVisit({
        visitId, validFrom, validUntil, identityKey: JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
      });
      if (!created.ok) return created;
      const now = new Date().toISOString();
      await engine.write(async (m) => {
        await m.insert('video_visits', visitId, {
          appointment_id: appt.id, link_token: created.value.url.slice(created.value.url.lastIndexOf('/') + 1),
          identity_key: JSON.stringify(pair.privateKey.export({ format: 'jwk' })), valid_from: validFrom, valid_until: validUntil,
          created_by: ctx.user?.id ?? '', created_at: now,
        });
        m.audit(auditOf(ctx, 'visits.createLink', appt.patientId, `appointment=${appt.id}`));
      });
      const row = await latest(appt.id);
      if (!row) throw new Error('visit link missing after creation');
      return ok(info(row, base));
    },

    'visits.link': async (input) => {
      const base = await cloudUrl();
      const row = await latest(input.appointmentId);
      return ok(row && base ? info(row, base) : null);
    },

    'visits.revokeLink': async (input, ctx) => {
      const row = await latest(input.appointmentId);
      if (!row || row.revoked_at || row.ended_at) return fail('not-found', 'This appointment has no active visit link.');
      const r = await engine.syncService.sync.markVisit(row.id, 'revoke');
      if (!r.ok) return r;
      const appt = await engine.db.read((tx) => findAppointment(tx, input.appointmentId));
      await engine.write(async (m) => {
        await m.update('video_visits', row.id, { revoked_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'visits.revokeLink', appt?.patientId ?? null, `appointment=${input.appointmentId}`));
      });
      return ok({ done: true as const });
    },
  };
}
