// Snapshots (cloud/routes/snapshots.ts), in-process: the newest one comes back whole, or with
// `?meta=1` only where it stands; an update of a kept snapshot is refused by the store.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { type InjectedCloud, injectCloud } from '../../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('serves the newest snapshot, or only where it stands', async () => {
  const { setupCode, tenantId } = await createTenant(cloud.store, 'Maple Street');
  const d = await cloud.enroll(setupCode);
  const auth = { authorization: `Bearer ${d.token}` };
  const empty = await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/snapshots/latest`, headers: auth });
  expect(empty.json().value).toEqual({ snapshot: null });
  const snap = (seq: number) => ({ snapshotId: randomUUID(), seq, kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(64).toString('base64') });
  const older = snap(10);
  const newer = snap(20);
  for (const s of [older, newer]) expect((await cloud.app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/snapshots`, headers: auth, payload: s })).statusCode).toBe(200);
  const latest = (await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/snapshots/latest`, headers: auth })).json().value.snapshot;
  expect(latest).toMatchObject({ ...newer, deviceId: d.deviceId });
  const meta = (await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/snapshots/latest?meta=1`, headers: auth })).json().value.snapshot;
  expect(meta).toMatchObject({ snapshotId: newer.snapshotId, seq: 20 });
  expect(meta).not.toHaveProperty('ciphertext');
});
