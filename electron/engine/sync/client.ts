// The workstation's side of sync: enrollment with a one-time code, the tenant key (created by
// the first workstation, wrapped to every other one), and one full round of push and pull.
// Everything that leaves here is ciphertext; a revoked workstation destroys its keys.
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/errors';
import { EnrollAnswer, type StoredEnvelope, TokenAnswer, tokenChallenge } from '../../../shared/sync/wire';
import type { Engine } from '../engine';
import { exportPrivate, generateBoxKeyPair, importPrivate, newRecoveryCode, unwrapOnDevice, type WrappedToDevice, wrapToDevice, wrapToRecovery } from '../keys/tenant-key-wrap';
import { applyRemoteChangeSet, markPushed, pendingChangeSets } from './apply';
import { openChangeSet, sealChangeSet } from './envelope';

interface Identity {
  cloudUrl: string;
  tenantId: string;
  deviceId: string;
  signingKey: Buffer;
  boxKey: Buffer;
  cursor: number;
}

export interface SyncReport {
  readonly pushed: number;
  readonly pulled: number;
  readonly applied: number;
  readonly refused: number;
  readonly conflicts: number;
  readonly keysShared: number;
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
const currentKid = (kids: string[]) => kids.sort().at(-1);

export class SyncClient {
  constructor(private readonly engine: Engine) {}

  async identity(): Promise<Identity | null> {
    const r = await this.engine.db.get<{ cloud_url: string; tenant_id: string; device_id: string; signing_key: Buffer; box_key: Buffer; cursor: number }>('SELECT * FROM sync_identity WHERE id = 1');
    return r ? { cloudUrl: r.cloud_url, tenantId: r.tenant_id, deviceId: r.device_id, signingKey: r.signing_key, boxKey: r.box_key, cursor: r.cursor } : null;
  }

  /**
   * Registers this workstation with its clinic's cloud. With the tenant's setup code (the first
   * workstation) it also creates the tenant key and returns the recovery code, shown once.
   */
  async enroll(cloudUrl: string, code: string, deviceName: string): Promise<Result<{ tenantId: string; deviceId: string; number: number; recoveryCode: string | null }>> {
    if (await this.identity()) return fail('already-enrolled', 'This workstation is already enrolled.');
    const signing = generateKeyPairSync('ed25519');
    const box = generateBoxKeyPair();
    const base = cloudUrl.replace(/\/+$/, '');
    try {
      const reply = await call(`${base}/v1/enroll`, {
        method: 'POST', body: JSON.stringify({ code, deviceName, signingKey: raw(signing.publicKey), boxKey: box.publicKey.toString('base64') }),
      });
      const checked = EnrollAnswer.safeParse(reply);
      if (!checked.success) throw new CloudError(0, 'cloud-unreachable', 'The clinic cloud gave an answer this workstation does not understand.');
      const answer = checked.data;
      await this.engine.db.transaction(async (tx) => {
        await tx.run('INSERT INTO sync_identity (id, cloud_url, tenant_id, device_id, signing_key, box_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?)', [
          base, answer.tenantId, answer.deviceId, exportPrivate(signing.privateKey), exportPrivate(box.privateKey), new Date().toISOString(),
        ]);
        await tx.run('UPDATE workstation SET number = ?', [answer.number]);
      });
      let recoveryCode: string | null = null;
      if (answer.kind === 'setup') {
        const kid = `k${Date.now().toString(36)}`;
        const tk = randomBytes(32);
        await this.engine.db.transaction((tx) => tx.run('INSERT INTO tenant_keys (kid, key, created_at) VALUES (?, ?, ?)', [kid, tk, new Date().toISOString()]));
        recoveryCode = newRecoveryCode();
        const wrapped = wrapToDevice(tk, box.publicKey, { tenantId: answer.tenantId, kid, deviceId: answer.deviceId });
        const token = await this.token();
        await call(`${base}/v1/tenants/${answer.tenantId}/keys`, {
          method: 'PUT', token, body: JSON.stringify({ kid, wraps: [{ deviceId: answer.deviceId, wrapped: JSON.stringify({ device: wrapped, recovery: await wrapToRecovery(tk, recoveryCode, { tenantId: answer.tenantId, kid }) }) }] }),
        });
      }
      return ok({ tenantId: answer.tenantId, deviceId: answer.deviceId, number: answer.number, recoveryCode });
    } catch (e) {
      if (e instanceof CloudError) return fail(e.code === 'invalid-code' ? 'invalid-code' : 'cloud-unreachable', e.message);
      throw e;
    }
  }

  private async token(): Promise<string> {
    const id = await this.identity();
    if (!id) throw new CloudError(0, 'not-enrolled', 'This workstation is not enrolled.');
    const timestamp = new Date().toISOString();
    const signature = sign(null, Buffer.from(tokenChallenge(id.tenantId, id.deviceId, timestamp)), importPrivate(id.signingKey)).toString('base64');
    const r = TokenAnswer.safeParse(await call(`${id.cloudUrl}/v1/token`, { method: 'POST', body: JSON.stringify({ tenantId: id.tenantId, deviceId: id.deviceId, timestamp, signature }) }));
    if (!r.success) throw new CloudError(0, 'cloud-unreachable', 'The clinic cloud gave an answer this workstation does not understand.');
    return r.data.token;
  }

  /** Where to listen for "there is more", with a fresh token. */
  async stream(): Promise<Result<{ url: string; token: string }>> {
    return this.guard(async (id, token) => ({ url: `${id.cloudUrl.replace(/^http/, 'ws')}/v1/tenants/${id.tenantId}/stream`, token }));
  }

