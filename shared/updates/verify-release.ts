// Checks the vendor's signatures on a release against the keys a build trusts (release-keys.ts,
// or a test's): a file's signature over its hash, name, version and channel, and a rollback
// grant. Used by the cloud before it stores a release and by the workstation before it installs.
import { fail, ok, type Result } from '../errors';
import { keyIdOf, verifyEd25519 } from './ed25519';
import { fileStatement, rollbackStatement, type FileSignature, type RollbackGrant } from './release';

async function keyFor(trusted: readonly string[], keyId: string): Promise<string | null> {
  for (const k of trusted) if ((await keyIdOf(k)) === keyId) return k;
  return null;
}

/** A file's signature, for `channel` and `version`: which key made it, or why it is refused. */
export async function verifyFileSignature(trusted: readonly string[], at: { channel: string; version: string }, s: FileSignature): Promise<Result<{ keyId: string }>> {
  const key = await keyFor(trusted, s.keyId);
  if (!key) return fail('bad-signature', `The release ${at.version} is signed with a key this version of Chartroom does not trust.`);
  if (!(await verifyEd25519(key, fileStatement({ ...at, file: s.file, sha512: s.sha512 }), s.signature))) {
    return fail('bad-signature', `The signature of ${s.file} does not match its hash, version and channel: it is not the vendor’s release ${at.version}.`);
  }
  return ok({ keyId: s.keyId });
}

/** A rollback grant: the vendor's permission to go back to `version` on `channel`. */
export async function verifyRollbackGrant(trusted: readonly string[], g: RollbackGrant): Promise<Result<{ keyId: string }>> {
  const key = await keyFor(trusted, g.keyId);
  if (!key || !(await verifyEd25519(key, rollbackStatement(g), g.signature))) {
    return fail('bad-signature', `The rollback to ${g.version} is not signed by the vendor.`);
  }
  return ok({ keyId: g.keyId });
}
