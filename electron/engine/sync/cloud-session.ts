// This workstation's standing with its cloud: the enrolled identity (kept in its own table),
// a short-lived token signed for with its device key (held while it lasts), and `guard`, which runs one cloud
// operation and turns what the cloud refused into a Result (a revoked workstation destroys its
// keys the moment it hears so; a locked-down one locks its screen).
import { sign } from 'node:crypto';
import { tokenChallenge } from '../../../shared/sync/wire';
import { fail, ok, type Result } from '../../../shared/errors';
import type { SyncStore } from '../clinic/open-clinic';
import { importPrivate } from '../keys/tenant-key-wrap';
import { CloudError, cloudRequest } from './cloud-http';
import type { SyncHost } from './sync-host';

export interface Identity {
  cloudUrl: string;
  tenantId: string;
  deviceId: string;
  signingKey: Buffer;
  boxKey: Buffer;
  cursor: number;
  snapshotSeq: number;
}

/** The database closed under an operation (sign-out mid-round): the next open starts again. */
export class ClinicClosedError extends Error {}

/** The longest a token is held, whatever the cloud says. */
const TOKEN_MAX_MS = 5 * 60_000;

export class CloudSession {
  private held: { who: string; token: string; until: number } | null = null;
  private signing: Promise<string> | null = null;

  constructor(readonly host: SyncHost) {}

  /** The open clinic, for the length of one operation. */
  get store(): SyncStore {
    const clinic = this.host.clinic();
    if (!clinic) throw new ClinicClosedError('the clinic database is closed');
    return clinic;
  }

  async identity(): Promise<Identity | null> {
    const r = await this.store.db.get<{ cloud_url: string; tenant_id: string; device_id: string; signing_key: Buffer; box_key: Buffer; cursor: number; snapshot_seq: number }>(
      'SELECT * FROM sync_identity WHERE id = 1',
    );
    return r
      ? { cloudUrl: r.cloud_url, tenantId: r.tenant_id, deviceId: r.device_id, signingKey: r.signing_key, boxKey: r.box_key, cursor: r.cursor, snapshotSeq: r.snapshot_seq }
      : null;
  }

  /**
   * A token for the cloud: the one held while it has a minute left, else a new one (one request
   * at a time, since a signed request is good for one token).
   */
  async token(): Promise<string> {
    const id = await this.identity();
    if (!id) throw new CloudError(0, 'not-enrolled', 'This workstation is not enrolled.');
    const who = `${id.cloudUrl}|${id.tenantId}|${id.deviceId}`;
    if (this.held?.who === who && Date.now() < this.held.until) return this.held.token;
    this.signing ??= this.signIn(id, who).finally(() => { this.signing = null; });
    return this.signing;
  }

  /** Forgets the token held (the cloud refused it). */
  forgetToken(): void {
    this.held = null;
  }

  private async signIn(id: Identity, who: string): Promise<string> {
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(tokenChallenge(id.tenantId, id.deviceId, timestamp)), importPrivate(id.signingKey)).toString('base64');
    const asked = Date.now();
    const answer = await cloudRequest(id.cloudUrl, 'token', { body: { tenantId: id.tenantId, deviceId: id.deviceId, timestamp, signature } });
    // Its lifetime by the cloud's clock, counted on this one's, less a minute's margin.
    const lifetime = Math.min(Date.parse(answer.expiresAt) - Date.parse(timestamp), TOKEN_MAX_MS);
    this.held = { who, token: answer.token, until: asked + lifetime - 60_000 };
    return answer.token;
  }

  /** Runs a cloud operation; a revoked workstation destroys its keys the moment it hears of it. */
  async guard<T>(fn: (id: Identity, token: string) => Promise<T>): Promise<Result<T>> {
    const id = await this.identity();
    if (!id) return fail('not-enrolled', 'This workstation is not enrolled with a clinic cloud.');
    try {
      try {
        return ok(await fn(id, await this.token()));
      } catch (e) {
        // A held token the cloud no longer takes (it restarted with a new secret): once more, with a new one.
        if (!(e instanceof CloudError) || e.code !== 'unauthenticated' || !this.held) throw e;
        this.forgetToken();
        return ok(await fn(id, await this.token()));
      }
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
      if (e.code === 'device-revoked') {
        await this.host.destroyLocalKeys();
        return fail('device-revoked', 'This workstation was revoked by the practice admin. Its keys have been destroyed.');
      }
      if (e.code === 'clinic-locked-down') {
        await this.host.lockdown.heard();
        return fail('clinic-locked-down', e.message);
      }
      if (e.code === 'no-tenant-key' || e.code === 'not-enrolled') return fail(e.code, e.message);
      return fail('cloud-unreachable', e.message);
    }
  }
}
