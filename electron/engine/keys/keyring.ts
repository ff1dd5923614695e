// The keyring file: the only secret-bearing file outside the database, and it holds nothing
// usable alone: the device secret protected by the KeyProtector, and per user a salt, KDF
// parameters and the database key wrapped under that user's KEK. Users who have never signed in
// here (synced from another workstation) have a pending entry instead: the database key sealed
// to their public key and bound to the device secret, beside their password-sealed private key.
// The first sign-in turns it into an ordinary entry.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-file';
import { deriveKek, KdfParams, open, seal, Sealed } from './kdf';
import type { KeyProtector } from './key-protector';
import { DkToUser, keyStamp, openDkAsUser, openUserKey, sealDkToUser, UserKeyRecord } from './user-keys';

const KeyringUser = z.object({
  userId: z.string(),
  username: z.string(),
  salt: z.string(),
  kdf: KdfParams,
  wrappedDk: Sealed,
  /** Which version of the user's key record this entry follows (absent before user keys). */
  keyStamp: z.string().optional(),
});

const PendingUser = z.object({
  userId: z.string(),
  username: z.string(),
  keyStamp: z.string(),
  userKey: UserKeyRecord,
  dk: DkToUser,
});

const KeyringFile = z.object({
  version: z.literal(1),
  workstationId: z.string().regex(/^[0-9a-f]{16}$/),
  clinicName: z.string(),
  protector: z.enum(['os-keystore', 'key-file']),
  deviceSecret: z.string(),
  users: z.array(KeyringUser),
  pending: z.array(PendingUser).default([]),
});
type KeyringFile = z.infer<typeof KeyringFile>;

export class KeyringError extends Error {
  constructor(readonly code: 'keystore-unavailable' | 'damaged', message: string) {
    super(message);
  }
}

const dkAad = (workstationId: string, userId: string) => `chartroom/dk/v1/${workstationId}/${userId}`;

export class Keyring {
  private constructor(
    private readonly file: string,
    private data: KeyringFile,
    private readonly deviceSecret: Buffer,
  ) {}

  static async exists(file: string): Promise<boolean> {
    try {
      await readFile(file);
      return true;
    } catch {
      return false;
    }
  }

  static async create(file: string, protector: KeyProtector, clinicName: string): Promise<Keyring> {
    const deviceSecret = randomBytes(32);
    const data: KeyringFile = {
      version: 1,
      workstationId: randomBytes(8).toString('hex'),
      clinicName,
      protector: protector.kind,
      deviceSecret: (await protector.protect(deviceSecret)).toString('base64'),
      users: [],
      pending: [],
    };
    return new Keyring(file, data, deviceSecret);
  }

  static async load(file: string, protector: KeyProtector): Promise<Keyring> {
    let data: KeyringFile;
    try {
      data = KeyringFile.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      throw new KeyringError('damaged', 'The keyring file is damaged or unreadable.');
    }
    if (data.protector !== protector.kind) {
      throw new KeyringError(
        'keystore-unavailable',
        data.protector === 'os-keystore'
          ? "This data directory's device secret is held by the desktop app's OS keystore; open it from the Chartroom app."
          : 'This data directory was set up with a key file, not the OS keystore.',
      );
    }
    let deviceSecret: Buffer;
    try {
      deviceSecret = await protector.unprotect(Buffer.from(data.deviceSecret, 'base64'));
    } catch {
      throw new KeyringError('keystore-unavailable', 'The device secret cannot be unlocked on this workstation.');
    }
    return new Keyring(file, data, deviceSecret);
  }

  get workstationId(): string {
    return this.data.workstationId;
  }

  get clinicName(): string {
    return this.data.clinicName;
  }

  set clinicName(name: string) {
    this.data = { ...this.data, clinicName: name };
  }

  hasUser(userId: string): boolean {
    return this.data.users.some((u) => u.userId === userId) || this.data.pending.some((u) => u.userId === userId);
  }

  /** The key-record version this workstation's entry for the user follows, if any. */
  stampOf(userId: string): string | null {
    return this.data.users.find((u) => u.userId === userId)?.keyStamp ?? this.data.pending.find((u) => u.userId === userId)?.keyStamp ?? null;
  }

  /** Wraps the database key for one user (new user, password reset, password change, first sign-in). */
  async setUserWrap(user: { userId: string; username: string }, password: string, dk: Buffer, kdf: KdfParams, stamp?: string): Promise<void> {
    const salt = randomBytes(16);
    const kek = await deriveKek(password, salt, kdf, this.deviceSecret);
    const wrappedDk = seal(kek, dk, dkAad(this.data.workstationId, user.userId));
    kek.fill(0);
    const entry = { userId: user.userId, username: user.username, salt: salt.toString('base64'), kdf, wrappedDk, ...(stamp ? { keyStamp: stamp } : {}) };
    this.data = {
      ...this.data,
      users: [...this.data.users.filter((u) => u.userId !== user.userId), entry],
      pending: this.data.pending.filter((u) => u.userId !== user.userId),
    };
    await this.save();
  }

  /**
   * Seals the database key to users' public keys (synced users new here, or whose password
   * changed elsewhere): replaces any entry they had, so only their current password opens it.
   */
  async setPendingWraps(users: readonly { userId: string; username: string; userKey: UserKeyRecord }[], dk: Buffer): Promise<void> {
    if (users.length === 0) return;
    const ids = new Set(users.map((u) => u.userId));
    const entries = users.map((u) => ({
      userId: u.userId, username: u.username, keyStamp: keyStamp(u.userKey), userKey: u.userKey,
      dk: sealDkToUser(dk, u.userKey, this.deviceSecret, { workstationId: this.data.workstationId, userId: u.userId }),
    }));
    this.data = {
      ...this.data,
      users: this.data.users.filter((u) => !ids.has(u.userId)),
      pending: [...this.data.pending.filter((u) => !ids.has(u.userId)), ...entries],
    };
    await this.save();
  }

  async removeUser(userId: string): Promise<void> {
    this.data = { ...this.data, users: this.data.users.filter((u) => u.userId !== userId), pending: this.data.pending.filter((u) => u.userId !== userId) };
    await this.save();
  }

  get userCount(): number {
    return this.data.users.length + this.data.pending.length;
  }

  /**
   * The database key if this username and password match a wrap, else null. An unknown user
   * costs the same KDF work as a wrong password, so timing does not reveal who exists.
   */
  async unwrap(username: string, password: string): Promise<{ userId: string; dk: Buffer; firstHere: boolean } | null> {
    const entry = this.data.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    const pending = entry ? undefined : this.data.pending.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (pending) {
      const privateKey = await openUserKey(pending.userId, pending.userKey, password);
      const ctx = { workstationId: this.data.workstationId, userId: pending.userId };
      const dk = privateKey ? openDkAsUser(pending.dk, privateKey, this.deviceSecret, ctx) : null;
      return dk ? { userId: pending.userId, dk, firstHere: true } : null;
    }
    const salt = entry ? Buffer.from(entry.salt, 'base64') : randomBytes(16);
    const kdf = entry?.kdf ?? this.data.users[0]?.kdf ?? { algorithm: 'scrypt' as const, N: 2 ** 17, r: 8, p: 1 };
    const kek = await deriveKek(password, salt, kdf, this.deviceSecret);
    if (!entry) {
      kek.fill(0);
      return null;
    }
    const dk = open(kek, entry.wrappedDk, dkAad(this.data.workstationId, entry.userId));
    kek.fill(0);
    return dk ? { userId: entry.userId, dk, firstHere: false } : null;
  }

  async save(): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`, 0o600);
  }
}
