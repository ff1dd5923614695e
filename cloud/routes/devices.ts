// A clinic's workstations: the list (never a signing key; with each one's updates at a glance),
// and revocation, after which the
// device's token is refused at once and the others are told.
import type { FastifyInstance } from 'fastify';
import { fail, ok } from '../../shared/errors';
import { serve, type ServeDeps } from '../http/serve';
import { summarize } from '../../shared/updates/report';
import type { DeviceStore, EventStore, ReleaseStore } from '../store/store';

export function registerDevices(app: FastifyInstance, deps: ServeDeps & { store: DeviceStore & EventStore & { readonly releases: ReleaseStore } }): void {
  const { store } = deps;

  serve(app, deps, 'devices', async ({ caller }) => {
    const devices = await store.listDevices(caller.tenantId);
    const events = await store.releases.newestUpdateEvents(caller.tenantId);
    const groups = await store.releases.deviceGroups(caller.tenantId);
    return ok({
      devices: devices.map(({ tenantId: _t, signingKey: _s, ...d }) => ({ ...d, updates: summarize(events.filter((e) => e.deviceId === d.deviceId)), group: groups.get(d.deviceId) ?? null })),
    });
  });

  serve(app, deps, 'reportOutbox', async ({ caller, body }) => {
    await store.reportOutbox(caller.tenantId, caller.deviceId, { unsent: body.unsent, oldestAt: body.oldestAt === null ? null : new Date(body.oldestAt).toISOString(), at: new Date().toISOString() });
    return ok({ done: true as const });
  });

  serve(app, deps, 'revoke', async ({ caller, params, log }) => {
    if (!(await store.getDevice(caller.tenantId, params.deviceId))) return fail('not-found', 'No such device.');
    await store.revokeDevice(caller.tenantId, params.deviceId, new Date().toISOString());
    log.info({ event: 'device.revoked', tenantId: caller.tenantId, deviceId: params.deviceId, by: caller.deviceId }, 'device revoked');
    // The revoked device, if online, asks again, hears `device-revoked` and destroys its keys.
    await store.notify(caller.tenantId, 'devices');
    return ok({ done: true as const });
  });
}
