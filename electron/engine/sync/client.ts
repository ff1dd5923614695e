// The workstation's side of sync: enrollment with a one-time code, the tenant key (created by
// the first workstation, wrapped to every other one and to the recovery key, rotated when a
// workstation is revoked), snapshots, and one full round of push and pull. Everything that
// leaves here is ciphertext; a revoked workstation destroys its keys.
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/errors';
import type { IceServer } from '../../../shared/video/wire';
import { CloudDevice, EnrollAnswer, SnapshotAnswer, SnapshotMetaAnswer, type StoredEnvelope, TokenAnswer, tokenChallenge } from '../../../shared/sync/wire';
import type { SyncStore } from '../clinic/open-clinic';
import {
  exportPrivate, generateBoxKeyPair, importPrivate, newRecoveryCode, recoveryKeyPair, unwrapOnDevice, type WrappedToDevice, wrapToDevice, wrapToRecovery,
} from '../keys/tenant-key-wrap';
import { applyRemoteChangeSet, markPushed, pendingChangeSets } from './apply';
import type { SyncHost } from './sync-host';
import { openChangeSet, sealChangeSet } from './envelope';
import { buildSnapshot, openSnapshot, restoreSnapshot, sealSnapshot } from './snapshot';

interface Identity {
  cloudUrl: string;
  tenantId: string;
  deviceId: string;
  signingKey: Buffer;
  boxKey: Buffer;
  cursor: number;
  snapshotSeq: number;
}

/** At most this much ciphertext per push request (the service accepts 32 MB). */
const PUSH_BYTES = 8 * 1024 * 1024;

/** Consecutive groups of envelopes of at most `limit` bytes of ciphertext (a bigger one alone). */
function bySize<T extends { ciphertext: string }>(items: readonly T[], limit: number): T[][] {
  const out: T[][] = [];
  let size = 0;
  for (const item of items) {
    const last = out.at(-1);
    if (last && size + item.ciphertext.length <= limit) {
      last.push(item);
      size += item.ciphertext.length;
    } else {
      out.push([item]);
      size = item.ciphertext.length;
    }
  }
  return out;
}

/** A snapshot is offered once this many messages have arrived since the newest one. */
export const defaultSnapshotEvery = 5000;

export interface SyncReport {
  readonly pushed: number;
  readonly pulled: number;
  readonly applied: number;
  readonly refused: number;
  readonly conflicts: number;
  readonly keysShared: number;
  readonly snapshotUploaded: boolean;
}

class CloudError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new CloudError(0, 'cloud-unreachable', 'The clinic cloud cannot be reached. Work continues offline; changes wait here.');
  }
  const body = (await res.json().catch(() => null)) as { ok?: boolean; value?: T; error?: { code: string; message: string } } | null;
  if (!res.ok || !body?.ok) throw new CloudError(res.status, body?.error?.code ?? 'cloud-unreachable', body?.error?.message ?? `The clinic cloud answered ${res.status}.`);
  return body.value as T;
}

