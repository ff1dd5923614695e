// What a visit link is good for, and what its patient is told when it is not; the token's hash
// (the service keeps no link in the clear); and the visit's ICE servers with coturn credentials.
import { createHash, createHmac } from 'node:crypto';
import type { IceServer, IceSettings, VisitLinkState } from '../../shared/video/wire';
import type { VisitRecord } from '../store/store';

export const hashVisitToken = (token: string) => createHash('sha256').update(`chartroom-visit/v1|${token}`).digest('hex');

/** A patient page's seat, as the store keeps it (hashed, like the token). */
export const hashVisitSeat = (seat: string) => createHash('sha256').update(`chartroom-visit-seat/v1|${seat}`).digest('hex');

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

export interface SocketRefusal {
  readonly code: number;
  readonly message: string;
}

/** What the patient is told when a link cannot be used; never a broken call. */
export const refusals: Readonly<Record<Exclude<VisitLinkState, 'open'> | 'unknown' | 'in-use' | 'rate-limited', SocketRefusal>> = {
  unknown: { code: 4404, message: 'This visit link is not valid. Check the link, or call the clinic.' },
  'not-yet': { code: 4425, message: 'This visit has not opened yet: the link works from 30 minutes before the appointment.' },
  expired: { code: 4410, message: 'This visit link has expired. Call the clinic for a new one.' },
  revoked: { code: 4403, message: 'The clinic has cancelled this visit link. Call the clinic if you still need the visit.' },
  closed: { code: 4410, message: 'This visit has ended, and its link cannot be used again.' },
  'in-use': { code: 4409, message: 'This visit link is already open in another browser or tab. Close the other one first.' },
  'rate-limited': { code: 4429, message: 'Too many tries from here: wait a minute, then open the link again.' },
};
