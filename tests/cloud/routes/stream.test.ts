// The tenant stream (cloud/routes/stream.ts): "more" reaches the tenant's listening devices only.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { type Device, envelope, type InjectedCloud, injectCloud } from '../../helpers/cloud-inject';
import WebSocket from 'ws';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

it('streams "more" to a tenant’s listening devices only, and refuses a socket for another tenant', async () => {
  const a = await cloud.enroll((await createTenant(cloud.store, 'Clinic A')).setupCode);
  const b = await cloud.enroll((await createTenant(cloud.store, 'Clinic B')).setupCode);
  const base = (await cloud.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
  const open = (d: Device, tenantId: string) => new WebSocket(`${base}/v1/tenants/${tenantId}/stream`, { headers: { authorization: `Bearer ${d.token}` } });
  const intruder = open(a, b.tenantId);
  expect(await new Promise<number>((resolve) => intruder.on('close', (code) => resolve(code)))).toBe(1008);
  const socketA = open(a, a.tenantId);
  const socketB = open(b, b.tenantId);
  const heardA: string[] = [];
  const heardB: string[] = [];
  socketA.on('message', (m) => heardA.push(String(m)));
  socketB.on('message', (m) => heardB.push(String(m)));
  await new Promise((r) => setTimeout(r, 200));
  await cloud.push(b, b.tenantId, [envelope()]);
  await new Promise((r) => setTimeout(r, 200));
  expect(heardB).toEqual(['{"type":"hello"}', '{"type":"more"}']);
  expect(heardA).toEqual(['{"type":"hello"}']);
  socketA.close();
  socketB.close();
});