const raw = (pub: KeyObject) => Buffer.from(pub.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
// Key ids are `k` + a number in base 36 (milliseconds when made); the highest is current. A new
// one is always above every key this workstation knows, so a clock that runs behind cannot make
// a rotation that leaves the old key current.
const kidNumber = (kid: string) => Number.parseInt(kid.slice(1), 36) || 0;
const currentKid = (kids: string[]) => [...kids].sort((a, b) => kidNumber(a) - kidNumber(b)).at(-1);
const newKid = (known: string[]) => `k${Math.max(Date.now(), ...known.map((k) => kidNumber(k) + 1)).toString(36)}`;
const unreadable = () => new CloudError(0, 'cloud-unreachable', 'The clinic cloud gave an answer this workstation does not understand.');

/** The database closed under an operation (sign-out mid-round): the next open starts again. */
export class ClinicClosedError extends Error {}

export class SyncClient {
  constructor(private readonly host: SyncHost, private readonly snapshotEvery = defaultSnapshotEvery) {}

  /** The open clinic, for the length of one operation. */
  private get store(): SyncStore {
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
   * Registers this workstation with its clinic's cloud. With the tenant's setup code (the first
   * workstation) it also creates the tenant key and returns the recovery code, shown once.
   */
  async enroll(
    cloudUrl: string,
    code: string,
    deviceName: string,
    expect?: 'setup' | 'enroll',
  ): Promise<Result<{ tenantId: string; tenantName: string; deviceId: string; number: number; recoveryCode: string | null }>> {
    if (await this.identity()) return fail('already-enrolled', 'This workstation is already enrolled.');
    const signing = generateKeyPairSync('ed25519');
    const box = generateBoxKeyPair();
    const base = cloudUrl.replace(/\/+$/, '');
    try {
      const reply = await call(`${base}/v1/enroll`, {
        method: 'POST', body: JSON.stringify({ code, deviceName, signingKey: raw(signing.publicKey), boxKey: box.publicKey.toString('base64'), ...(expect ? { expect } : {}) }),
      });
      const checked = EnrollAnswer.safeParse(reply);
      if (!checked.success) throw unreadable();
      const answer = checked.data;
      await this.store.local(async (tx) => {
        await tx.run('INSERT INTO sync_identity (id, cloud_url, tenant_id, device_id, signing_key, box_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?)', [
          base, answer.tenantId, answer.deviceId, exportPrivate(signing.privateKey), exportPrivate(box.privateKey), new Date().toISOString(),
        ]);
        await tx.run('UPDATE workstation SET number = ?', [answer.number]);
      });
      let recoveryCode: string | null = null;
      if (answer.kind === 'setup') {
        // The first workstation makes the clinic's tenant key and the recovery key; the
        // recovery public key travels with the clinic record, so a later rotation on any
        // workstation can wrap the new key to it.
        recoveryCode = newRecoveryCode();
        const recovery = await recoveryKeyPair(recoveryCode, answer.tenantId);
        const clinic = await this.store.db.get<{ id: string }>('SELECT id FROM clinic LIMIT 1');
        if (clinic) await this.store.write((m) => m.update('clinic', clinic.id, { recovery_public_key: recovery.publicKey.toString('base64') }));
        const id = await this.identity();
        if (!id) throw new Error('identity missing after enrollment');
        await this.rotate(id, await this.token());
      }
      return ok({ tenantId: answer.tenantId, tenantName: answer.tenantName, deviceId: answer.deviceId, number: answer.number, recoveryCode });
    } catch (e) {
      if (e instanceof CloudError) {
        if (e.code === 'invalid-code' || e.code === 'wrong-code-kind') return fail(e.code, e.message);
        return fail('cloud-unreachable', e.message);
      }
      throw e;
    }
  }

  /**
   * A new tenant key (new key id), wrapped to every active device and to the recovery key; the
   * previous keys stay here so older history stays readable. Used at setup and on revocation.
   */
  private async rotate(id: Identity, token: string): Promise<string> {
    await this.keys(id, token); // every key shared with this workstation so far
    const kid = newKid((await this.store.db.all<{ kid: string }>('SELECT kid FROM tenant_keys')).map((k) => k.kid));
    const tk = randomBytes(32);
    const { devices } = await this.listCloudDevices(id, token);
    const active = devices.filter((d) => !d.revokedAt);
    const clinic = await this.store.db.get<{ recovery_public_key: string | null }>('SELECT recovery_public_key FROM clinic LIMIT 1');
    const recovery = clinic?.recovery_public_key ? wrapToRecovery(tk, Buffer.from(clinic.recovery_public_key, 'base64'), { tenantId: id.tenantId, kid }) : undefined;
    const wraps = active.map((d) => ({
      deviceId: d.deviceId,
      wrapped: JSON.stringify({
        device: wrapToDevice(tk, Buffer.from(d.boxKey, 'base64'), { tenantId: id.tenantId, kid, deviceId: d.deviceId }),
        ...(d.deviceId === id.deviceId && recovery ? { recovery } : {}),
      }),
    }));
    // Kept here first: a key the cloud holds wraps of must never be lost to this workstation.
    await this.store.local((tx) => tx.run('INSERT INTO tenant_keys (kid, key, created_at) VALUES (?, ?, ?)', [kid, tk, new Date().toISOString()]));
    for (let i = 0; i < wraps.length; i += 100) {
      await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/keys`, { method: 'PUT', token, body: JSON.stringify({ kid, wraps: wraps.slice(i, i + 100) }) });
    }
    return kid;
  }

  private async listCloudDevices(id: Identity, token: string): Promise<{ devices: CloudDevice[] }> {
    const r = CloudDevice.array().safeParse((await call<{ devices: unknown }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/devices`, { token })).devices);
    if (!r.success) throw unreadable();
    return { devices: r.data };
  }

  private async token(): Promise<string> {
    const id = await this.identity();
    if (!id) throw new CloudError(0, 'not-enrolled', 'This workstation is not enrolled.');
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(tokenChallenge(id.tenantId, id.deviceId, timestamp)), importPrivate(id.signingKey)).toString('base64');
    const r = TokenAnswer.safeParse(await call(`${id.cloudUrl}/v1/token`, { method: 'POST', body: JSON.stringify({ tenantId: id.tenantId, deviceId: id.deviceId, timestamp, signature }) }));
    if (!r.success) throw unreadable();
    return r.data.token;
  }

  /** Where to listen for "there is more", with a fresh token. */
  async stream(): Promise<Result<{ url: string; token: string }>> {
    return this.guard(async (id, token) => ({ url: `${id.cloudUrl.replace(/^http/, 'ws')}/v1/tenants/${id.tenantId}/stream`, token }));
  }

  async devices(): Promise<Result<{ deviceId: string; name: string; number: number; enrolledAt: string; revokedAt: string | null; lastSeenAt: string | null; thisWorkstation: boolean }[]>> {
    return this.guard(async (id, token) => {
      const { devices } = await this.listCloudDevices(id, token);
      return devices.map((d) => ({
        deviceId: d.deviceId, name: d.name, number: d.number, enrolledAt: d.enrolledAt, revokedAt: d.revokedAt, lastSeenAt: d.lastSeenAt, thisWorkstation: d.deviceId === id.deviceId,
      }));
    });
  }

  async createEnrollCode(): Promise<Result<{ code: string; expiresAt: string }>> {
    return this.guard(async (id, token) => call<{ code: string; expiresAt: string }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/enroll-codes`, { method: 'POST', token }));
  }

  /** Cuts a workstation off at the cloud, then rotates the tenant key so it cannot read what follows. */
  async revoke(deviceId: string): Promise<Result<{ done: true; kid: string }>> {
    return this.guard(async (id, token) => {
      await call<{ done: true }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/devices/${deviceId}/revoke`, { method: 'POST', token });
      return { done: true as const, kid: await this.rotate(id, token) };
    });
  }

  /** Registers a video visit's link at the cloud; answers the link the patient opens. */
  async createVisit(body: { visitId: string; validFrom: string; validUntil: string; identityKey: string }): Promise<Result<{ token: string; url: string }>> {
    return this.guard(async (id, token) => {
      const r = await call<{ token: string; path: string }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/visits`, { method: 'POST', token, body: JSON.stringify(body) });
      return { token: r.token, url: `${id.cloudUrl}${r.path}` };
    });
  }

  /** The clinic's visits with a patient connected right now. */
  async waitingVisits(): Promise<Result<string[]>> {
    return this.guard(async (id, token) => (await call<{ waiting: string[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/visits/waiting`, { token })).waiting);
  }

  /** The visit's STUN/TURN servers, with fresh TURN credentials. */
  async visitIceServers(visitId: string): Promise<Result<IceServer[]>> {
    return this.guard(async (id, token) => (await call<{ iceServers: IceServer[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/visits/${visitId}/ice-servers`, { token })).iceServers);
  }

  /** The clinic's STUN/TURN settings (whether a TURN secret is kept, never the secret). */
  async iceSettings(): Promise<Result<{ stunUrls: string[]; turnUrls: string[]; hasTurnSecret: boolean }>> {
    return this.guard(async (id, token) => call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/ice`, { token }));
  }

  async setIceSettings(settings: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string }): Promise<Result<{ done: true }>> {
    return this.guard(async (id, token) => call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/ice`, { method: 'PUT', token, body: JSON.stringify(settings) }));
  }

  /** Where the clinic side of a visit listens, with a fresh token. */
  async visitSocket(visitId: string): Promise<Result<{ url: string; token: string }>> {
    return this.guard(async (id, token) => ({ url: `${id.cloudUrl.replace(/^http/, 'ws')}/v1/tenants/${id.tenantId}/visits/${visitId}/socket`, token }));
  }

  /** Revokes a visit's link, or closes the visit, at the cloud (a patient still connected is told). */
  async markVisit(visitId: string, action: 'revoke' | 'close'): Promise<Result<{ done: true }>> {
    return this.guard(async (id, token) => call<{ done: true }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/visits/${visitId}/${action}`, { method: 'POST', token }));
  }

  /** Takes any tenant keys wrapped to this workstation; answers how many keys it now holds. */
  async refreshKeys(): Promise<Result<number>> {
    return this.guard(async (id, token) => {
      await this.keys(id, token);
      return (await this.store.db.all('SELECT kid FROM tenant_keys')).length;
    });
  }

  /**
   * Starts an empty workstation from the clinic's newest snapshot: restores it, then the cursor
   * stands at the snapshot's place, so the next round pulls only what came after.
   */
  async restoreLatestSnapshot(): Promise<Result<{ seq: number; rows: number } | null>> {
    return this.guard(async (id, token) => {
      const answer = SnapshotAnswer.safeParse(await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/snapshots/latest`, { token }));
      if (!answer.success) throw unreadable();
      const snap = answer.data.snapshot;
      if (!snap || snap.seq <= id.cursor) return null;
      const key = await this.store.db.get<{ key: Buffer }>('SELECT key FROM tenant_keys WHERE kid = ?', [snap.kid]);
      if (!key) throw new CloudError(0, 'no-tenant-key', 'The clinic snapshot is under a key this workstation does not have yet.');
      const compressed = openSnapshot(key.key, { tenantId: id.tenantId, snapshotId: snap.snapshotId, kid: snap.kid, seq: snap.seq, deviceId: snap.deviceId }, snap);
      if (!compressed) throw new CloudError(0, 'cloud-unreachable', 'The clinic snapshot failed its authenticity check and was not used.');
      const rows = await this.store.replicate(async (tx) => {
        const n = await restoreSnapshot(tx, compressed);
        await tx.run('UPDATE sync_identity SET cursor = ?, snapshot_seq = ? WHERE id = 1', [snap.seq, snap.seq]);
        return n;
      });
      // This workstation's clock moves past every stamp it took over, so its own next edit wins.
      const newest = await this.store.db.get<{ hlc: string | null }>('SELECT max(hlc) AS hlc FROM field_versions');
      try {
        if (newest?.hlc) this.store.clock.observe(newest.hlc);
      } catch {
        // A stamp far in the future is not followed; the field keeps it until a later edit.
      }
      return { seq: snap.seq, rows };
    });
  }

  /** Seals this workstation's whole record as of its cursor and hands it to the cloud. */
  async uploadSnapshot(): Promise<Result<{ seq: number; bytes: number }>> {
    return this.guard(async (id, token) => this.snapshot(id, token));
  }

  private async snapshot(id: Identity, token: string): Promise<{ seq: number; bytes: number }> {
    const keys = await this.store.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys');
    const kid = currentKid(keys.map((k) => k.kid));
    if (!kid) throw new CloudError(0, 'no-tenant-key', 'Waiting for another workstation to share the clinic key with this one.');
    // One read transaction: the rows and the cursor they match are taken together.
    const { seq, compressed } = await this.store.db.read(async (tx) => {
      const at = await tx.get<{ cursor: number }>('SELECT cursor FROM sync_identity WHERE id = 1');
      return { seq: at?.cursor ?? 0, compressed: await buildSnapshot(tx) };
    });
    const snapshotId = randomUUID();
    const sealed = sealSnapshot(keys.find((k) => k.kid === kid)?.key as Buffer, { tenantId: id.tenantId, snapshotId, kid, seq, deviceId: id.deviceId }, compressed);
    await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/snapshots`, { method: 'POST', token, body: JSON.stringify({ snapshotId, seq, kid, ...sealed }) });
    await this.store.local((tx) => tx.run('UPDATE sync_identity SET snapshot_seq = ? WHERE id = 1', [seq]));
    return { seq, bytes: sealed.ciphertext.length };
  }

  /** One full round: fetch and share keys, push every pending change set, pull until current. */
  async syncOnce(): Promise<Result<SyncReport>> {
    return this.guard(async (id, token) => {
      const keysShared = await this.keys(id, token);
      const keys = new Map((await this.store.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys')).map((k) => [k.kid, k.key]));
      const kid = currentKid([...keys.keys()]);
      if (!kid) throw new CloudError(0, 'no-tenant-key', 'Waiting for another workstation to share the clinic key with this one.');
      let pushed = 0;
      for (;;) {
        const sets = await this.store.db.read((tx) => pendingChangeSets(tx, 200));
        if (sets.length === 0) break;
        const envelopes = sets.map((s) => sealChangeSet({ kid, key: keys.get(kid) as Buffer }, { tenantId: id.tenantId, deviceId: id.deviceId, msgId: s.msgId }, s.rows));
        // Requests stay well under the service's body limit however big the change sets are.
        for (const batch of bySize(envelopes, PUSH_BYTES)) {
          await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/messages`, { method: 'POST', token, body: JSON.stringify({ messages: batch }) });
          await this.store.local((tx) => markPushed(tx, batch.map((e) => e.msgId)));
          pushed += batch.length;
        }
      }
      let cursor = id.cursor;
      let pulled = 0;
      let applied = 0;
      let refused = 0;
      let conflicts = 0;
      for (;;) {
        const { messages } = await call<{ messages: StoredEnvelope[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/messages?after=${cursor}&limit=500`, { token });
        if (messages.length === 0) break;
        // One transaction per batch (a savepoint per message inside it): the batch and the
        // cursor that follows it are kept together or not at all.
        await this.store.replicate(async (tx) => {
          for (const env of messages) {
            pulled++;
            if (env.deviceId === id.deviceId) continue;
            const opened = openChangeSet(keys, id.tenantId, env);
            const outcome = opened.ok ? await applyRemoteChangeSet(tx, this.store.clock, env, opened.rows, this.host.checks) : { status: 'refused' as const, reason: opened.reason };
            if (outcome.status === 'refused') {
              refused++;
              await tx.run('INSERT OR IGNORE INTO sync_quarantine (msg_id, seq, device_id, reason, received_at) VALUES (?, ?, ?, ?, ?)', [
                env.msgId, env.seq, env.deviceId, outcome.reason, new Date().toISOString(),
              ]);
            } else if (outcome.status === 'applied') {
              applied++;
              conflicts += outcome.conflicts;
            }
          }
          await tx.run('UPDATE sync_identity SET cursor = ? WHERE id = 1', [messages.at(-1)?.seq ?? cursor]);
        });
        cursor = messages.at(-1)?.seq ?? cursor;
      }
      // Users changed elsewhere: new ones can now sign in here, disabled ones no longer.
      if (applied > 0) {
        await this.host.reconcileUserWraps();
        // Typo-tolerant search learns the names that arrived.
        this.store.search.forgetVocabulary();
      }
      // Now and then a snapshot, so a new workstation need not replay the whole history. The
      // cloud is asked first, so the clinic's workstations do not each upload their own.
      let snapshotUploaded = false;
      if (cursor - id.snapshotSeq >= this.snapshotEvery) {
        const latest = SnapshotMetaAnswer.safeParse(await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/snapshots/latest?meta=1`, { token }));
        const latestSeq = latest.success ? (latest.data.snapshot?.seq ?? 0) : 0;
        if (cursor - latestSeq >= this.snapshotEvery) {
          await this.snapshot(id, token);
          snapshotUploaded = true;
        } else await this.store.local((tx) => tx.run('UPDATE sync_identity SET snapshot_seq = ? WHERE id = 1', [latestSeq]));
      }
      return { pushed, pulled, applied, refused, conflicts, keysShared, snapshotUploaded };
    });
  }

  /** Takes this device's wraps of the tenant key; wraps the current key to devices without one. */
  private async keys(id: Identity, token: string): Promise<number> {
    const { wraps, mine } = await call<{ wraps: { kid: string; deviceId: string }[]; mine: { kid: string; wrapped: string }[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/keys`, { token });
    const boxKey = importPrivate(id.boxKey);
    for (const w of mine) {
      const have = await this.store.db.get('SELECT 1 AS x FROM tenant_keys WHERE kid = ?', [w.kid]);
      if (have) continue;
      const parsed = JSON.parse(w.wrapped) as { device: WrappedToDevice };
      const tk = unwrapOnDevice(parsed.device, boxKey, { tenantId: id.tenantId, kid: w.kid, deviceId: id.deviceId });
      if (tk) await this.store.local((tx) => tx.run('INSERT INTO tenant_keys (kid, key, created_at) VALUES (?, ?, ?)', [w.kid, tk, new Date().toISOString()]));
    }
    const local = await this.store.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys');
    if (local.length === 0) return 0;
    const { devices } = await this.listCloudDevices(id, token);
    let shared = 0;
    // Every key, not only the current one: a newcomer reads history sealed under older keys too.
    for (const { kid, key } of local) {
      const missing = devices.filter((d) => !d.revokedAt && !wraps.some((w) => w.kid === kid && w.deviceId === d.deviceId));
      if (missing.length === 0) continue;
      const out = missing.map((d) => ({
        deviceId: d.deviceId,
        wrapped: JSON.stringify({ device: wrapToDevice(key, Buffer.from(d.boxKey, 'base64'), { tenantId: id.tenantId, kid, deviceId: d.deviceId }) }),
      }));
      await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/keys`, { method: 'PUT', token, body: JSON.stringify({ kid, wraps: out }) });
      shared += out.length;
    }
    return shared;
  }

  /** Runs a cloud operation; a revoked workstation destroys its keys the moment it hears of it. */
  private async guard<T>(fn: (id: Identity, token: string) => Promise<T>): Promise<Result<T>> {
    const id = await this.identity();
    if (!id) return fail('not-enrolled', 'This workstation is not enrolled with a clinic cloud.');
    try {
      return ok(await fn(id, await this.token()));
    } catch (e) {
      if (!(e instanceof CloudError)) throw e;
      if (e.code === 'device-revoked') {
        await this.host.destroyLocalKeys();
        return fail('device-revoked', 'This workstation was revoked by the practice admin. Its keys have been destroyed.');
      }
      if (e.code === 'no-tenant-key' || e.code === 'not-enrolled') return fail(e.code, e.message);
      return fail('cloud-unreachable', e.message);
    }
  }
}
