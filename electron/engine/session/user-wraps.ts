// Each user's entry in the keyring: the database key sealed under their password (or, before
// their first sign-in here, to their public key), and their synced key record. The one place
// where an entry is written, whatever asked for it: setup, sign-in, a new user, a changed or
// reset password, or users arriving by sync.
import type { User } from '../../../shared/domain/user';
import type { OpenClinic } from '../clinic/open-clinic';
import type { WorkstationState } from '../workstation/workstation-state';
import type { KdfParams } from '../keys/kdf';
import type { Keyring } from '../keys/keyring';
import { keyStamp, newUserKey, parseUserKey } from '../keys/user-keys';

export interface WrapUser {
  readonly userId: string;
  readonly username: string;
}

/** What the user calls need: a key record for a new password, and the keyring entry for it. */
export interface UserKeys {
  newKeyRecord(userId: string, password: string): Promise<{ text: string; stamp: string }>;
  wrap(user: WrapUser, password: string, stamp?: string): Promise<void>;
  remove(userId: string): Promise<void>;
}

export class UserWraps implements UserKeys {
  constructor(private readonly state: WorkstationState, readonly kdf: KdfParams) {}

  /** A user's key record, sealed under their password, and its stamp. */
  async newKeyRecord(userId: string, password: string): Promise<{ text: string; stamp: string }> {
    const record = await newUserKey(userId, password, this.kdf);
    return { text: JSON.stringify(record), stamp: keyStamp(record) };
  }

  /** Seals the open database's key under `password` for this user, in the keyring on disk. */
  async wrap(user: WrapUser, password: string, stamp?: string): Promise<void> {
    const { keyring, clinic } = this.held();
    await this.wrapWith(keyring, clinic.databaseKey, user, password, stamp);
  }

  /** The same, for a clinic being set up (its keyring is not yet the workstation's). */
  wrapWith(keyring: Keyring, dk: Buffer, user: WrapUser, password: string, stamp?: string): Promise<void> {
    return keyring.setUserWrap(user, password, dk, this.kdf, stamp);
  }

  async remove(userId: string): Promise<void> {
    await this.state.keyring?.removeUser(userId);
  }

  /**
   * After a password sign-in: the first one here becomes an ordinary keyring entry; an account
   * from before user keys gets its key record now (the only moment its password is known); then
   * every other user's entry is brought up to date.
   */
  async settle(user: User, password: string, firstHere: boolean): Promise<void> {
    const { keyring, clinic } = this.held();
    const row = await clinic.db.get<{ key_record: string | null }>('SELECT key_record FROM users WHERE id = ?', [user.id]);
    let record = parseUserKey(row?.key_record ?? null);
    if (!record) {
      const fresh = await this.newKeyRecord(user.id, password);
      await clinic.write((m) => m.update('users', user.id, { key_record: fresh.text }));
      record = parseUserKey(fresh.text);
    }
    const stamp = record ? keyStamp(record) : undefined;
    if (firstHere || keyring.stampOf(user.id) !== stamp) await this.wrap({ userId: user.id, username: user.username }, password, stamp);
    await this.reconcile();
  }

  /**
   * Keeps the keyring in step with the synced users: an active user this workstation has no
   * entry for (or whose password changed elsewhere) gets the database key sealed to their public
   * key; a disabled user loses their entry.
   */
  async reconcile(): Promise<number> {
    const { keyring, clinic } = this.state;
    if (!keyring || !clinic) return 0;
    const rows = await clinic.db.all<{ id: string; username: string; disabled: number; key_record: string | null }>('SELECT id, username, disabled, key_record FROM users');
    const stale: { userId: string; username: string; userKey: NonNullable<ReturnType<typeof parseUserKey>> }[] = [];
    for (const r of rows) {
      if (r.disabled) {
        if (keyring.hasUser(r.id)) await keyring.removeUser(r.id);
        continue;
      }
      const record = parseUserKey(r.key_record);
      if (record && keyring.stampOf(r.id) !== keyStamp(record)) stale.push({ userId: r.id, username: r.username, userKey: record });
    }
    await keyring.setPendingWraps(stale, clinic.databaseKey);
    return stale.length;
  }

  /** Wraps are made only within a session: the keyring and the open clinic are there. */
  private held(): { keyring: Keyring; clinic: OpenClinic } {
    const { keyring, clinic } = this.state;
    if (!keyring || !clinic) throw new Error('a key wrap needs the keyring and the open clinic');
    return { keyring, clinic };
  }
}
