// No secret reaches the service's log (cloud/http/request-log.ts), nor any other file it keeps:
// a real service process on a data dir is given one of each (the setup code, an enroll code, a
// signed token request and its JWT, a visit link's token and a page's seat, a TURN shared
// secret, a sign-in guard secret), then every file under the data dir is searched for them. The TURN secret is in
// cloud.db and its WAL only sealed (cloud/at-rest.ts).
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tokenChallenge } from '../../../shared/sync/wire';
import { createTenantInDir, startCloudProcess, type CloudProcess } from '../../helpers/cloud-process';
import { raw } from '../../helpers/cloud-inject';
import { tempDir } from '../../helpers/engine';
import { filesUnder } from '../../helpers/files';

let cloud: CloudProcess | undefined;
let dir = '';
afterEach(async () => {
  await cloud?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('keeps every code, token, seat and secret it is given out of its log and its files', async () => {
  dir = await tempDir('chartroom-cloud-secrets-');
  const setupCode = await createTenantInDir(dir, 'Maple Street');
  cloud = await startCloudProcess(dir);
  const base = cloud.url;
  const post = async (path: string, body: unknown, token?: string) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return (await r.json()) as { ok: boolean; value: Record<string, string> };
  };

  const signing = generateKeyPairSync('ed25519');
  const enrolled = (await post('/v1/enroll', { code: setupCode, deviceName: 'Front desk', signingKey: raw(signing.publicKey), boxKey: raw(generateKeyPairSync('x25519').publicKey) })).value;
  const { tenantId, deviceId } = enrolled as { tenantId: string; deviceId: string };
  const timestamp = new Date().toISOString();
  const signature = sign(null, Buffer.from(tokenChallenge(tenantId, deviceId, timestamp)), signing.privateKey).toString('base64');
  const jwt = (await post('/v1/token', { tenantId, deviceId, timestamp, signature })).value.token as string;
  const auth = { authorization: `Bearer ${jwt}` };
  const enrollCode = ((await (await fetch(`${base}/v1/tenants/${tenantId}/enroll-codes`, { method: 'POST', headers: auth })).json()) as { value: { code: string } }).value.code;
  const turnSecret = `turn-${randomBytes(12).toString('hex')}`;
  const put = await fetch(`${base}/v1/tenants/${tenantId}/ice`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ stunUrls: [], turnUrls: ['turn:turn.example.org:3478'], turnSecret }) });
  expect(put.status).toBe(200);
  const visitId = randomUUID();
  const link = await post(`/v1/tenants/${tenantId}/visits`, {
    visitId, validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: new Date(Date.now() + 3600_000).toISOString(),
    identityKey: JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) }),
  }, jwt);
  const linkToken = link.value.token as string;
  expect((await fetch(`${base}/v/${linkToken}`)).status).toBe(200);
  // A mistyped address (no route) is logged without what was asked for.
  expect((await fetch(`${base}/v/${linkToken}/x?seat=${linkToken}`)).status).toBe(404);
  const linkState = (await (await fetch(`${base}/v1/visit-links/${linkToken}`)).json()) as { value: { state: string; iceServers: { username?: string }[] } };
  expect(linkState.value.state).toBe('open');
  // The TURN credentials the patient gets are made with the secret, which still works sealed.
  expect(linkState.value.iceServers[0]?.username).toMatch(new RegExp(`:${visitId}$`));
  const seat = randomBytes(16).toString('base64url');
  const patient = new WebSocket(`${base.replace('http', 'ws')}/v1/visit-links/${linkToken}/socket?seat=${seat}`);
  await new Promise<void>((resolve, reject) => { patient.on('message', () => resolve()); patient.on('error', reject); });
  patient.close();
  // A sign-in guard secret, registered and then used (its hash only is kept).
  const guardSecret = randomBytes(32).toString('base64url');
  const guardPut = await fetch(`${base}/v1/tenants/${tenantId}/sign-in-guard`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ secret: guardSecret }) });
  expect(guardPut.status).toBe(200);
  const guarded = await fetch(`${base}/v1/tenants/${tenantId}/devices/${deviceId}/sign-in/failures`, { method: 'POST', headers: { authorization: `Guard ${guardSecret}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'ab'.repeat(32) }) });
  expect(guarded.status).toBe(200);
  // A wrong code and a bad token are logged as refused, with nothing of what was sent.
  await post('/v1/enroll', { code: 'WRNG-CODE-WRNG-CODE', deviceName: 'x', signingKey: raw(signing.publicKey), boxKey: raw(signing.publicKey) });
  await fetch(`${base}/v1/tenants/${tenantId}/messages?after=0`, { headers: { authorization: `Bearer ${jwt}x` } });
  await cloud.stop();

  const files = await filesUnder(dir);
  const log = await readFile(`${dir}/logs/cloud.log`, 'utf8');
  expect(log).toContain('"route":"/v/:token"');
  expect(log).toContain('"route":"/v1/visit-links/:token/socket"');
  const secrets = { setupCode, enrollCode, jwt, signature, linkToken, seat, turnSecret, guardSecret, wrongCode: 'WRNG-CODE-WRNG-CODE' };
  for (const f of files.filter((x) => !x.endsWith('token-secret'))) {
    const bytes = await readFile(f);
    for (const [name, secret] of Object.entries(secrets)) {
      for (const form of [secret, secret.replace(/-/g, ''), encodeURIComponent(secret)]) {
        expect(bytes.includes(Buffer.from(form)), `${name} found in ${f.slice(dir.length)}`).toBe(false);
      }
    }
  }
  expect(files.map((f) => f.slice(dir.length + 1))).toEqual(expect.arrayContaining(['cloud.db', 'logs/cloud.log']));
}, 60_000);
