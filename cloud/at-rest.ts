// What the service itself must be able to read but the store should not hold in the clear (a
// tenant's TURN shared secret): sealed with AES-256-GCM under a key derived from the service
// secret, bound to its tenant so a sealed value copied to another tenant's row does not open.
// The JWT key is derived from the same secret for another purpose, so neither key is the other.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const SERVICE_SECRET_BYTES = 32;

/** A key for one purpose, derived from the service secret (HKDF-SHA-256). */
export function deriveServiceKey(secret: Buffer, purpose: 'jwt' | 'at-rest' | 'feed'): Buffer {
  if (secret.length < SERVICE_SECRET_BYTES) throw new Error(`the service secret must be at least ${SERVICE_SECRET_BYTES} bytes`);
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `chartroom-cloud/${purpose}/v1`, 32));
}

const PREFIX = 'sealed.v1.';

export class AtRest {
  constructor(private readonly key: Buffer) {}

  seal(plain: string, tenantId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(tenantId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${iv.toString('base64')}.${body.toString('base64')}`;
  }

  /** The plain value, or null when it was sealed under another secret, for another tenant, or altered. */
  open(sealed: string, tenantId: string): string | null {
    if (!sealed.startsWith(PREFIX)) return null;
    const [ivB64 = '', bodyB64 = ''] = sealed.slice(PREFIX.length).split('.');
    const iv = Buffer.from(ivB64, 'base64');
    const body = Buffer.from(bodyB64, 'base64');
    if (iv.length !== 12 || body.length < 16) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(tenantId));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }
}
