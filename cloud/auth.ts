// Device authentication for the tenant service: one-time codes and sign-in guard secrets (only their hashes are stored),
// Ed25519-signed token requests, and short-lived JWTs (jose) naming one tenant and one device.
import { createHash, createPublicKey, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A one-time code a person can read aloud or type: 16 characters, 80 bits. */
export function newCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b % 32]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

export function hashCode(code: string): string {
  const normal = code.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return createHash('sha256').update(`chartroom-code/v1|${normal}`).digest('hex');
}

/** A device's sign-in guard secret as kept: its hash only. */
export function hashGuardSecret(secret: string): string {
  return createHash('sha256').update(`chartroom-sign-in-guard/v1|${secret}`).digest('hex');
}

export function guardSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashGuardSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies an Ed25519 signature made with the device's raw 32-byte public key. */
export function verifyDeviceSignature(rawPublicKeyB64: string, message: string, signatureB64: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawPublicKeyB64, 'base64').toString('base64url') }, format: 'jwk' });
    return verify(null, Buffer.from(message), key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export const TOKEN_SECONDS = 300;
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Service processes' clocks may differ this much. */
const CLOCK_LEEWAY_SECONDS = 30;

export class Tokens {
  private readonly key: Uint8Array;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('token secret must be at least 32 bytes');
    this.key = new Uint8Array(secret);
  }

  async issue(tenantId: string, deviceId: string): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + TOKEN_SECONDS;
    const token = await new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(deviceId)
      .setIssuedAt()
      .setExpirationTime(exp)
      .setAudience('chartroom-cloud')
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async check(token: string): Promise<{ tenantId: string; deviceId: string } | null> {
    try {
      // A token without an expiry, an issue time or the audience is refused, and none lives
      // longer than the service issues them for, whatever its `exp` says.
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'], audience: 'chartroom-cloud', requiredClaims: ['exp', 'iat', 'aud', 'sub'], maxTokenAge: TOKEN_SECONDS + CLOCK_LEEWAY_SECONDS, clockTolerance: CLOCK_LEEWAY_SECONDS,
      });
      return typeof payload.tid === 'string' && typeof payload.sub === 'string' ? { tenantId: payload.tid, deviceId: payload.sub } : null;
    } catch {
      return null;
    }
  }
}
