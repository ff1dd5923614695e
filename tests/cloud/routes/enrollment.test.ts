// Enrolment and tokens (cloud/routes/enrollment.ts), in-process: one-time codes, issued codes, signed token requests.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { type InjectedCloud, injectCloud, raw } from '../../helpers/cloud-inject';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { deriveServiceKey } from '../../../cloud/at-rest';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('enrolls the first workstation with the setup code once, and later ones with codes it issues', async () => {
  const { tenantId, setupCode } = await createTenant(cloud.store, 'Maple Street');
  const first = await cloud.enroll(setupCode.toLowerCase());
  expect(first.tenantId).toBe(tenantId);
  const reuse = await cloud.app.inject({ method: 'POST', url: '/v1/enroll', payload: { code: setupCode, deviceName: 'x', signingKey: raw(generateKeyPairSync('ed25519').publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) } });
  expect(reuse.statusCode).toBe(403);
  expect(reuse.json().error.code).toBe('invalid-code');
  const issued = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: { authorization: `Bearer ${first.token}` } });
  const second = await cloud.enroll(issued.json().value.code as string, 'Exam room 2');
  expect(second.tenantId).toBe(tenantId);
  const list = await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/devices`, headers: { authorization: `Bearer ${second.token}` } });
  expect((list.json().value.devices as { name: string }[]).map((d) => d.name)).toEqual(['Front desk PC', 'Exam room 2']);
});

it('gives tokens only for a valid, fresh signature by the enrolled key', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const d = await cloud.enroll(setupCode);
  expect(d.token.startsWith('refused')).toBe(false);
  expect(await cloud.token(d.tenantId, d.deviceId, generateKeyPairSync('ed25519').privateKey)).toBe('refused:unauthenticated');
  expect(await cloud.token(d.tenantId, d.deviceId, d.key, new Date(Date.now() - 10 * 60_000).toISOString())).toBe('refused:unauthenticated');
  expect(await cloud.token(d.tenantId, randomUUID(), d.key)).toBe('refused:unauthenticated');
  const forged = await cloud.pull({ ...d, token: `${d.token.slice(0, -4)}AAAA` }, d.tenantId);
  expect(forged.statusCode).toBe(401);
});

it('gives one token per signed request: the same request sent again is refused, however soon', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const d = await cloud.enroll(setupCode);
  const timestamp = new Date(Date.now() + 1).toISOString();
  expect(await cloud.token(d.tenantId, d.deviceId, d.key, timestamp)).not.toMatch(/^refused/);
  expect(await cloud.token(d.tenantId, d.deviceId, d.key, timestamp)).toBe('refused:unauthenticated');
  // A new request (a new timestamp, so a new signature) is fine.
  expect(await cloud.token(d.tenantId, d.deviceId, d.key, new Date(Date.now() + 2).toISOString())).not.toMatch(/^refused/);
});

it('refuses a token signed with its own key that lacks an expiry, an issue time or the audience', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const d = await cloud.enroll(setupCode);
  const key = new Uint8Array(deriveServiceKey(cloud.secret, 'jwt'));
  const now = Math.floor(Date.now() / 1000);
  const make = (fill: (j: SignJWT) => SignJWT) => fill(new SignJWT({ tid: d.tenantId }).setProtectedHeader({ alg: 'HS256' }).setSubject(d.deviceId)).sign(key);
  const forged = {
    complete: await make((j) => j.setIssuedAt(now).setExpirationTime(now + 300).setAudience('chartroom-cloud')),
    noExpiry: await make((j) => j.setIssuedAt(now).setAudience('chartroom-cloud')),
    noIssuedAt: await make((j) => j.setExpirationTime(now + 300).setAudience('chartroom-cloud')),
    noAudience: await make((j) => j.setIssuedAt(now).setExpirationTime(now + 300)),
    forAYear: await make((j) => j.setIssuedAt(now - 3600).setExpirationTime(now + 365 * 86400).setAudience('chartroom-cloud')),
  };
  const status = async (token: string) => (await cloud.pull({ ...d, token }, d.tenantId)).statusCode;
  expect(await status(forged.complete)).toBe(200);
  expect(await status(forged.noExpiry)).toBe(401);
  expect(await status(forged.noIssuedAt)).toBe(401);
  expect(await status(forged.noAudience)).toBe(401);
  expect(await status(forged.forAYear)).toBe(401);
});
