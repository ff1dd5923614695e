// A workstation in a busy clinic (electron/engine/sync/sync-round.ts): while other devices push
// to the tenant without pause, the background rounds stay bounded (push first, then a bounded
// pull), so a patient registered here reaches the cloud within a second, and a round ends.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { tokenChallenge } from '../../../shared/sync/wire';
import { startTestCloud } from '../../helpers/cloud';
import { raw } from '../../helpers/cloud-inject';
import { adminPassword, openEngine, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A device of the tenant that pushes batches of (unreadable to others) change sets until stopped. */
async function pusher(url: string, tenantId: string, code: string) {
  const keys = generateKeyPairSync('ed25519');
  const post = async (path: string, body: unknown, token?: string) =>
    (await (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as { value: Record<string, string> };
  const { deviceId } = (await post('/v1/enroll', { code, deviceName: `Busy ${randomUUID().slice(0, 4)}`, signingKey: raw(keys.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) })).value as { deviceId: string };
  const timestamp = new Date().toISOString();
  const token = (await post('/v1/token', { tenantId, deviceId, timestamp, signature: sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), keys.privateKey).toString('base64') })).value.token as string;
  let running = true;
  let pushed = 0;
  const loop = (async () => {
    while (running) {
      const messages = Array.from({ length: 100 }, () => ({ msgId: randomUUID(), kid: 'k-other', nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(48).toString('base64') }));
      await post(`/v1/tenants/${tenantId}/messages`, { messages }, token);
      pushed += messages.length;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { stop: async () => { running = false; await loop; return pushed; } };
}

it('sends a local write within a second while other devices push without pause', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { setupCode, tenantId } = await createTenant(cloud.store, 'Busy Clinic');
  const first = await setUpClinic({ username: 'ada' });
  await first.engine.close();
  const a = await openEngine(first.dataDir, { autoSync: true });
  cleanups.push(async () => { await a.engine.close(); await first.cleanup(); });
  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  value(await a.api.call('sync.enroll', { cloudUrl: cloud.url, code: setupCode, deviceName: 'Front desk' }));
  const mine = value(await a.api.call('devices.list', {})).find((d) => d.thisWorkstation)?.deviceId;
  const codes = await Promise.all([1, 2].map(async () => value(await a.api.call('devices.enrollCode', {})).code));
  const pushers = await Promise.all(codes.map((c) => pusher(cloud.url, tenantId, c)));
  cleanups.push(async () => { for (const p of pushers) await p.stop(); });
  // Let the history run ahead of this workstation.
  await new Promise((r) => setTimeout(r, 1500));

  // Watches the history as it grows, for this workstation's change sets.
  let cursor = 0;
  const sentSince = async () => {
    const page = await cloud.store.pull(tenantId, cursor, 100_000);
    cursor = page.at(-1)?.seq ?? cursor;
    return page.some((m) => m.deviceId === mine);
  };
  const latencies: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sentSince();
    const wrote = Date.now();
    const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: ['Quillfeather', 'Marchbanks', 'Oyelaran'][i], givenNames: 'Nora', dateOfBirth: `19${50 + i * 11}-0${i + 2}-1${i}`, phone: `(555) 301-00${i}${i}` }) }));
    expect(reg.status).toBe('created');
    while (!(await sentSince())) {
      if (Date.now() - wrote > 10_000) throw new Error('the write did not leave within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.push(Date.now() - wrote);
  }
  const pushed = await Promise.all(pushers.map((p) => p.stop()));
  expect(pushed.reduce((s, n) => s + n, 0)).toBeGreaterThan(2000);
  expect(Math.max(...latencies), `latencies ${latencies.join(', ')} ms`).toBeLessThan(1000);
}, 60_000);