  async devices(): Promise<Result<{ deviceId: string; name: string; number: number; enrolledAt: string; revokedAt: string | null; thisWorkstation: boolean }[]>> {
    return this.guard(async (id, token) => {
      const { devices } = await call<{ devices: { deviceId: string; name: string; number: number; enrolledAt: string; revokedAt: string | null }[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/devices`, { token });
      return devices.map((d) => ({ deviceId: d.deviceId, name: d.name, number: d.number, enrolledAt: d.enrolledAt, revokedAt: d.revokedAt, thisWorkstation: d.deviceId === id.deviceId }));
    });
  }

  async createEnrollCode(): Promise<Result<{ code: string; expiresAt: string }>> {
    return this.guard(async (id, token) => call<{ code: string; expiresAt: string }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/enroll-codes`, { method: 'POST', token }));
  }

  async revoke(deviceId: string): Promise<Result<{ done: true }>> {
    return this.guard(async (id, token) => call<{ done: true }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/devices/${deviceId}/revoke`, { method: 'POST', token }));
  }

  /** One full round: fetch and share keys, push every pending change set, pull until current. */
  async syncOnce(): Promise<Result<SyncReport>> {
    return this.guard(async (id, token) => {
      const keysShared = await this.keys(id, token);
      const keys = new Map((await this.engine.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys')).map((k) => [k.kid, k.key]));
      const kid = currentKid([...keys.keys()]);
      if (!kid) throw new CloudError(0, 'no-tenant-key', 'Waiting for another workstation to share the clinic key with this one.');
      let pushed = 0;
      for (;;) {
        const sets = await this.engine.db.read((tx) => pendingChangeSets(tx, 200));
        if (sets.length === 0) break;
        const envelopes = sets.map((s) => sealChangeSet({ kid, key: keys.get(kid) as Buffer }, { tenantId: id.tenantId, deviceId: id.deviceId, msgId: s.msgId }, s.rows));
        await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/messages`, { method: 'POST', token, body: JSON.stringify({ messages: envelopes }) });
        await this.engine.db.transaction((tx) => markPushed(tx, sets.map((s) => s.msgId)));
        pushed += sets.length;
      }
      let cursor = id.cursor;
      let pulled = 0;
      let applied = 0;
      let refused = 0;
      let conflicts = 0;
      for (;;) {
        const { messages } = await call<{ messages: StoredEnvelope[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/messages?after=${cursor}&limit=500`, { token });
        if (messages.length === 0) break;
        for (const env of messages) {
          pulled++;
          await this.engine.db.transaction(async (tx) => {
            if (env.deviceId !== id.deviceId) {
              const opened = openChangeSet(keys, id.tenantId, env);
              const outcome = opened.ok ? await applyRemoteChangeSet(tx, this.engine.clock, env, opened.rows) : { status: 'refused' as const, reason: opened.reason };
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
            await tx.run('UPDATE sync_identity SET cursor = ? WHERE id = 1', [env.seq]);
          });
          cursor = env.seq;
        }
      }
      return { pushed, pulled, applied, refused, conflicts, keysShared };
    });
  }

  /** Takes this device's wraps of the tenant key; wraps the current key to devices without one. */
  private async keys(id: Identity, token: string): Promise<number> {
    const { wraps, mine } = await call<{ wraps: { kid: string; deviceId: string }[]; mine: { kid: string; wrapped: string }[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/keys`, { token });
    const boxKey = importPrivate(id.boxKey);
    for (const w of mine) {
      const have = await this.engine.db.get('SELECT 1 AS x FROM tenant_keys WHERE kid = ?', [w.kid]);
      if (have) continue;
      const parsed = JSON.parse(w.wrapped) as { device: WrappedToDevice };
      const tk = unwrapOnDevice(parsed.device, boxKey, { tenantId: id.tenantId, kid: w.kid, deviceId: id.deviceId });
      if (tk) await this.engine.db.transaction((tx) => tx.run('INSERT INTO tenant_keys (kid, key, created_at) VALUES (?, ?, ?)', [w.kid, tk, new Date().toISOString()]));
    }
    const local = await this.engine.db.all<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys');
    const kid = currentKid(local.map((k) => k.kid));
    if (!kid) return 0;
    const tk = local.find((k) => k.kid === kid)?.key as Buffer;
    const { devices } = await call<{ devices: { deviceId: string; boxKey: string; revokedAt: string | null }[] }>(`${id.cloudUrl}/v1/tenants/${id.tenantId}/devices`, { token });
    const missing = devices.filter((d) => !d.revokedAt && !wraps.some((w) => w.kid === kid && w.deviceId === d.deviceId));
    if (missing.length === 0) return 0;
    const out = missing.map((d) => ({
      deviceId: d.deviceId,
      wrapped: JSON.stringify({ device: wrapToDevice(tk, Buffer.from(d.boxKey, 'base64'), { tenantId: id.tenantId, kid, deviceId: d.deviceId }) }),
    }));
    await call(`${id.cloudUrl}/v1/tenants/${id.tenantId}/keys`, { method: 'PUT', token, body: JSON.stringify({ kid, wraps: out }) });
    return out.length;
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
        await this.engine.destroyLocalKeys();
        return fail('device-revoked', 'This workstation was revoked by the practice admin. Its keys have been destroyed.');
      }
      if (e.code === 'no-tenant-key' || e.code === 'not-enrolled') return fail(e.code, e.message);
      return fail('cloud-unreachable', e.message);
    }
  }
}
