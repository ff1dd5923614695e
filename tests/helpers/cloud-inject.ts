// The tenant service in-process (Fastify inject) on its own SQLite file, with the steps route
// tests share: enrol a device with a code, sign for a token, push and pull.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createCloud } from '../../cloud/server';
import { SqliteStore } from '../../cloud/store/sqlite-store';
import { tokenChallenge } from '../../shared/sync/wire';
import { tempDir } from './engine';

export const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');
export const envelope = () => ({ msgId: randomUUID(), kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(48).toString('base64') });

export interface Device { tenantId: string; deviceId: string; key: KeyObject; token: string }

export interface InjectedCloud {
  readonly app: FastifyInstance;
  readonly store: SqliteStore;
  /** The service secret it runs with, for tests that forge what only it should make. */
  readonly secret: Buffer;
  enroll(code: string, name?: string): Promise<Device>;
  token(tenantId: string, deviceId: string, key: KeyObject, timestamp?: string): Promise<string>;
  push(d: Device, tenantId: string, messages: unknown[]): Promise<LightMyRequestResponse>;
  pull(d: Device, tenantId: string, after?: number): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function injectCloud(): Promise<InjectedCloud> {
  const dir = await tempDir('chartroom-cloud-');
  const store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  const secret = randomBytes(32);
  const app = await createCloud({ store, secret });
  const token = async (tenantId: string, deviceId: string, key: KeyObject, timestamp = new Date().toISOString()) => {
    const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), key).toString('base64');
    const r = await app.inject({ method: 'POST', url: '/v1/token', payload: { tenantId, deviceId, timestamp, signature } });
    return r.statusCode === 200 ? (r.json().value.token as string) : `refused:${r.json().error.code}`;
  };
  return {
    app, store, secret, token,
    async enroll(code, name = 'Front desk PC') {
      const signing = generateKeyPairSync('ed25519');
      const box = generateKeyPairSync('x25519');
      const r = await app.inject({ method: 'POST', url: '/v1/enroll', payload: { code, deviceName: name, signingKey: raw(signing.publicKey), boxKey: raw(box.publicKey) } });
      expect(r.statusCode, r.body).toBe(200);
      const { tenantId, deviceId } = r.json().value as { tenantId: string; deviceId: string };
      return { tenantId, deviceId, key: signing.privateKey, token: await token(tenantId, deviceId, signing.privateKey) };
    },
    push: (d, tenantId, messages) => app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/messages`, headers: { authorization: `Bearer ${d.token}` }, payload: { messages } }),
    pull: (d, tenantId, after = 0) => app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/messages?after=${after}`, headers: { authorization: `Bearer ${d.token}` } }),
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
