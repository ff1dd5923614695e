// The one check of who is calling, for HTTP routes and both kinds of socket alike: a valid
// device token, for the tenant the path names, of a device that is not revoked. Asked on every
// request and at every socket's opening.
import type { Tokens } from '../auth';
import type { DeviceStore } from '../store/store';

const SEEN_EVERY_MS = 60_000;

export interface Caller {
  readonly tenantId: string;
  readonly deviceId: string;
}

export type Refusal = { readonly code: 'unauthenticated' | 'device-revoked' | 'wrong-tenant'; readonly message: string };

export type Authenticated = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly refusal: Refusal };

export async function authenticate(deps: { tokens: Tokens; store: DeviceStore }, authorization: string | undefined, tenantId: string): Promise<Authenticated> {
  const caller = authorization?.startsWith('Bearer ') ? await deps.tokens.check(authorization.slice(7)) : null;
  if (!caller) return { ok: false, refusal: { code: 'unauthenticated', message: 'Sign the device in again.' } };
  if (caller.tenantId !== tenantId) return { ok: false, refusal: { code: 'wrong-tenant', message: 'This device belongs to another clinic.' } };
  const device = await deps.store.getDevice(caller.tenantId, caller.deviceId);
  if (!device || device.revokedAt) return { ok: false, refusal: { code: 'device-revoked', message: 'This workstation has been revoked by the practice admin.' } };
  // A workstation holds its token for minutes: when it was last seen is kept to the minute here.
  const now = Date.now();
  if (!device.lastSeenAt || now - Date.parse(device.lastSeenAt) > SEEN_EVERY_MS) await deps.store.touchDevice(caller.tenantId, caller.deviceId, new Date(now).toISOString());
  return { ok: true, caller };
}
