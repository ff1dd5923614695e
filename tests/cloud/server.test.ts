// The tenant service in-process (Fastify inject): enrollment with one-time codes, signed token
// requests, pushing and pulling, tenant isolation, and revocation that bites on the next request.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Tokens } from '../../cloud/auth';
import { createCloud, createTenant } from '../../cloud/server';
import { SqliteStore } from '../../cloud/store/sqlite-store';
import { tokenChallenge } from '../../shared/sync/wire';
import { tempDir } from '../helpers/engine';

let dir = '';
let app: FastifyInstance;
let store: SqliteStore;

beforeEach(async () => {
  dir = await tempDir('chartroom-cloud-');
  store = new SqliteStore(join(dir, 'cloud.db'));
  await store.migrate();
  app = await createCloud({ store, tokens: new Tokens(randomBytes(32)) });
});
afterEach(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const raw = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');

interface Device { tenantId: string; deviceId: string; key: KeyObject; token: string }

async function enroll(code: string, name = 'Front desk PC'): Promise<Device> {
  const signing = generateKeyPairSync('ed25519');
  const box = generateKeyPairSync('x25519');
  const r = await app.inject({ method: 'POST', url: '/v1/enroll', payload: { code, deviceName: name, signingKey: raw(signing.publicKey), boxKey: raw(box.publicKey) } });
  expect(r.statusCode, r.body).toBe(200);
  const { tenantId, deviceId } = r.json().value as { tenantId: string; deviceId: string };
  return { tenantId, deviceId, key: signing.privateKey, token: await token(tenantId, deviceId, signing.privateKey) };
}

async function token(tenantId: string, deviceId: string, key: KeyObject, timestamp = new Date().toISOString()) {
  const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), key).toString('base64');
  const r = await app.inject({ method: 'POST', url: '/v1/token', payload: { tenantId, deviceId, timestamp, signature } });
  return r.statusCode === 200 ? (r.json().value.token as string) : `refused:${r.json().error.code}`;
}

const envelope = () => ({ msgId: randomUUID(), kid: 'k1', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(48).toString('base64') });
const push = (d: Device, tenantId: string, messages: unknown[]) =>
  app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/messages`, headers: { authorization: `Bearer ${d.token}` }, payload: { messages } });
const pull = (d: Device, tenantId: string, after = 0) =>
  app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/messages?after=${after}`, headers: { authorization: `Bearer ${d.token}` } });

