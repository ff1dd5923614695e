// Sealing a secret to an X25519 public key (ephemeral-static ECDH, HKDF, AES-256-GCM), and its
// uses: the tenant key wrapped to each device and to the recovery key (an X25519 key pair
// derived from the recovery code shown once to the admin, so any workstation can wrap a rotated
// tenant key to it without knowing the code).
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, scrypt as scryptCb, type KeyObject } from 'node:crypto';
import { open, type Sealed, seal } from './kdf';

export interface WrappedToDevice {
  readonly ephemeralPublicKey: string;
  readonly box: Sealed;
}

const rawPublic = (k: KeyObject) => Buffer.from(k.export({ format: 'jwk' }).x as string, 'base64url');
const publicFromRaw = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });

export function generateBoxKeyPair(): { publicKey: Buffer; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublic(publicKey), privateKey };
}

/** The raw public half of an X25519 private key. */
export const publicOf = (privateKey: KeyObject): Buffer => rawPublic(createPublicKey(privateKey));

/** PKCS#8 DER of a private key, for keeping it sealed in the keyring. */
export const exportPrivate = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'pkcs8' });
export const importPrivate = (der: Buffer): KeyObject => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });

/**
 * Seals `secret` so only the holder of the private key for `recipient` opens it. `bind` mixes
 * extra key material in (a workstation's device secret), so the box opens only there too.
 */
export function sealTo(secret: Buffer, recipient: Buffer, purpose: string, bind: Buffer = Buffer.alloc(0)): WrappedToDevice {
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicFromRaw(recipient) });
  const ephRaw = rawPublic(eph.publicKey);
  const ikm = Buffer.concat([shared, bind]);
  const kek = Buffer.from(hkdfSync('sha256', ikm, Buffer.concat([ephRaw, recipient]), purpose, 32));
  const box = seal(kek, secret, purpose);
  kek.fill(0);
  shared.fill(0);
  ikm.fill(0);
  return { ephemeralPublicKey: ephRaw.toString('base64'), box };
}

/** Null when the key, the purpose or the binding is wrong, or the box was altered. */
export function openSealed(w: WrappedToDevice, privateKey: KeyObject, purpose: string, bind: Buffer = Buffer.alloc(0)): Buffer | null {
  try {
    const ephRaw = Buffer.from(w.ephemeralPublicKey, 'base64');
    const shared = diffieHellman({ privateKey, publicKey: publicFromRaw(ephRaw) });
    const ikm = Buffer.concat([shared, bind]);
    const kek = Buffer.from(hkdfSync('sha256', ikm, Buffer.concat([ephRaw, publicOf(privateKey)]), purpose, 32));
    const secret = open(kek, w.box, purpose);
    kek.fill(0);
    shared.fill(0);
    ikm.fill(0);
    return secret;
  } catch {
    return null;
  }
}

const purpose = (tenantId: string, kid: string, deviceId: string) => `chartroom/tk-wrap/v1|${tenantId}|${kid}|${deviceId}`;

export function wrapToDevice(tk: Buffer, devicePublicKey: Buffer, ctx: { tenantId: string; kid: string; deviceId: string }): WrappedToDevice {
  return sealTo(tk, devicePublicKey, purpose(ctx.tenantId, ctx.kid, ctx.deviceId));
}

export function unwrapOnDevice(w: WrappedToDevice, devicePrivateKey: KeyObject, ctx: { tenantId: string; kid: string; deviceId: string }): Buffer | null {
  return openSealed(w, devicePrivateKey, purpose(ctx.tenantId, ctx.kid, ctx.deviceId));
}

const recoveryAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 160 bits, in four groups of eight characters, for the admin to print and lock away. */
export function newRecoveryCode(): string {
  return Array.from(randomBytes(32), (b) => recoveryAlphabet[b % 32]).join('').match(/.{8}/g)?.join('-') ?? '';
}

// PKCS#8 DER header of an X25519 private key; the 32 key bytes follow.
const x25519Pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

// PKCS#8 DER header of an Ed25519 private key; the 32 seed bytes follow.
const ed25519Pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** scrypt of the code, tenant-salted: what both recovery keys come from. */
function recoverySeed(code: string, tenantId: string): Promise<Buffer> {
  const normal = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return new Promise<Buffer>((resolve, reject) =>
    scryptCb(normal, `chartroom/recovery/v2|${tenantId}`, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))));
}

/** The recovery key pair: scrypt of the code (tenant-salted) as an X25519 private key. */
export async function recoveryKeyPair(code: string, tenantId: string): Promise<{ publicKey: Buffer; privateKey: KeyObject }> {
  const seed = await recoverySeed(code, tenantId);
  const privateKey = createPrivateKey({ key: Buffer.concat([x25519Pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
  seed.fill(0);
  return { publicKey: publicOf(privateKey), privateKey };
}

/**
 * The clinic's IT key: an Ed25519 key from the same seed (HKDF, its own label), so whoever holds
 * the recovery code can sign IT's commands (a lockdown, a lift) on any machine. The cloud holds
 * only its public half (raw, base64).
 */
export async function itSigningKey(code: string, tenantId: string): Promise<{ publicKey: string; privateKey: KeyObject }> {
  const seed = await recoverySeed(code, tenantId);
  const edSeed = Buffer.from(hkdfSync('sha256', seed, Buffer.from(tenantId), 'chartroom/it-key/v1', 32));
  seed.fill(0);
  const privateKey = createPrivateKey({ key: Buffer.concat([ed25519Pkcs8Prefix, edSeed]), format: 'der', type: 'pkcs8' });
  edSeed.fill(0);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { publicKey: Buffer.from(jwk.x as string, 'base64url').toString('base64'), privateKey };
}

export function wrapToRecovery(tk: Buffer, recoveryPublicKey: Buffer, ctx: { tenantId: string; kid: string }): WrappedToDevice {
  return sealTo(tk, recoveryPublicKey, purpose(ctx.tenantId, ctx.kid, 'recovery'));
}

export async function unwrapWithRecovery(w: WrappedToDevice, code: string, ctx: { tenantId: string; kid: string }): Promise<Buffer | null> {
  const { privateKey } = await recoveryKeyPair(code, ctx.tenantId);
  return openSealed(w, privateKey, purpose(ctx.tenantId, ctx.kid, 'recovery'));
}
