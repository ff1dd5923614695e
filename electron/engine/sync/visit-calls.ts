// The cloud's video-visit calls a workstation makes: links (create, revoke, close), who waits,
// the clinic's STUN/TURN settings and each visit's ICE servers, and the visit socket's address.
import type { Result } from '../../../shared/errors';
import type { IceServer } from '../../../shared/video/wire';
import { cloudRequest, socketUrl } from './cloud-http';
import type { CloudSession } from './cloud-session';

export class VisitCalls {
  constructor(private readonly session: CloudSession) {}

  /** Registers a video visit's link at the cloud; answers the link the patient opens. */
  createVisit(body: { visitId: string; validFrom: string; validUntil: string; identityKey: string }): Promise<Result<{ token: string; url: string }>> {
    return this.session.guard(async (id, token) => {
      const r = await cloudRequest(id.cloudUrl, 'createVisit', { params: { tenantId: id.tenantId }, body, token });
      return { token: r.token, url: `${id.cloudUrl}${r.path}` };
    });
  }

  /** The clinic's visits with a patient connected right now. */
  waitingVisits(): Promise<Result<string[]>> {
    return this.session.guard(async (id, token) => (await cloudRequest(id.cloudUrl, 'waitingVisits', { params: { tenantId: id.tenantId }, token })).waiting);
  }

  /** The visit's STUN/TURN servers, with fresh TURN credentials. */
  visitIceServers(visitId: string): Promise<Result<IceServer[]>> {
    return this.session.guard(async (id, token) => (await cloudRequest(id.cloudUrl, 'visitIceServers', { params: { tenantId: id.tenantId, visitId }, token })).iceServers);
  }

  /** The clinic's STUN/TURN settings (whether a TURN secret is kept, never the secret). */
  iceSettings(): Promise<Result<{ stunUrls: string[]; turnUrls: string[]; hasTurnSecret: boolean }>> {
    return this.session.guard(async (id, token) => cloudRequest(id.cloudUrl, 'ice', { params: { tenantId: id.tenantId }, token }));
  }

  setIceSettings(settings: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string }): Promise<Result<{ done: true }>> {
    return this.session.guard(async (id, token) => cloudRequest(id.cloudUrl, 'putIce', { params: { tenantId: id.tenantId }, body: settings, token }));
  }

  /** Where the clinic side of a visit listens, with a fresh token. */
  visitSocket(visitId: string): Promise<Result<{ url: string; token: string }>> {
    return this.session.guard(async (id, token) => ({ url: socketUrl(id.cloudUrl, 'visitClinic', { tenantId: id.tenantId, visitId }), token }));
  }

  /** Revokes a visit's link, or closes the visit, at the cloud (a patient still connected is told). */
  markVisit(visitId: string, action: 'revoke' | 'close'): Promise<Result<{ done: true }>> {
    return this.session.guard(async (id, token) => cloudRequest(id.cloudUrl, action === 'revoke' ? 'revokeVisit' : 'closeVisit', { params: { tenantId: id.tenantId, visitId }, token }));
  }
}
