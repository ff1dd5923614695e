// Each user's X25519 key pair (DESIGN.md, Keys: first sign-in on another workstation). The
// private key is sealed under a key from the user's password alone, so the record can travel
// with the user (inside sync's encryption) to every workstation. An unlocked workstation seals
// its database key to each user's public key, bound to its own device secret; the user's first
// sign-in there opens it with the password, and the database key never leaves the workstation.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { derivePasswordKey, KdfParams, open, Sealed, seal } from './kdf';
import { exportPrivate, generateBoxKeyPair, importPrivate, openSealed, sealTo, type WrappedToDevice } from './tenant-key-wrap';

export const UserKeyRecord = z.object({
  v: z.literal(1),
  publicKey: z.string(),
  salt: z.string(),
  kdf: KdfParams,
  sealedPrivateKey: Sealed,
});
export type UserKeyRecord = z.infer<typeof UserKeyRecord>;

export const DkToUser = z.object({ ephemeralPublicKey: z.string(), box: Sealed });

const keyPurpose = (userId: string) => `chartroom/user-key/v1|${userId}`;
const dkPurpose = (workstationId: string, userId: string) => `chartroom/dk-to-user/v1|${workstationId}|${userId}`;

/** A fresh key pair for a user (new account, new password), sealed under that password. */
export async function newUserKey(userId: string, password: string, kdf: KdfParams): Promise<UserKeyRecord> {
  const pair = generateBoxKeyPair();
  const salt = randomBytes(16);
  const key = await derivePasswordKey(password, salt, kdf, keyPurpose(userId));
  const der = exportPrivate(pair.privateKey);
  const sealedPrivateKey = seal(key, der, keyPurpose(userId));
  key.fill(0);
  der.fill(0);
  return { v: 1, publicKey: pair.publicKey.toString('base64'), salt: salt.toString('base64'), kdf, sealedPrivateKey };
}

/** The user's private key, or null for a wrong password. */
export async function openUserKey(userId: string, record: UserKeyRecord, password: string): Promise<KeyObject | null> {
  const key = await derivePasswordKey(password, Buffer.from(record.salt, 'base64'), record.kdf, keyPurpose(userId));
  const der = open(key, record.sealedPrivateKey, keyPurpose(userId));
  key.fill(0);
  if (!der) return null;
  const k = importPrivate(der);
  der.fill(0);
  return k;
}

/** Identifies one version of a user's key record (a password change anywhere makes a new one). */
export function keyStamp(record: UserKeyRecord): string {
  return createHash('sha256').update(record.publicKey).update(record.sealedPrivateKey.ct).digest('hex').slice(0, 32);
}

export function parseUserKey(text: string | null): UserKeyRecord | null {
  if (!text) return null;
  try {
    const r = UserKeyRecord.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function sealDkToUser(dk: Buffer, record: UserKeyRecord, deviceSecret: Buffer, ctx: { workstationId: string; userId: string }): WrappedToDevice {
  return sealTo(dk, Buffer.from(record.publicKey, 'base64'), dkPurpose(ctx.workstationId, ctx.userId), deviceSecret);
}

export function openDkAsUser(w: WrappedToDevice, privateKey: KeyObject, deviceSecret: Buffer, ctx: { workstationId: string; userId: string }): Buffer | null {
  return openSealed(w, privateKey, dkPurpose(ctx.workstationId, ctx.userId), deviceSecret);
}
