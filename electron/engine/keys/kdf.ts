// Password → key-encryption key: KEK = HKDF-SHA256(scrypt(password, salt) ‖ device secret).
// scrypt at N=2^17, r=8, p=1 is OWASP's minimum; tests may pass cheaper parameters, and the
// parameters used are stored beside each wrapped key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { z } from 'zod';

export const KdfParams = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(1024),
  r: z.number().int().min(1),
  p: z.number().int().min(1),
});
export type KdfParams = z.infer<typeof KdfParams>;

export const productionKdf: KdfParams = { algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (e, k) =>
      e ? reject(e) : resolve(k),
    ),
  );
}

/**
 * A key from the password alone (no device secret), for what must open on any workstation: the
 * user's own X25519 private key, which travels with the user record.
 */
export async function derivePasswordKey(password: string, salt: Buffer, params: KdfParams, purpose: string): Promise<Buffer> {
  const stretched = await scrypt(password, salt, params);
  const key = Buffer.from(hkdfSync('sha256', stretched, salt, purpose, 32));
  stretched.fill(0);
  return key;
}

export async function deriveKek(password: string, salt: Buffer, params: KdfParams, deviceSecret: Buffer): Promise<Buffer> {
  const stretched = await scrypt(password, salt, params);
  const ikm = Buffer.concat([stretched, deviceSecret]);
  const kek = Buffer.from(hkdfSync('sha256', ikm, salt, 'chartroom/kek/v1', 32));
  stretched.fill(0);
  ikm.fill(0);
  return kek;
}

export const Sealed = z.object({ nonce: z.string(), tag: z.string(), ct: z.string() });
export type Sealed = z.infer<typeof Sealed>;

/** AES-256-GCM with a purpose string as associated data, so a wrap cannot be reused elsewhere. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return { nonce: nonce.toString('base64'), tag: c.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** Returns null when the key is wrong or the box was altered. */
export function open(key: Buffer, box: Sealed, aad: string): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'base64'));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(box.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(box.ct, 'base64')), d.final()]);
  } catch {
    return null;
  }
}
