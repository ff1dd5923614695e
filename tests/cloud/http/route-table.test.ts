// The service is the route table (shared/cloud-api/routes.ts), in-process: every route of it is
// registered at its method and path; every device route refuses a missing token, a token of
// another clinic and a revoked device, each with its own code; every sign-in guard route takes
// only its device's guard secret; and a malformed body or query is
// `invalid-input` naming the field, never echoing it.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCloud, createTenant } from '../../../cloud/server';
import { SqliteStore } from '../../../cloud/store/sqlite-store';
import { publishRelease } from '../../../cloud/updates/publish';
import { cloudRoutes, pathOf, type RouteName } from '../../../shared/cloud-api/routes';
import { tokenChallenge } from '../../../shared/sync/wire';
import { tempDir } from '../../helpers/engine';
import { defaultVendor, makeBuild } from '../../helpers/release-build';

let dir = '';
let app: FastifyInstance;
let store: SqliteStore;
beforeAll(async () => {
  dir = await tempDir('chartroom-routes-');
  store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  app = await createCloud({ store, secret: randomBytes(32) });
  // A published release, so the update file route has something to serve with the guard secret.
  const published = await publishRelease(store.releases, (await makeBuild(dir, '1.0.0')).dir, 'stable', [defaultVendor.publicKey]);
  expect(published.ok, JSON.stringify(published)).toBe(true);
});
afterAll(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');

async function device(name: string): Promise<{ tenantId: string; deviceId: string; token: string }> {
  const { setupCode } = await createTenant(store, name);
  const signing = generateKeyPairSync('ed25519');
  const enrolled = await app.inject({ method: 'POST', url: '/v1/enroll', payload: { code: setupCode, deviceName: name, signingKey: raw(signing.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) } });
  const { tenantId, deviceId } = enrolled.json().value as { tenantId: string; deviceId: string };
  const timestamp = new Date().toISOString();
  const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), signing.privateKey).toString('base64');
  const token = (await app.inject({ method: 'POST', url: '/v1/token', payload: { tenantId, deviceId, timestamp, signature } })).json().value.token as string;
  return { tenantId, deviceId, token };
}

const names = Object.keys(cloudRoutes) as RouteName[];
const deviceRoutes = names.filter((n) => cloudRoutes[n].auth === 'device');
const guardRoutes = names.filter((n) => cloudRoutes[n].auth === 'guard');
const urlOf = (n: RouteName, tenantId: string, deviceId: string = randomUUID()) => pathOf(cloudRoutes[n].path, { tenantId, deviceId, visitId: randomUUID(), blobId: randomUUID(), index: '0', token: 'A'.repeat(22), channelFile: 'latest-linux.yml', version: '1.0.0', file: 'Chartroom-1.0.0.AppImage' });
/** A new caller address for each refused request: failed authentication is rate limited per address. */
let caller = 0;
const from = () => `10.1.${Math.floor(++caller / 250)}.${caller % 250}`;

it('registers every route of the table at its method and path', async () => {
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) {
    const spec = cloudRoutes[n];
    const r = await app.inject({ method: spec.method, url: urlOf(n, randomUUID()) });
    // Fastify's own "no such route" is a 404 without our `{ ok: false, error }` body.
    expect(r.json(), `${spec.method} ${spec.path}`).toHaveProperty('ok', false);
  }
});

it('refuses each device route without a token, with another clinic’s token, and to a revoked device', async () => {
  const a = await device('Clinic A');
  const b = await device('Clinic B');
  const revoked = await device('Clinic C');
  await store.revokeDevice(revoked.tenantId, revoked.deviceId, new Date().toISOString());
  for (const n of deviceRoutes) {
    const spec = cloudRoutes[n];
    const none = await app.inject({ method: spec.method, url: urlOf(n, a.tenantId), remoteAddress: from() });
    expect([none.statusCode, none.json().error.code], `${n} without a token`).toEqual([401, 'unauthenticated']);
    const foreign = await app.inject({ method: spec.method, url: urlOf(n, a.tenantId), headers: { authorization: `Bearer ${b.token}` }, remoteAddress: from() });
    expect([foreign.statusCode, foreign.json().error.code], `${n} with another clinic's token`).toEqual([403, 'wrong-tenant']);
    const cut = await app.inject({ method: spec.method, url: urlOf(n, revoked.tenantId), headers: { authorization: `Bearer ${revoked.token}` }, remoteAddress: from() });
    expect([cut.statusCode, cut.json().error.code], `${n} for a revoked device`).toEqual([401, 'device-revoked']);
  }
});

