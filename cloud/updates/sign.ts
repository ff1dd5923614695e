// The vendor's side, on the offline signing machine (docs/release-keys.md): making a release
// key, signing a build's files for a version and channel, and signing a rollback grant. The
// private key is a PKCS#8 PEM file, written 0600 and never sent anywhere.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { keyIdOf } from '../../shared/updates/ed25519';
import { type Channel, fileStatement, type RollbackGrant, rollbackStatement, SIGNATURES_FILE, type SignaturesFile } from '../../shared/updates/release';
import { readReleaseDir } from './release-dir';

const rawPublic = (k: KeyObject) => createPublicKey(k).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');

/** A new release key: the private half into `out` (0600, never overwritten), the public half (raw, base64) answered for release-keys.ts. */
export async function makeReleaseKey(out: string): Promise<{ publicKey: string; keyId: string }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(out, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  const publicKey = rawPublic(privateKey);
  return { publicKey, keyId: await keyIdOf(publicKey) };
}

export async function loadReleaseKey(file: string): Promise<Result<KeyObject>> {
  try {
    const key = createPrivateKey(await readFile(file, 'utf8'));
    return key.asymmetricKeyType === 'ed25519' ? ok(key) : fail('invalid-input', `${file} is not an Ed25519 release key.`);
  } catch {
    return fail('invalid-input', `${file} is not a release key (a PKCS#8 PEM file made by \`release keygen\`).`);
  }
}

/** Signs every file the build's manifests list, for its version and `channel`, into chartroom-signatures.json. */
export async function signReleaseDir(dir: string, channel: Channel, key: KeyObject): Promise<Result<SignaturesFile>> {
  const read = await readReleaseDir(dir);
  if (!read.ok) return read;
  const keyId = await keyIdOf(rawPublic(key));
  const { version } = read.value;
  const files = [...new Map(Object.values(read.value.manifests).flat().map((f) => [f.file, f])).values()].map((f) => ({
    file: f.file, sha512: f.sha512, keyId, signature: sign(null, Buffer.from(fileStatement({ channel, version, file: f.file, sha512: f.sha512 })), key).toString('base64'),
  }));
  const out: SignaturesFile = { format: 'chartroom-release-signatures/v1', version, channel, files };
  await writeFile(join(dir, SIGNATURES_FILE), `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  return ok(out);
}

/** The vendor's permission for workstations on `channel` to go back to `version`. */
export async function signRollback(channel: Channel, version: string, key: KeyObject): Promise<RollbackGrant> {
  return { channel, version, keyId: await keyIdOf(rawPublic(key)), signature: sign(null, Buffer.from(rollbackStatement({ channel, version })), key).toString('base64') };
}
