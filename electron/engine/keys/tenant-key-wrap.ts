// Wrapping the tenant key: to a device's X25519 public key (ephemeral-static ECDH, HKDF,
// AES-256-GCM), and to a recovery key derived from the recovery code shown once to the admin.
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

/** PKCS#8 DER of a private key, for keeping it sealed in the keyring. */
export const exportPrivate = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'pkcs8' });
export const importPrivate = (der: Buffer): KeyObject => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });

const purpose = (tenantId: string, kid: string, deviceId: string) => `chartroom/tk-wrap/v1|${tenantId}|${kid}|${deviceId}`;

export function wrapToDevice(tk: Buffer, devicePublicKey: Buffer, ctx: { tenantId: string; kid: string; deviceId: string }): WrappedToDevice {
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicFromRaw(devicePublicKey) });
  const ephRaw = rawPublic(eph.publicKey);
  const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephRaw, devicePublicKey]), purpose(ctx.tenantId, ctx.kid, ctx.deviceId), 32));
  const box = seal(kek, tk, purpose(ctx.tenantId, ctx.kid, ctx.deviceId));
  kek.fill(0);
  shared.fill(0);
  return { ephemeralPublicKey: ephRaw.toString('base64'), box };
}

export function unwrapOnDevice(w: WrappedToDevice, devicePrivateKey: KeyObject, ctx: { tenantId: string; kid: string; deviceId: string }): Buffer | null {
  try {
    const ephRaw = Buffer.from(w.ephemeralPublicKey, 'base64');
    const shared = diffieHellman({ privateKey: devicePrivateKey, publicKey: publicFromRaw(ephRaw) });
    const mine = rawPublic(createPublicKey(devicePrivateKey));
    const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephRaw, mine]), purpose(ctx.tenantId, ctx.kid, ctx.deviceId), 32));
    const tk = open(kek, w.box, purpose(ctx.tenantId, ctx.kid, ctx.deviceId));
    kek.fill(0);
    shared.fill(0);
    return tk;
  } catch {
    return null;
  }
}

const recoveryAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 160 bits, in four groups of eight characters, for the admin to print and lock away. */
export function newRecoveryCode(): string {
  return Array.from(randomBytes(32), (b) => recoveryAlphabet[b % 32]).join('').match(/.{8}/g)?.join('-') ?? '';
}

async function recoveryKey(code: string, tenantId: string): Promise<Buffer> {
  const normal = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return new Promise((resolve, reject) =>
    scryptCb(normal, `chartroom/recovery/v1|${tenantId}`, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))));
}

export async function wrapToRecovery(tk: Buffer, code: string, ctx: { tenantId: string; kid: string }): Promise<Sealed> {
  const k = await recoveryKey(code, ctx.tenantId);
  const box = seal(k, tk, purpose(ctx.tenantId, ctx.kid, 'recovery'));
  k.fill(0);
  return box;
}

export async function unwrapWithRecovery(box: Sealed, code: string, ctx: { tenantId: string; kid: string }): Promise<Buffer | null> {
  const k = await recoveryKey(code, ctx.tenantId);
  const tk = open(k, box, purpose(ctx.tenantId, ctx.kid, 'recovery'));
  k.fill(0);
  return tk;
}
