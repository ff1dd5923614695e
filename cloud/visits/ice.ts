// The clinic's STUN/TURN servers: set by a practice admin from a workstation and kept at its
// tenant, sealed at rest (at-rest.ts) because they hold the TURN shared secret; the secret is
// never handed back, and each visit gets coturn credentials that expire with its link.
import type { FastifyInstance } from 'fastify';
import { AtRest } from '../at-rest';
import { fail, ok } from '../../shared/errors';
import { type IceServer, IceSettings } from '../../shared/video/wire';
import { serve, type ServeDeps } from '../http/serve';
import type { VisitRecord, VisitStore } from '../store/store';
import { iceServersFor } from './link-state';

/** A tenant's ICE settings in the store, sealed; settings kept in the clear before are sealed when next read. */
export class IceVault {
  constructor(private readonly store: VisitStore, private readonly atRest: AtRest) {}

  async get(tenantId: string): Promise<IceSettings | null> {
    const raw = await this.store.getIceSettings(tenantId);
    if (raw === null) return null;
    const sealed = AtRest.isSealed(raw);
    const plain = sealed ? this.atRest.open(raw, tenantId) : raw;
    const parsed = plain === null ? null : IceSettings.safeParse(parseJson(plain));
    if (!parsed?.success) return null;
    if (!sealed) await this.put(tenantId, parsed.data);
    return parsed.data;
  }

  put(tenantId: string, settings: IceSettings): Promise<void> {
    return this.store.setIceSettings(tenantId, this.atRest.seal(JSON.stringify(settings), tenantId));
  }

  /** A visit's ICE servers, with TURN credentials for it. */
  async serversFor(v: VisitRecord): Promise<IceServer[]> {
    return iceServersFor(await this.get(v.tenantId), v);
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

export function registerIce(app: FastifyInstance, deps: ServeDeps & { visits: VisitStore; ice: IceVault }): void {
  const { visits, ice } = deps;

  serve(app, deps, 'putIce', async ({ caller, body }) => {
    const kept = (await ice.get(caller.tenantId))?.turnSecret ?? '';
    await ice.put(caller.tenantId, { ...body, turnSecret: body.turnSecret ?? kept });
    return ok({ done: true as const });
  });

  serve(app, deps, 'ice', async ({ caller }) => {
    const s = (await ice.get(caller.tenantId)) ?? { stunUrls: [], turnUrls: [], turnSecret: '' };
    return ok({ stunUrls: s.stunUrls, turnUrls: s.turnUrls, hasTurnSecret: s.turnSecret.length > 0 });
  });

  serve(app, deps, 'visitIceServers', async ({ caller, params }) => {
    const visit = await visits.getVisit(caller.tenantId, params.visitId);
    if (!visit) return fail('not-found', 'No such visit in this clinic.');
    return ok({ iceServers: await ice.serversFor(visit) });
  });
}
