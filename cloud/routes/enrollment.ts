// Enrolment and tokens: a workstation registers with a one-time code (the tenant's setup code,
// or a code an enrolled workstation asked for), then signs in for short-lived tokens.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { tokenChallenge } from '../../shared/sync/wire';
import { fail, ok } from '../../shared/errors';
import { CLOCK_SKEW_MS, hashCode, newCode, verifyDeviceSignature } from '../auth';
import { serve, type ServeDeps } from '../http/serve';
import { type AuthStore, LOCKED_DOWN } from '../http/authenticate';
import type { EventStore, TenantStore } from '../store/store';

const ENROLL_CODE_MS = 24 * 3600_000;

export function registerEnrollment(app: FastifyInstance, deps: ServeDeps & { store: TenantStore & AuthStore & EventStore }): void {
  const { store, tokens } = deps;

  serve(app, deps, 'enroll', async ({ body, log, address, limit }) => {
    const code = await store.consumeCode(hashCode(body.code), new Date().toISOString(), body.expect);
    if (!code) {
      // A wrong code counts against the address: past the limit it is told `rate-limited`.
      await limit('enrollPerAddress', address);
      return fail('invalid-code', 'That code is unknown, used or expired. Ask the practice admin for a new one.');
    }
    if ('wrongKind' in code) {
      return code.wrongKind === 'setup'
        ? fail('wrong-code-kind', 'That is the setup code of a new clinic: set this workstation up as the clinic’s first one instead.')
        : fail('wrong-code-kind', 'That code joins a workstation to an existing clinic: choose to join instead.');
    }
    const tenant = await store.tenantName(code.tenantId);
    const deviceId = randomUUID();
    const { number } = await store.addDevice({
      tenantId: code.tenantId, deviceId, name: body.deviceName, signingKey: body.signingKey, boxKey: body.boxKey, enrolledAt: new Date().toISOString(),
    });
    log.info({ event: 'device.enrolled', tenantId: code.tenantId, deviceId, kind: code.kind }, 'device enrolled');
    // Online workstations share the tenant key with the newcomer at once.
    await store.notify(code.tenantId, 'devices');
    return ok({ tenantId: code.tenantId, deviceId, kind: code.kind, number, tenantName: tenant ?? '' });
  });

  serve(app, deps, 'token', async ({ body, limit }) => {
    const { tenantId, deviceId, timestamp, signature } = body;
    const over = await limit('tokenPerTenant', tenantId);
    if (over) return over;
    const refused = fail('unauthenticated', 'The device could not be authenticated.');
    if (Math.abs(Date.now() - Date.parse(timestamp)) > CLOCK_SKEW_MS) return refused;
    const device = await store.getDevice(tenantId, deviceId);
    if (!device) return refused;
    if (device.revokedAt) return fail('device-revoked', 'This workstation has been revoked by the practice admin.');
    if (await store.lockdowns.holding(tenantId, deviceId)) return fail(LOCKED_DOWN.code, LOCKED_DOWN.message);
    if (!verifyDeviceSignature(device.signingKey, tokenChallenge(tenantId, deviceId, timestamp), signature)) return refused;
    // A signed request is good for one token: the same one sent again (read off the wire, or
    // replayed within its window) is refused, on every service process.
    const forgetAfter = new Date(Date.parse(timestamp) + CLOCK_SKEW_MS).toISOString();
    if (!(await store.useTokenRequest(tenantId, deviceId, timestamp, forgetAfter, new Date().toISOString()))) {
      return fail('unauthenticated', 'That sign-in request was already used. Sign the device in again.');
    }
    await store.touchDevice(tenantId, deviceId, new Date().toISOString());
    return ok(await tokens.issue(tenantId, deviceId));
  });

  serve(app, deps, 'enrollCode', async ({ caller }) => {
    const code = newCode();
    const expiresAt = new Date(Date.now() + ENROLL_CODE_MS).toISOString();
    await store.addCode(caller.tenantId, 'enroll', hashCode(code), expiresAt);
    return ok({ code, expiresAt });
  });
}
