// The public doors are rate limited (cloud/http/rate-limits.ts): guessed enrolment codes, bad
// tokens and unknown visit links from one address are answered `rate-limited` (429, with
// Retry-After) once past their limit, and a tenant's own devices are not held back by a guesser
// elsewhere.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { limits } from '../../../cloud/http/rate-limits';
import { createTenant } from '../../../cloud/server';
import { type InjectedCloud, injectCloud, raw } from '../../helpers/cloud-inject';

let cloud: InjectedCloud;
beforeEach(async () => { cloud = await injectCloud(); });
afterEach(async () => cloud.close());

const from = (address: string) => ({ remoteAddress: address });

it('answers guessed enrolment codes from one address with rate-limited past the limit', async () => {
  const key = raw(generateKeyPairSync('ed25519').publicKey);
  const guess = (address: string) => cloud.app.inject({ method: 'POST', url: '/v1/enroll', ...from(address), payload: { code: `GUES-${randomBytes(4).toString('hex')}`, deviceName: 'x', signingKey: key, boxKey: key } });
  const codes: number[] = [];
  for (let i = 0; i < limits.enrollPerAddress.max + 1; i++) codes.push((await guess('203.0.113.7')).statusCode);
  expect(codes.slice(0, -1).every((c) => c === 403)).toBe(true);
  const last = await guess('203.0.113.7');
  expect(last.statusCode).toBe(429);
  expect(last.json().error.code).toBe('rate-limited');
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  // Another address is still answered.
  expect((await guess('203.0.113.8')).statusCode).toBe(403);
});

it('answers bad tokens from one address with rate-limited, while a good token from elsewhere works', async () => {
  const { setupCode } = await createTenant(cloud.store, 'Clinic');
  const d = await cloud.enroll(setupCode);
  const bad = () => cloud.app.inject({ method: 'GET', url: `/v1/tenants/${d.tenantId}/messages?after=0`, ...from('198.51.100.9'), headers: { authorization: 'Bearer not-a-token' } });
  for (let i = 0; i < limits.failedAuthPerAddress.max; i++) expect((await bad()).statusCode).toBe(401);
  const refused = await bad();
  expect(refused.statusCode).toBe(429);
  expect(refused.json().error.code).toBe('rate-limited');
  // The guesser's address is held back even with a good token; the clinic's own address is not.
  expect((await cloud.app.inject({ method: 'GET', url: `/v1/tenants/${d.tenantId}/messages?after=0`, ...from('198.51.100.9'), headers: { authorization: `Bearer ${d.token}` } })).statusCode).toBe(429);
  expect((await cloud.pull(d, d.tenantId)).statusCode).toBe(200);
});

it('answers lookups of visit links from one address with rate-limited past the limit', async () => {
  const look = () => cloud.app.inject({ method: 'GET', url: `/v1/visit-links/${randomBytes(16).toString('base64url')}`, ...from('192.0.2.44') });
  for (let i = 0; i < limits.linkPerAddress.max; i++) expect((await look()).statusCode).toBe(404);
  const refused = await look();
  expect(refused.statusCode).toBe(429);
  expect(refused.json().error.code).toBe('rate-limited');
});
