// Enrolment and tokens (cloud/routes/enrollment.ts), in-process: one-time codes, issued codes, signed token requests.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { type InjectedCloud, injectCloud, raw } from '../../helpers/cloud-inject';
import { generateKeyPairSync, randomUUID } from 'node:crypto';

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
