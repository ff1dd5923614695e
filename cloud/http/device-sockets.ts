// Every socket a device holds in this service process (its tenant stream, its visit sockets),
// so that revoking the device, or a lockdown, cuts them all at once. A revocation on any process
// is a `devices` tenant event and a lockdown a `lockdown` one, which every process hears
// (PostgreSQL LISTEN/NOTIFY); each then asks the store about the devices behind the sockets it
// holds and closes those of revoked or held ones.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { AuthStore, Caller } from './authenticate';
import { LOCKED_DOWN } from './authenticate';

/** The close code and reason a revoked device's sockets end with. */
export const REVOKED_CLOSE = { code: 4401, message: 'This workstation has been revoked by the practice admin.' } as const;
/** The close code and reason the sockets of a device a lockdown holds end with (423: Locked). */
export const LOCKED_DOWN_CLOSE = { code: 4423, message: LOCKED_DOWN.message } as const;

export class DeviceSockets {
  /** tenantId → socket → the device holding it. */
  private readonly held = new Map<string, Map<WebSocket, string>>();

  constructor(private readonly store: AuthStore, private readonly log: FastifyBaseLogger) {}

  /**
   * Keeps `socket` under its device until it closes, and checks the device once more: a
   * revocation that landed between the socket's authentication and now would otherwise be missed.
   */
  hold(caller: Caller, socket: WebSocket): void {
    const sockets = this.held.get(caller.tenantId) ?? new Map<WebSocket, string>();
    this.held.set(caller.tenantId, sockets);
    sockets.set(socket, caller.deviceId);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.held.get(caller.tenantId) === sockets) this.held.delete(caller.tenantId);
    });
    void this.cutIfRefused(caller.tenantId, new Map([[socket, caller.deviceId]]));
  }

  /** A tenant's devices or lockdown changed: closes every socket here of a device now revoked or held. */
  recheck(tenantId: string): Promise<void> {
    const sockets = this.held.get(tenantId);
    return sockets ? this.cutIfRefused(tenantId, new Map(sockets)) : Promise.resolve();
  }

  closeAll(code: number, reason: string): void {
    for (const sockets of this.held.values()) for (const s of sockets.keys()) s.close(code, reason);
    this.held.clear();
  }

  private async cutIfRefused(tenantId: string, sockets: ReadonlyMap<WebSocket, string>): Promise<void> {
    const refused = new Map<string, typeof REVOKED_CLOSE | typeof LOCKED_DOWN_CLOSE | null>();
    try {
      for (const deviceId of new Set(sockets.values())) {
        const device = await this.store.getDevice(tenantId, deviceId);
        refused.set(deviceId, !device || device.revokedAt !== null ? REVOKED_CLOSE : (await this.store.lockdowns.holding(tenantId, deviceId)) ? LOCKED_DOWN_CLOSE : null);
      }
    } catch (e) {
      // The next devices event, or the socket's next request, asks again.
      this.log.warn({ event: 'sockets.recheck-failed', err: e instanceof Error ? e.message : 'unknown' }, 'could not recheck device sockets');
      return;
    }
    for (const [socket, deviceId] of sockets) {
      const close = refused.get(deviceId);
      if (!close || socket.readyState >= socket.CLOSING) continue;
      socket.send(JSON.stringify({ type: 'refused', message: close.message }));
      socket.close(close.code, close.message);
      this.log.info({ event: 'device.socket-cut', tenantId, deviceId, code: close.code }, 'device socket closed');
    }
  }
}
