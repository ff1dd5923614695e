// Visit links: a workstation creates one per visit (the service keeps only the token's hash),
// revokes or closes it; the patient's page asks what its link is good for; the schedule asks
// which visits have a patient waiting.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import type { TenantStore, VisitStore } from '../store/store';
import { VISIT_LINK_EARLY_MS } from '../../shared/video/wire';
import type { VisitHub } from './hub';
import type { IceVault } from './ice';
import { hashVisitToken, linkState, refusals } from './link-state';

export function registerVisitLinks(app: FastifyInstance, deps: ServeDeps & { visits: VisitStore; tenants: Pick<TenantStore, 'tenantName'>; hub: VisitHub; ice: IceVault }): void {
  const { visits, tenants, hub, ice } = deps;

  serve(app, deps, 'createVisit', async ({ caller, body, log }) => {
    if (await visits.getVisit(caller.tenantId, body.visitId)) return fail('already-exists', 'That visit already has a link.');
    const token = randomBytes(16).toString('base64url');
    await visits.addVisit({ tenantId: caller.tenantId, ...body }, hashVisitToken(token));
    log.info({ event: 'visit.link-created', tenantId: caller.tenantId, visitId: body.visitId }, 'visit link created');
    return ok({ token, path: `/v/${token}` });
  });

  for (const [name, field, refusal] of [['revokeVisit', 'revokedAt', 'revoked'], ['closeVisit', 'closedAt', 'closed']] as const) {
    serve(app, deps, name, async ({ caller, params }) => {
      const visit = await visits.getVisit(caller.tenantId, params.visitId);
      if (!visit) return fail('not-found', 'No such visit in this clinic.');
      await visits.markVisit(caller.tenantId, visit.visitId, field, new Date().toISOString());
      await hub.relay(visit, 'patient', { kind: 'close', refusal });
      return ok({ done: true as const });
    });
  }

  // Which of the clinic's visits have a patient connected (for the schedule's "waiting").
  serve(app, deps, 'waitingVisits', async ({ caller }) => ok({ waiting: await visits.visitsWithPatient(caller.tenantId, hub.freshAfter()) }));

  serve(app, deps, 'visitLink', async ({ params }) => {
    const visit = await visits.visitByToken(hashVisitToken(params.token));
    if (!visit) return fail('not-found', refusals.unknown.message);
    const state = linkState(visit);
    return ok({
      state, opensAt: visit.validFrom, closesAt: visit.validUntil,
      // The link opens a fixed time before the appointment (the workstation sets it so), which gives the appointment's time.
      clinicName: (await tenants.tenantName(visit.tenantId)) ?? '', appointmentAt: new Date(Date.parse(visit.validFrom) + VISIT_LINK_EARLY_MS).toISOString(),
      identityKey: state === 'open' ? visit.identityKey : null,
      iceServers: state === 'open' ? await ice.serversFor(visit) : [], message: state === 'open' ? null : refusals[state].message,
    });
  });
}
