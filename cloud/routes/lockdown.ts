// Lockdown: an admin's workstation locks the whole clinic; IT, with a command signed by the
// clinic's IT key (derived from the recovery code; the cloud holds only its public half), locks
// it from any machine, lifts it one workstation at a time, or asks where it stands. A held
// device is refused on every route and its sockets are closed (http/authenticate.ts,
// http/device-sockets.ts); it asks here, with its guard secret, when it is let back. The same
// key enrolls a clean machine to restore the clinic onto (`itEnroll`).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Lockdown } from '../../shared/domain/lockdown';
import { IT_COMMAND_WINDOW_MS, itCommandChallenge, itEnrollChallenge } from '../../shared/domain/lockdown';
import { fail, ok } from '../../shared/errors';
import { verifyDeviceSignature } from '../auth';
import { serve, type ServeDeps } from '../http/serve';
import type { DeviceStore, EventStore, LockdownRecord, LockdownStore, TenantStore } from '../store/store';

type Deps = ServeDeps & { store: DeviceStore & EventStore & Pick<TenantStore, 'tenantName'> & { readonly lockdowns: LockdownStore } };

export function registerLockdown(app: FastifyInstance, deps: Deps): void {
  const { store } = deps;
  const { lockdowns } = store;

  /** A lockdown as workstations and IT are told it: when, and who (a workstation by its name). */
  const describe = async (tenantId: string, l: LockdownRecord): Promise<Lockdown> => {
    if (!l.startedBy) return { since: l.startedAt, by: { kind: 'it' } };
    const device = await store.getDevice(tenantId, l.startedBy);
    return { since: l.startedAt, by: { kind: 'workstation', deviceId: l.startedBy, name: device?.name ?? 'a workstation' } };
  };

  /** Begins (or joins) the lockdown and tells every service process, which close the held devices' sockets. */
  const lockDown = async (tenantId: string, by: string | null): Promise<LockdownRecord> => {
    const l = await lockdowns.lockDown(tenantId, by, new Date().toISOString());
    await store.notify(tenantId, 'lockdown');
    return l;
  };

  serve(app, deps, 'lockDown', async ({ caller, log }) => {
    const l = await lockDown(caller.tenantId, caller.deviceId);
    log.warn({ event: 'clinic.locked-down', tenantId: caller.tenantId, by: caller.deviceId, seq: l.seq }, 'clinic locked down from a workstation');
    return ok(await describe(caller.tenantId, l));
  });

  serve(app, deps, 'putItKey', async ({ caller, body }) => {
    const r = await lockdowns.setItKey(caller.tenantId, body.publicKey, new Date().toISOString());
    return r === 'refused' ? fail('it-key-set', 'This clinic’s IT key is already set; it cannot be replaced.') : ok({ done: true as const });
  });

  serve(app, deps, 'lockdownStatus', async ({ caller }) => {
    const held = await lockdowns.holding(caller.tenantId, caller.deviceId);
    return ok({ lockdown: held ? await describe(caller.tenantId, held) : null });
  });

  /** An IT command's signature, time and nonce, checked; null when it may go ahead. */
  const refuseIt = async (tenantId: string, c: { at: string; nonce: string; signature: string }, challenge: string, command: string, deviceId: string | null, input: { limit: (n: 'failedAuthPerAddress', k: string) => Promise<unknown>; address: string }) => {
    const key = await lockdowns.itKey(tenantId);
    if (!key) return fail('no-it-key', 'This clinic has no IT key at its cloud (it was set up before lockdowns existed, or the tenant is wrong).');
    if (Math.abs(Date.now() - Date.parse(c.at)) > IT_COMMAND_WINDOW_MS) return fail('stale-command', 'The command’s time is more than five minutes from the cloud’s: check this machine’s clock.');
    if (!verifyDeviceSignature(key, challenge, c.signature)) {
      // A wrong recovery code, most likely: counted like a failed sign-in.
      await input.limit('failedAuthPerAddress', input.address);
      return fail('bad-signature', 'The command is not signed with this clinic’s IT key: check the recovery code.');
    }
    if (!(await lockdowns.useItCommand(tenantId, c.nonce, command, deviceId, new Date().toISOString()))) {
      return fail('bad-signature', 'That command was already used; sign a new one.');
    }
    return null;
  };

  serve(app, deps, 'itEnroll', async ({ params, body, log, limit, address }) => {
    const { tenantId } = params;
    const refused = await refuseIt(tenantId, body, itEnrollChallenge(tenantId, body), 'enroll', null, { limit, address });
    if (refused) return refused;
    const deviceId = randomUUID();
    const { number } = await store.addDevice({ tenantId, deviceId, name: body.deviceName, signingKey: body.signingKey, boxKey: body.boxKey, enrolledAt: new Date().toISOString() });
    log.warn({ event: 'device.enrolled', tenantId, deviceId, kind: 'it-recovery' }, 'device enrolled by IT with the recovery key');
    await store.notify(tenantId, 'devices');
    return ok({ tenantId, deviceId, kind: 'enroll' as const, number, tenantName: (await store.tenantName(tenantId)) ?? '' });
  });

  serve(app, deps, 'itCommand', async ({ params, body, log, limit, address }) => {
    const { tenantId } = params;
    const refused = await refuseIt(tenantId, body, itCommandChallenge(tenantId, body), body.command, body.deviceId, { limit, address });
    if (refused) return refused;
    if (body.command === 'lockdown') {
      const l = await lockDown(tenantId, null);
      log.warn({ event: 'clinic.locked-down', tenantId, by: 'it', seq: l.seq }, 'clinic locked down by IT');
    } else if (body.command === 'lift' || body.command === 'revoke') {
      const l = await lockdowns.current(tenantId);
      const device = body.deviceId ? await store.getDevice(tenantId, body.deviceId) : null;
      if (!device) return fail('not-found', 'No such workstation in this clinic.');
      if (body.command === 'revoke') {
        if (!device.revokedAt) await store.revokeDevice(tenantId, device.deviceId, new Date().toISOString());
        await store.notify(tenantId, 'devices');
        log.warn({ event: 'device.revoked', tenantId, deviceId: device.deviceId, by: 'it' }, 'device revoked by IT');
        return ok(await itView(tenantId));
      }
      if (!l || !(await lockdowns.holding(tenantId, device.deviceId))) return fail('not-found', 'No lockdown holds that workstation.');
      await lockdowns.lift(tenantId, l.seq, device.deviceId, new Date().toISOString());
      await store.notify(tenantId, 'lockdown');
      log.warn({ event: 'clinic.lockdown-lifted', tenantId, deviceId: device.deviceId, seq: l.seq }, 'lockdown lifted for a workstation');
    }
    return ok(await itView(tenantId));
  });

  /** Where the lockdown stands and which workstations it still holds. */
  const itView = async (tenantId: string) => {
    const l = await lockdowns.current(tenantId);
    const devices = await store.listDevices(tenantId);
    const held = await Promise.all(devices.map((d) => lockdowns.holding(tenantId, d.deviceId)));
    return {
      lockdown: l && held.some(Boolean) ? await describe(tenantId, l) : null,
      devices: devices.map((d, i) => ({ deviceId: d.deviceId, name: d.name, number: d.number, revokedAt: d.revokedAt, held: !d.revokedAt && !!held[i] })),
    };
  };
}
