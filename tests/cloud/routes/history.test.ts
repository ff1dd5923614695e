// The history (cloud/routes/history.ts), in-process: sequence numbers, idempotent appends, pages by cursor and size, tenant isolation.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { envelope, type InjectedCloud, injectCloud } from '../../helpers/cloud-inject';
import { randomBytes } from 'node:crypto';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('cuts a page of history at about 16 MB, so large change sets come a few at a time', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Bulk Clinic');
  const d = await cloud.enroll(setupCode);
  const big = () => ({ ...envelope(), ciphertext: randomBytes(7 * 1024 * 1024).toString('base64').slice(0, 7 * 1024 * 1024) });
  for (let i = 0; i < 3; i++) expect((await cloud.push(d, d.tenantId, [big()])).statusCode).toBe(200);
  const first = (await cloud.pull(d, d.tenantId)).json().value.messages as { seq: number }[];
  expect(first.map((m) => m.seq)).toEqual([1, 2]);
  const rest = (await cloud.pull(d, d.tenantId, 2)).json().value.messages as { seq: number }[];
  expect(rest.map((m) => m.seq)).toEqual([3]);
});

it('appends pushed messages with the tenant’s next sequence numbers, idempotently, and serves them by cursor', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const d = await cloud.enroll(setupCode);
  const batch = [envelope(), envelope()];
  expect((await cloud.push(d, d.tenantId, batch)).json().value.stored).toEqual([
    { msgId: batch[0]!.msgId, seq: 1, duplicate: false }, { msgId: batch[1]!.msgId, seq: 2, duplicate: false },
  ]);
  expect((await cloud.push(d, d.tenantId, [batch[1], envelope()])).json().value.stored.map((s: { seq: number }) => s.seq)).toEqual([2, 3]);
  const pulled = (await cloud.pull(d, d.tenantId, 1)).json().value.messages as { seq: number; deviceId: string }[];
  expect(pulled.map((m) => m.seq)).toEqual([2, 3]);
  expect(pulled[0]?.deviceId).toBe(d.deviceId);
  const bad = await cloud.push(d, d.tenantId, [{ ...envelope(), nonce: 'short' }]);
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.code).toBe('invalid-input');
});

it('refuses a device of tenant A that reads, pushes into or replays into tenant B, and B is unchanged', async () => {
  const a = await cloud.enroll((await createTenant(cloud.store, 'Clinic A')).setupCode);
  const b = await cloud.enroll((await createTenant(cloud.store, 'Clinic B')).setupCode);
  const bMessages = [envelope(), envelope()];
  await cloud.push(b, b.tenantId, bMessages);
  const before = (await cloud.pull(b, b.tenantId)).json().value.messages;

  const read = await cloud.pull(a, b.tenantId);
  expect(read.statusCode).toBe(403);
  expect(read.json().error.code).toBe('wrong-tenant');
  const write = await cloud.push(a, b.tenantId, [envelope()]);
  expect(write.json().error.code).toBe('wrong-tenant');
  const replay = await cloud.push(a, b.tenantId, bMessages);
  expect(replay.json().error.code).toBe('wrong-tenant');
  const codes = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${b.tenantId}/enroll-codes`, headers: { authorization: `Bearer ${a.token}` } });
  expect(codes.statusCode).toBe(403);
  const revoke = await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${b.tenantId}/devices/${b.deviceId}/revoke`, headers: { authorization: `Bearer ${a.token}` } });
  expect(revoke.statusCode).toBe(403);
  // A token for A cannot be talked into naming B's device either.
  expect(await cloud.token(b.tenantId, a.deviceId, a.key)).toBe('refused:unauthenticated');

  expect((await cloud.pull(b, b.tenantId)).json().value.messages).toEqual(before);
  expect((await cloud.store.getDevice(b.tenantId, b.deviceId))?.revokedAt).toBeNull();
});
