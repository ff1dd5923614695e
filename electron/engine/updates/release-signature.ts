// The vendor's signature over one file of a release (issue 13, point 1): Ed25519 over the file's
// SHA-512, its name, the version and the channel, so a feed or a TLS path the vendor does not
// control cannot offer a file, relabel a version, or move a build from beta to stable.
// electron-updater checks only the hash its unsigned manifest names; this is checked beside it,
// against the public keys built into the app (more than one, so a key can be rotated: releases
// are signed with the new key once every installed build lists it).
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/errors';

/** What a signature covers. `sha512` is base64, as electron-builder writes it in `latest*.yml`. */
export interface ReleaseFile {
  readonly channel: string;
  readonly version: string;
  readonly file: string;
  readonly sha512: string;
}

export interface ReleaseSignature {
  /** Which vendor key made it (the first 16 hex digits of the SHA-256 of its raw public key). */
  readonly keyId: string;
  /** Ed25519, base64. */
  readonly signature: string;
}

/** A public key the app trusts, as built in (raw 32 bytes, base64). */
export interface TrustedKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

const statement = (f: ReleaseFile) => Buffer.from(`chartroom/release/v1\n${f.channel}\n${f.version}\n${f.file}\n${f.sha512}`);

const rawOf = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).subarray(-32);

export const keyIdOf = (publicKey: KeyObject) => createHash('sha256').update(rawOf(publicKey)).digest('hex').slice(0, 16);

/** A built-in key from its raw base64 form. */
export function trustedKey(rawBase64: string): TrustedKey {
  const raw = Buffer.from(rawBase64, 'base64');
  if (raw.length !== 32) throw new Error('a release key is 32 bytes');
  const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
  return { keyId: keyIdOf(publicKey), publicKey };
}

/** The signing side (the release command, on the vendor's offline machine). */
export function signRelease(privateKey: KeyObject, publicKey: KeyObject, f: ReleaseFile): ReleaseSignature {
  return { keyId: keyIdOf(publicKey), signature: sign(null, statement(f), privateKey).toString('base64') };
}

/** Checks a file's signature against the keys the app trusts; which key, or why not. */
export function verifyRelease(trusted: readonly TrustedKey[], f: ReleaseFile, s: ReleaseSignature): Result<{ keyId: string }> {
  const key = trusted.find((k) => k.keyId === s.keyId);
  if (!key) return fail('bad-signature', `The release ${f.version} is signed with a key this version of Chartroom does not trust.`);
  let good = false;
  try {
    good = verify(null, statement(f), key.publicKey, Buffer.from(s.signature, 'base64'));
  } catch {
    good = false;
  }
  if (!good) return fail('bad-signature', `The signature of ${f.file} does not match its hash, version and channel: it is not the vendor's release ${f.version}.`);
  return ok({ keyId: key.keyId });
}
