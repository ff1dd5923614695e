// The clinic's STUN/TURN servers: set by a practice admin from a workstation and kept at its
// tenant; the TURN secret is kept here and never handed back, and each visit gets coturn
// credentials that expire with its link.
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { type IceServer, IceSettings } from '../../shared/video/wire';
import { serve, type ServeDeps } from '../http/serve';
import type { VisitRecord, VisitStore } from '../store/store';
import { iceServersFor } from './link-state';

/** The tenant's settings as kept, or none. */
async function settingsOf(store: VisitStore, tenantId: string): Promise<IceSettings | null> {
  const raw = await store.getIceSettings(tenantId);
  const parsed = raw ? IceSettings.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : null;
}

/** A visit's ICE servers, with TURN credentials for it. */
export async function iceOf(store: VisitStore, v: VisitRecord): Promise<IceServer[]> {
  return iceServersFor(await settingsOf(store, v.tenantId), v);
}

export function registerIce(app: FastifyInstance, deps: ServeDeps & { visits: VisitStore }): void {
  const { visits } = deps;

  serve(app, deps, 'putIce', async ({ caller, body }) => {
    const kept = (await settingsOf(visits, caller.tenantId))?.turnSecret ?? '';
    await visits.setIceSettings(caller.tenantId, JSON.stringify({ ...body, turnSecret: body.turnSecret ?? kept }));
    return ok({ done: true as const });
  });

  serve(app, deps, 'ice', async ({ caller }) => {
    const s = (await settingsOf(visits, caller.tenantId)) ?? { stunUrls: [], turnUrls: [], turnSecret: '' };
    return ok({ stunUrls: s.stunUrls, turnUrls: s.turnUrls, hasTurnSecret: s.turnSecret.length > 0 });
  });

  serve(app, deps, 'visitIceServers', async ({ caller, params }) => {
    const visit = await visits.getVisit(caller.tenantId, params.visitId);
    if (!visit) return fail('not-found', 'No such visit in this clinic.');
    return ok({ iceServers: await iceOf(visits, visit) });
  });
}
