// The one check of who is calling, for HTTP routes and both kinds of socket alike: a valid
// device token, for the tenant the path names, of a device that is not revoked and that no
// lockdown holds (a held device is told `clinic-locked-down`). Asked on every
// request (before its body is read) and at every socket's opening. The sign-in guard's routes
// are asked the same way with the device's guard secret instead (`Guard <secret>`), which opens
// nothing else. Failures are counted per address and per tenant: past the limit the caller is
// told `rate-limited` without a look at the token.
import type { FastifyRequest } from 'fastify';
import { guardSecretMatches, type Tokens } from '../auth';
import type { DeviceStore, LockdownStore } from '../store/store';
import type { RateLimits } from './rate-limits';

const SEEN_EVERY_MS = 60_000;

export interface Caller {
  readonly tenantId: string;
  readonly deviceId: string;
}

export type Refusal = { readonly code: 'unauthenticated' | 'device-revoked' | 'wrong-tenant' | 'rate-limited' | 'clinic-locked-down'; readonly message: string; readonly retryAfterSeconds?: number };

/** What a device a lockdown holds is told, on every route and socket. */
export const LOCKED_DOWN = { code: 'clinic-locked-down', message: 'The clinic is locked down: IT lifts it workstation by workstation.' } as const satisfies Refusal;

export type Authenticated = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly refusal: Refusal };

/** What the check reads: devices, and the lockdown that may hold them. */
export type AuthStore = DeviceStore & { readonly lockdowns: LockdownStore };

export interface AuthDeps {
  readonly tokens: Tokens;
  readonly store: AuthStore;
  readonly limits: RateLimits;
}

/** Who asks: a device token for the tenant, or (`guard`) the named device's guard secret. */
export type Credential = { readonly kind: 'device' } | { readonly kind: 'guard'; readonly deviceId: string };

export async function authenticate(deps: AuthDeps, req: FastifyRequest, tenantId: string, as: Credential = { kind: 'device' }): Promise<Authenticated> {
  for (const [limit, key] of [['failedAuthPerAddress', req.ip], ['failedAuthPerTenant', tenantId]] as const) {
    const over = await deps.limits.over(limit, req, key, false);
    if (over && !over.ok) return { ok: false, refusal: { code: 'rate-limited', message: over.error.message, retryAfterSeconds: over.error.retryAfterSeconds } };
  }
  const who = as.kind === 'guard' ? await checkGuard(deps, req.headers.authorization, tenantId, as.deviceId) : await check(deps, req.headers.authorization, tenantId);
  if (!who.ok && who.refusal.code !== 'device-revoked' && who.refusal.code !== 'clinic-locked-down') {
    await deps.limits.over('failedAuthPerAddress', req, req.ip);
    await deps.limits.over('failedAuthPerTenant', req, tenantId);
  }
  return who;
}

async function checkGuard(deps: AuthDeps, authorization: string | undefined, tenantId: string, deviceId: string): Promise<Authenticated> {
  const refused: Authenticated = { ok: false, refusal: { code: 'unauthenticated', message: 'This workstation’s sign-in guard is not known here.' } };
  if (!authorization?.startsWith('Guard ')) return refused;
  const device = await deps.store.getDevice(tenantId, deviceId);
  const hash = device ? await deps.store.guardSecretHash(tenantId, deviceId) : null;
  if (!device || !hash || !guardSecretMatches(authorization.slice(6), hash)) return refused;
  if (device.revokedAt) return { ok: false, refusal: { code: 'device-revoked', message: 'This workstation has been revoked by the practice admin.' } };
  return { ok: true, caller: { tenantId, deviceId } };
}

async function check(deps: AuthDeps, authorization: string | undefined, tenantId: string): Promise<Authenticated> {
  const caller = authorization?.startsWith('Bearer ') ? await deps.tokens.check(authorization.slice(7)) : null;
  if (!caller) return { ok: false, refusal: { code: 'unauthenticated', message: 'Sign the device in again.' } };
  if (caller.tenantId !== tenantId) return { ok: false, refusal: { code: 'wrong-tenant', message: 'This device belongs to another clinic.' } };
  const device = await deps.store.getDevice(caller.tenantId, caller.deviceId);
  if (!device || device.revokedAt) return { ok: false, refusal: { code: 'device-revoked', message: 'This workstation has been revoked by the practice admin.' } };
  if (await deps.store.lockdowns.holding(caller.tenantId, caller.deviceId)) return { ok: false, refusal: LOCKED_DOWN };
  // A workstation holds its token for minutes: when it was last seen is kept to the minute here.
  const now = Date.now();
  if (!device.lastSeenAt || now - Date.parse(device.lastSeenAt) > SEEN_EVERY_MS) await deps.store.touchDevice(caller.tenantId, caller.deviceId, new Date(now).toISOString());
  return { ok: true, caller };
}