describe('tenant service', () => {
  it('cuts a page of history at about 16 MB, so large change sets come a few at a time', async () => {
    const { setupCode } = await createTenant(store, 'Bulk Clinic');
    const d = await enroll(setupCode);
    const big = () => ({ ...envelope(), ciphertext: randomBytes(7 * 1024 * 1024).toString('base64').slice(0, 7 * 1024 * 1024) });
    for (let i = 0; i < 3; i++) expect((await push(d, d.tenantId, [big()])).statusCode).toBe(200);
    const first = (await pull(d, d.tenantId)).json().value.messages as { seq: number }[];
    expect(first.map((m) => m.seq)).toEqual([1, 2]);
    const rest = (await pull(d, d.tenantId, 2)).json().value.messages as { seq: number }[];
    expect(rest.map((m) => m.seq)).toEqual([3]);
  });

  it('answers health and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ ok: true });
    expect((await app.inject('/readyz')).json()).toEqual({ ok: true });
  });

  it('enrolls the first workstation with the setup code once, and later ones with codes it issues', async () => {
    const { tenantId, setupCode } = await createTenant(store, 'Maple Street');
    const first = await enroll(setupCode.toLowerCase());
    expect(first.tenantId).toBe(tenantId);
    const reuse = await app.inject({ method: 'POST', url: '/v1/enroll', payload: { code: setupCode, deviceName: 'x', signingKey: raw(generateKeyPairSync('ed25519').publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) } });
    expect(reuse.statusCode).toBe(403);
    expect(reuse.json().error.code).toBe('invalid-code');
    const issued = await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: { authorization: `Bearer ${first.token}` } });
    const second = await enroll(issued.json().value.code as string, 'Exam room 2');
    expect(second.tenantId).toBe(tenantId);
    const list = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/devices`, headers: { authorization: `Bearer ${second.token}` } });
    expect((list.json().value.devices as { name: string }[]).map((d) => d.name)).toEqual(['Front desk PC', 'Exam room 2']);
  });

  it('gives tokens only for a valid, fresh signature by the enrolled key', async () => {
    const { setupCode } = await createTenant(store, 'Clinic');
    const d = await enroll(setupCode);
    expect(d.token.startsWith('refused')).toBe(false);
    expect(await token(d.tenantId, d.deviceId, generateKeyPairSync('ed25519').privateKey)).toBe('refused:unauthenticated');
    expect(await token(d.tenantId, d.deviceId, d.key, new Date(Date.now() - 10 * 60_000).toISOString())).toBe('refused:unauthenticated');
    expect(await token(d.tenantId, randomUUID(), d.key)).toBe('refused:unauthenticated');
    const forged = await pull({ ...d, token: `${d.token.slice(0, -4)}AAAA` }, d.tenantId);
    expect(forged.statusCode).toBe(401);
  });

  it('appends pushed messages with the tenant’s next sequence numbers, idempotently, and serves them by cursor', async () => {
    const { setupCode } = await createTenant(store, 'Clinic');
    const d = await enroll(setupCode);
    const batch = [envelope(), envelope()];
    expect((await push(d, d.tenantId, batch)).json().value.stored).toEqual([
      { msgId: batch[0]!.msgId, seq: 1, duplicate: false }, { msgId: batch[1]!.msgId, seq: 2, duplicate: false },
    ]);
    expect((await push(d, d.tenantId, [batch[1], envelope()])).json().value.stored.map((s: { seq: number }) => s.seq)).toEqual([2, 3]);
    const pulled = (await pull(d, d.tenantId, 1)).json().value.messages as { seq: number; deviceId: string }[];
    expect(pulled.map((m) => m.seq)).toEqual([2, 3]);
    expect(pulled[0]?.deviceId).toBe(d.deviceId);
    const bad = await push(d, d.tenantId, [{ ...envelope(), nonce: 'short' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-input');
  });

  it('refuses a device of tenant A that reads, pushes into or replays into tenant B, and B is unchanged', async () => {
    const a = await enroll((await createTenant(store, 'Clinic A')).setupCode);
    const b = await enroll((await createTenant(store, 'Clinic B')).setupCode);
    const bMessages = [envelope(), envelope()];
    await push(b, b.tenantId, bMessages);
    const before = (await pull(b, b.tenantId)).json().value.messages;

    const read = await pull(a, b.tenantId);
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('wrong-tenant');
    const write = await push(a, b.tenantId, [envelope()]);
    expect(write.json().error.code).toBe('wrong-tenant');
    const replay = await push(a, b.tenantId, bMessages);
    expect(replay.json().error.code).toBe('wrong-tenant');
    const codes = await app.inject({ method: 'POST', url: `/v1/tenants/${b.tenantId}/enroll-codes`, headers: { authorization: `Bearer ${a.token}` } });
    expect(codes.statusCode).toBe(403);
    const revoke = await app.inject({ method: 'POST', url: `/v1/tenants/${b.tenantId}/devices/${b.deviceId}/revoke`, headers: { authorization: `Bearer ${a.token}` } });
    expect(revoke.statusCode).toBe(403);
    // A token for A cannot be talked into naming B's device either.
    expect(await token(b.tenantId, a.deviceId, a.key)).toBe('refused:unauthenticated');

    expect((await pull(b, b.tenantId)).json().value.messages).toEqual(before);
    expect((await store.getDevice(b.tenantId, b.deviceId))?.revokedAt).toBeNull();
  });

  it('streams "more" to a tenant’s listening devices only, and refuses a socket for another tenant', async () => {
    const a = await enroll((await createTenant(store, 'Clinic A')).setupCode);
    const b = await enroll((await createTenant(store, 'Clinic B')).setupCode);
    const base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
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
    await push(b, b.tenantId, [envelope()]);
    await new Promise((r) => setTimeout(r, 200));
    expect(heardB).toEqual(['{"type":"hello"}', '{"type":"more"}']);
    expect(heardA).toEqual(['{"type":"hello"}']);
    socketA.close();
    socketB.close();
  });

  it('revocation bites on the revoked device’s very next request, and it gets no new token', async () => {
    const { setupCode, tenantId } = await createTenant(store, 'Clinic');
    const admin = await enroll(setupCode);
    const code = (await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/enroll-codes`, headers: { authorization: `Bearer ${admin.token}` } })).json().value.code;
    const stolen = await enroll(code, 'Stolen laptop');
    expect((await pull(stolen, tenantId)).statusCode).toBe(200);
    const r = await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/devices/${stolen.deviceId}/revoke`, headers: { authorization: `Bearer ${admin.token}` } });
    expect(r.statusCode).toBe(200);
    const next = await pull(stolen, tenantId);
    expect(next.statusCode).toBe(401);
    expect(next.json().error.code).toBe('device-revoked');
    expect((await push(stolen, tenantId, [envelope()])).json().error.code).toBe('device-revoked');
    expect(await token(tenantId, stolen.deviceId, stolen.key)).toBe('refused:device-revoked');
    expect((await push(admin, tenantId, [envelope()])).statusCode).toBe(200);
  });
});