it('refuses each sign-in guard route without the device’s guard secret, with a wrong one or a device token, and for a revoked device', async () => {
  expect(guardRoutes.length).toBeGreaterThan(0);
  const a = await device('Clinic G');
  const secret = randomBytes(32).toString('base64url');
  const put = await app.inject({ method: 'PUT', url: `/v1/tenants/${a.tenantId}/sign-in-guard`, headers: { authorization: `Bearer ${a.token}` }, payload: { secret } });
  expect(put.statusCode).toBe(200);
  const body = { subject: 'ab'.repeat(32) };
  const ask = (n: RouteName, authorization: string | undefined, deviceId = a.deviceId, tenantId = a.tenantId) =>
    app.inject({ method: cloudRoutes[n].method, url: `${urlOf(n, tenantId, deviceId)}${n === 'updateFeed' || n === 'updateFile' ? '?running=1.0.0' : ''}`, headers: authorization ? { authorization } : {}, ...(cloudRoutes[n].body.safeParse(undefined).success ? {} : { payload: n === 'reportUpdate' ? { kind: 'running', version: '1.0.0', detail: null } : body }), remoteAddress: from() });
  const other = await device('Clinic H');
  for (const n of guardRoutes) {
    expect((await ask(n, `Guard ${secret}`)).statusCode, `${n} with the secret`).toBe(200);
    for (const [what, auth, deviceId, tenantId] of [
      ['no credential', undefined, a.deviceId, a.tenantId],
      ['a wrong secret', `Guard ${randomBytes(32).toString('base64url')}`, a.deviceId, a.tenantId],
      ['the device token', `Bearer ${a.token}`, a.deviceId, a.tenantId],
      ['the secret for another device', `Guard ${secret}`, other.deviceId, other.tenantId],
    ] as const) {
      const r = await ask(n, auth, deviceId, tenantId);
      expect([r.statusCode, r.json().error.code], `${n} with ${what}`).toEqual([401, 'unauthenticated']);
    }
  }
  await store.revokeDevice(a.tenantId, a.deviceId, new Date().toISOString());
  for (const n of guardRoutes) {
    const r = await ask(n, `Guard ${secret}`);
    expect([r.statusCode, r.json().error.code], `${n} for a revoked device`).toEqual([401, 'device-revoked']);
  }
});

it('answers invalid-input naming the field, without echoing what was sent', async () => {
  const a = await device('Clinic D');
  const secret = `PHI-${randomUUID()}`;
  const withBody = deviceRoutes.filter((n) => cloudRoutes[n].method !== 'GET');
  for (const n of withBody) {
    const spec = cloudRoutes[n];
    const r = await app.inject({ method: spec.method, url: urlOf(n, a.tenantId), headers: { authorization: `Bearer ${a.token}` }, payload: { unexpected: secret }, remoteAddress: from() });
    expect([r.statusCode, r.json().error.code], n).toEqual([400, 'invalid-input']);
    expect(r.body, n).not.toContain(secret);
  }
  const badQuery = await app.inject({ method: 'GET', url: `/v1/tenants/${a.tenantId}/messages?after=${secret}`, headers: { authorization: `Bearer ${a.token}` } });
  expect([badQuery.statusCode, badQuery.json().error.message]).toEqual([400, expect.stringMatching(/^After: /)]);
  expect(badQuery.body).not.toContain(secret);
  const badParams = await app.inject({ method: 'GET', url: `/v1/tenants/${secret}/messages`, headers: { authorization: `Bearer ${a.token}` } });
  expect([badParams.statusCode, badParams.json().error.message]).toEqual([400, expect.stringMatching(/^Tenant id: /)]);
});
