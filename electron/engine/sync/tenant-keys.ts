// The clinic's tenant keys on this workstation: taking the wraps made for it, wrapping every key
// to devices that lack one (a newcomer reads older history too), and rotating to a new key (at
// setup and on revocation), wrapped to every active device and to the recovery key.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CloudDevice } from '../../../shared/sync/wire';
import { setAside } from '../db/quarantine';
import { Sealed } from '../keys/kdf';
import { importPrivate, unwrapOnDevice, unwrapWithRecovery, wrapToDevice, wrapToRecovery } from '../keys/tenant-key-wrap';
import { CloudError, cloudRequest } from './cloud-http';
import type { CloudSession, Identity } from './cloud-session';

// Key ids are `k` + a number in base 36 (milliseconds when made); the highest is current. A new
// one is always above every key this workstation knows, so a clock that runs behind cannot make
// a rotation that leaves the old key current.
const kidNumber = (kid: string) => Number.parseInt(kid.slice(1), 36) || 0;
/** When a key was made, by its id (at the latest: an id is at least its making time). */
export const kidTime = kidNumber;
export const currentKid = (kids: readonly string[]) => [...kids].sort((a, b) => kidNumber(a) - kidNumber(b)).at(-1);
/** The clinic's first key (every workstation is given every key, so all agree on it). */
export const firstKid = (kids: readonly string[]) => [...kids].sort((a, b) => kidNumber(a) - kidNumber(b))[0];
const newKid = (known: readonly string[]) => `k${Math.max(Date.now(), ...known.map((k) => kidNumber(k) + 1)).toString(36)}`;

/** No tenant key here yet: another workstation has to share it first. */
export const noTenantKey = () => new CloudError(0, 'no-tenant-key', 'Waiting for another workstation to share the clinic key with this one.');

/** A wrap as the cloud keeps it: JSON of the wrap to one device (and, the first one, to the recovery key). */
/** A wrap sealed to one X25519 key (a device's, or the recovery key). */
export const SealedWrap = z.object({ ephemeralPublicKey: z.string(), box: Sealed });
const Wrapped = z.object({ device: SealedWrap });

export class TenantKeys {
  constructor(private readonly session: CloudSession) {}

  /** Every tenant key this workstation holds. */
  held(): Promise<{ kid: string; key: Buffer }[]> {
    return this.session.store.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys');
  }

  private keep(kid: string, key: Buffer): Promise<unknown> {
    return this.session.store.local((tx) => tx.run('INSERT INTO tenant_keys (kid, key, created_at) VALUES (?, ?, ?)', [kid, key, new Date().toISOString()]));
  }

  async devices(id: Identity, token: string): Promise<CloudDevice[]> {
    return (await cloudRequest(id.cloudUrl, 'devices', { params: { tenantId: id.tenantId }, token })).devices;
  }

  /** Takes this device's wraps of the tenant key; wraps every key to devices without one. Answers how many wraps it made. */
  async exchange(id: Identity, token: string): Promise<number> {
    const { wraps, mine } = await cloudRequest(id.cloudUrl, 'keys', { params: { tenantId: id.tenantId }, token });
    const boxKey = importPrivate(id.boxKey);
    const have = new Set((await this.held()).map((k) => k.kid));
    for (const w of mine) {
      if (have.has(w.kid)) continue;
      let parsed: z.infer<typeof Wrapped> | null = null;
      try {
        const p = Wrapped.safeParse(JSON.parse(w.wrapped));
        parsed = p.success ? p.data : null;
      } catch {
        parsed = null;
      }
      // A wrap that is not one (damaged, or not for this device) is set aside for the admin and
      // sync goes on: another workstation's wrap of the same key may follow.
      const tk = parsed ? unwrapOnDevice(parsed.device, boxKey, { tenantId: id.tenantId, kid: w.kid, deviceId: id.deviceId }) : null;
      if (tk) await this.keep(w.kid, tk);
      else {
        const reason = parsed ? 'the clinic key wrapped for this workstation does not open with its key' : 'the clinic key wrapped for this workstation is not a key wrap';
        await this.session.store.local((tx) => setAside(tx, { kind: 'key-wrap', ref: w.kid, seq: 0, deviceId: '', reason }));
      }
    }
    const local = await this.held();
    if (local.length === 0) return 0;
    const devices = await this.devices(id, token);
    let shared = 0;
    // Every key, not only the current one: a newcomer reads history sealed under older keys too.
    for (const { kid, key } of local) {
      const missing = devices.filter((d) => !d.revokedAt && !wraps.some((w) => w.kid === kid && w.deviceId === d.deviceId));
      if (missing.length === 0) continue;
      const out = missing.map((d) => ({
        deviceId: d.deviceId,
        wrapped: JSON.stringify({ device: wrapToDevice(key, Buffer.from(d.boxKey, 'base64'), { tenantId: id.tenantId, kid, deviceId: d.deviceId }) }),
      }));
      await cloudRequest(id.cloudUrl, 'putKeys', { params: { tenantId: id.tenantId }, body: { kid, wraps: out }, token });
      shared += out.length;
    }
    return shared;
  }

  /**
   * Every clinic key, opened with the recovery code from its wrap to the recovery key (a machine
   * restoring the clinic, which no workstation shares keys with). Answers how many it opened.
   */
  async takeWithRecovery(id: Identity, token: string, recoveryCode: string): Promise<number> {
    const { wraps } = await cloudRequest(id.cloudUrl, 'recoveryWraps', { params: { tenantId: id.tenantId }, token });
    let opened = 0;
    for (const w of wraps) {
      let sealed: z.infer<typeof SealedWrap> | null = null;
      try {
        const p = SealedWrap.safeParse(JSON.parse(w.wrapped));
        sealed = p.success ? p.data : null;
      } catch {
        sealed = null;
      }
      const tk = sealed ? await unwrapWithRecovery(sealed, recoveryCode, { tenantId: id.tenantId, kid: w.kid }) : null;
      if (!tk) continue;
      await this.keep(w.kid, tk);
      opened++;
    }
    return opened;
  }

  /**
   * A new tenant key (new key id), wrapped to every active device and to the recovery key; the
   * previous keys stay here so older history stays readable. Used at setup and on revocation.
   */
  async rotate(id: Identity, token: string): Promise<string> {
    await this.exchange(id, token); // every key shared with this workstation so far
    const kid = newKid((await this.held()).map((k) => k.kid));
    const tk = randomBytes(32);
    const active = (await this.devices(id, token)).filter((d) => !d.revokedAt);
    const clinic = await this.session.store.db.get<{ recovery_public_key: string | null }>('SELECT recovery_public_key FROM clinic LIMIT 1');
    const recovery = clinic?.recovery_public_key ? wrapToRecovery(tk, Buffer.from(clinic.recovery_public_key, 'base64'), { tenantId: id.tenantId, kid }) : undefined;
    const wraps = active.map((d) => ({
      deviceId: d.deviceId,
      wrapped: JSON.stringify({
        device: wrapToDevice(tk, Buffer.from(d.boxKey, 'base64'), { tenantId: id.tenantId, kid, deviceId: d.deviceId }),
        ...(d.deviceId === id.deviceId && recovery ? { recovery } : {}),
      }),
    }));
    // Kept here first: a key the cloud holds wraps of must never be lost to this workstation.
    await this.keep(kid, tk);
    for (let i = 0; i < wraps.length; i += 100) {
      await cloudRequest(id.cloudUrl, 'putKeys', { params: { tenantId: id.tenantId }, body: { kid, wraps: wraps.slice(i, i + 100) }, token });
    }
    return kid;
  }
}
