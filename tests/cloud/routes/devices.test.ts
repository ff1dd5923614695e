// Devices (cloud/routes/devices.ts), in-process: revocation bites on the very next request.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { envelope, type InjectedCloud, injectCloud } from '../../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('revocation bites on the revoked device’s very next request, and it gets no new token', async () => {
  const { setupCode, tenantId } = await createTenant(cloud.store, 'Clinic');
  const admin = await cloud.enroll(setupCode);
  const code = (await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: { authorization: `Bearer ${admin.token}` } })).json().value.code;
  const stolen = await cloud.enroll(code, 'Stolen laptop');
  expect((await cloud.pull(stolen, tenantId)).statusCode).toBe(200);
  const r = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/devices/${stolen.deviceId}/revoke`, headers: { authorization: `Bearer ${admin.token}` } });
  expect(r.statusCode).toBe(200);
  const next = await cloud.pull(stolen, tenantId);
  expect(next.statusCode).toBe(401);
  expect(next.json().error.code).toBe('device-revoked');
  expect((await cloud.push(stolen, tenantId, [envelope()])).json().error.code).toBe('device-revoked');
  expect(await cloud.token(tenantId, stolen.deviceId, stolen.key)).toBe('refused:device-revoked');
  expect((await cloud.push(admin, tenantId, [envelope()])).statusCode).toBe(200);
});
