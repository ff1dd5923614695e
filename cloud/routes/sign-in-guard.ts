// The clinic's count of wrong passwords, per username hash: a workstation registers its guard
// secret while someone is signed in (with its device token), then, before anyone is, asks
// whether a username is locked, reports each wrong password and each success. Five wrong
// passwords on any workstations of the clinic lock the username on all of them that are online.
import type { FastifyInstance } from 'fastify';
import { defaultLockoutPolicy } from '../../shared/domain/sign-in-lockout';
import { ok } from '../../shared/errors';
import { hashGuardSecret } from '../auth';
import { serve, type ServeDeps } from '../http/serve';
import type { DeviceStore, SignInGuardStore } from '../store/store';

const until = (ms: number) => (ms > Date.now() ? new Date(ms).toISOString() : null);

export function registerSignInGuard(app: FastifyInstance, deps: ServeDeps & { store: DeviceStore & SignInGuardStore }): void {
  const { store } = deps;

  serve(app, deps, 'putSignInGuard', async ({ caller, body }) => {
    await store.setGuardSecretHash(caller.tenantId, caller.deviceId, hashGuardSecret(body.secret));
    return ok({ done: true as const });
  });

  serve(app, deps, 'signInLockout', async ({ caller, body }) => ok({ lockedUntil: until(await store.signInLockedUntil(caller.tenantId, body.subject)) }));

  serve(app, deps, 'signInFailure', async ({ caller, body, log }) => {
    const count = await store.recordSignInFailure(caller.tenantId, body.subject, Date.now(), defaultLockoutPolicy);
    if (count.lockedUntil > Date.now()) log.warn({ event: 'sign-in.locked', tenantId: caller.tenantId, deviceId: caller.deviceId }, 'a username was locked out clinic-wide');
    return ok({ lockedUntil: until(count.lockedUntil), failures: count.failures });
  });

  serve(app, deps, 'signInSuccess', async ({ caller, body }) => {
    await store.clearSignInFailures(caller.tenantId, body.subject);
    return ok({ done: true as const });
  });
}
