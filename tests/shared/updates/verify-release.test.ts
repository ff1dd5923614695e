// The vendor's release signature (shared/updates/verify-release.ts): a file's hash, name,
// version and channel, signed with Ed25519 by `release sign`, checked against the keys a build
// trusts. A changed hash, a relabelled version, channel or file, another key, or garbage is
// refused in words; a second listed key (rotation) is accepted; a rollback grant is checked too.
import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { readSignatures } from '../../../cloud/updates/release-dir';
import { signRollback } from '../../../cloud/updates/sign';
import { keyIdOf } from '../../../shared/updates/ed25519';
import { verifyFileSignature, verifyRollbackGrant } from '../../../shared/updates/verify-release';
import { tempDir } from '../../helpers/engine';
import { makeBuild, makeVendor } from '../../helpers/release-build';

const vendor = makeVendor();
const next = makeVendor();

async function signedBuild(by = vendor) {
  const root = await tempDir('chartroom-sig-');
  const b = await makeBuild(root, '1.4.0', { vendor: by });
  const sigs = await readSignatures(b.dir);
  if (!sigs.ok) throw new Error(sigs.error.message);
  const s = sigs.value.files.find((f) => f.file === b.appImage);
  if (!s) throw new Error('the AppImage is not signed');
  return { b, s };
}

it('accepts the vendor’s signature over a file, and a rotated key only once the app lists it', async () => {
  const { s, b } = await signedBuild();
  expect(s.sha512).toBe(createHash('sha512').update(b.appImageBytes).digest('base64'));
  const at = { channel: 'stable', version: '1.4.0' };
  expect(await verifyFileSignature([vendor.publicKey], at, s)).toEqual({ ok: true, value: { keyId: await keyIdOf(vendor.publicKey) } });
  const rotated = (await signedBuild(next)).s;
  expect(await verifyFileSignature([vendor.publicKey], at, rotated)).toMatchObject({ ok: false, error: { code: 'bad-signature', message: expect.stringMatching(/key this version of Chartroom does not trust/) } });
  expect((await verifyFileSignature([vendor.publicKey, next.publicKey], at, rotated)).ok).toBe(true);
});

it('refuses a changed file, a relabelled version, channel or name, and a signature that is not one', async () => {
  const { s } = await signedBuild();
  const other = createHash('sha512').update(randomBytes(64)).digest('base64');
  const at = { channel: 'stable', version: '1.4.0' };
  for (const [where, sig] of [[at, { ...s, sha512: other }], [{ ...at, version: '1.5.0' }, s], [{ ...at, channel: 'beta' }, s], [at, { ...s, file: 'Chartroom-Setup-1.4.0.exe' }]] as const) {
    expect(await verifyFileSignature([vendor.publicKey], where, sig)).toMatchObject({ ok: false, error: { code: 'bad-signature', message: expect.stringMatching(/does not match its hash, version and channel/) } });
  }
  for (const signature of ['not base64 at all!', '', Buffer.alloc(64).toString('base64')]) {
    expect((await verifyFileSignature([vendor.publicKey], at, { ...s, signature })).ok).toBe(false);
  }
  expect((await verifyFileSignature([Buffer.alloc(31).toString('base64')], at, s)).ok).toBe(false);
});

it('checks a rollback grant: the vendor’s, for that channel and version only', async () => {
  const g = await signRollback('stable', '1.0.0', vendor.privateKey);
  expect((await verifyRollbackGrant([vendor.publicKey], g)).ok).toBe(true);
  expect(await verifyRollbackGrant([vendor.publicKey], { ...g, version: '0.9.0' })).toMatchObject({ ok: false, error: { code: 'bad-signature', message: 'The rollback to 0.9.0 is not signed by the vendor.' } });
  expect((await verifyRollbackGrant([vendor.publicKey], { ...g, channel: 'beta' })).ok).toBe(false);
  expect((await verifyRollbackGrant([next.publicKey], g)).ok).toBe(false);
});
