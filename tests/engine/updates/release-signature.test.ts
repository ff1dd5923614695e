// The vendor's release signature (electron/engine/updates/release-signature.ts): a file's hash,
// name, version and channel, signed with Ed25519, checked against the keys built into the app.
// A changed hash, a relabelled version or channel, another key, or garbage is refused in words;
// a second listed key (rotation) is accepted.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { keyIdOf, signRelease, trustedKey, verifyRelease } from '../../../electron/engine/updates/release-signature';

const vendor = generateKeyPairSync('ed25519');
const next = generateKeyPairSync('ed25519');
const raw = (k: typeof vendor.publicKey) => k.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
const installer = randomBytes(4096);
const file = { channel: 'stable', version: '1.4.0', file: 'Chartroom-Setup-1.4.0.exe', sha512: createHash('sha512').update(installer).digest('base64') };

it('accepts the vendor’s signature over a file, and a rotated key the app lists', () => {
  const trusted = [trustedKey(raw(vendor.publicKey))];
  const s = signRelease(vendor.privateKey, vendor.publicKey, file);
  expect(verifyRelease(trusted, file, s)).toEqual({ ok: true, value: { keyId: keyIdOf(vendor.publicKey) } });
  const rotated = signRelease(next.privateKey, next.publicKey, file);
  expect(verifyRelease(trusted, file, rotated)).toMatchObject({ ok: false, error: { code: 'bad-signature', message: expect.stringMatching(/key this version of Chartroom does not trust/) } });
  expect(verifyRelease([...trusted, trustedKey(raw(next.publicKey))], file, rotated).ok).toBe(true);
});

it('refuses a changed file, a relabelled version or channel, and a signature that is not one', () => {
  const trusted = [trustedKey(raw(vendor.publicKey))];
  const s = signRelease(vendor.privateKey, vendor.publicKey, file);
  const other = createHash('sha512').update(Buffer.concat([installer, Buffer.from([0])])).digest('base64');
  for (const changed of [{ ...file, sha512: other }, { ...file, version: '1.5.0' }, { ...file, channel: 'beta' }, { ...file, file: 'Chartroom-1.4.0.AppImage' }]) {
    expect(verifyRelease(trusted, changed, s)).toMatchObject({ ok: false, error: { code: 'bad-signature', message: expect.stringMatching(/does not match its hash, version and channel/) } });
  }
  expect(verifyRelease(trusted, file, { ...s, signature: 'not base64 at all!' }).ok).toBe(false);
  expect(verifyRelease(trusted, file, { ...s, signature: '' }).ok).toBe(false);
  expect(() => trustedKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 bytes/);
});
