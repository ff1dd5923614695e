// The capability that guards the device secret: the OS keystore (Electron safeStorage) in the
// app, a key file for tests, the admin CLI and the browser host.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-file';

export interface KeyProtector {
  /** What guards the secret; recorded in the keyring so a mismatch is explained, not guessed. */
  readonly kind: 'os-keystore' | 'key-file';
  protect(secret: Buffer): Promise<Buffer>;
  unprotect(blob: Buffer): Promise<Buffer>;
}

/**
 * Wraps secrets under a random key kept in a file beside the keyring (mode 0600). It protects
 * nothing from someone who can read the data dir, which is why the Electron app never uses it.
 */
export class FileKeyProtector implements KeyProtector {
  readonly kind = 'key-file' as const;

  constructor(private readonly keyFile: string) {}

  private async key(): Promise<Buffer> {
    try {
      const k = await readFile(this.keyFile);
      if (k.length !== 32) throw new Error('device key file is damaged');
      return k;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const k = randomBytes(32);
      await writeFileAtomic(this.keyFile, k, 0o600);
      await chmod(this.keyFile, 0o600);
      return k;
    }
  }

  async protect(secret: Buffer): Promise<Buffer> {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', await this.key(), nonce);
    const ct = Buffer.concat([c.update(secret), c.final()]);
    return Buffer.concat([nonce, c.getAuthTag(), ct]);
  }

  async unprotect(blob: Buffer): Promise<Buffer> {
    const d = createDecipheriv('aes-256-gcm', await this.key(), blob.subarray(0, 12));
    d.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([d.update(blob.subarray(28)), d.final()]);
  }
}
