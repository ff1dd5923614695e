// Wrapped tenant keys (cloud/routes/keys.ts), in-process: a workstation puts wraps for the
// clinic's devices; each device reads the wraps made for it, the others see only that they exist.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { type InjectedCloud, injectCloud } from '../../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('keeps each wrap for its device, lists the rest without their ciphertext, and refuses a wrap for an unknown device', async () => {
  const { setupCode, tenantId } = await createTenant(cloud.store, 'Maple Street');
  const first = await cloud.enroll(setupCode);
  const code = (await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: { authorization: `Bearer ${first.token}` } })).json().value.code as string;
  const second = await cloud.enroll(code, 'Exam room');
  const put = (wraps: { deviceId: string; wrapped: string }[]) => cloud.app.inject({
    method: 'PUT', url: `/v1/tenants/${tenantId}/keys`, headers: { authorization: `Bearer ${first.token}` }, payload: { kid: 'k1', wraps },
  });
  expect((await put([{ deviceId: first.deviceId, wrapped: 'wrapped-for-the-first' }, { deviceId: second.deviceId, wrapped: 'wrapped-for-the-second' }])).statusCode).toBe(200);
  const read = async (token: string) => (await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/keys`, headers: { authorization: `Bearer ${token}` } })).json().value;
  const mine = await read(second.token);
  expect(mine.mine).toEqual([{ kid: 'k1', wrapped: 'wrapped-for-the-second' }]);
  expect(mine.wraps).toHaveLength(2);
  expect(JSON.stringify(mine.wraps)).not.toContain('wrapped-for-the-first');
  const unknown = await put([{ deviceId: randomUUID(), wrapped: 'wrapped-for-nobody' }]);
  expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'not-found']);
});
