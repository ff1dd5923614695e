// Failed sign-in bookkeeping on this workstation, kept outside the database (which a failed
// attempt must not touch): a growing delay after each failure and a lockout after too many. A
// lockout the clinic's cloud reported is kept here too, so it holds while the cloud is out of reach.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type FailureCount, failureAfter, type LockoutPolicy } from '../../../shared/domain/sign-in-lockout';
import { writeFileAtomic } from '../util/atomic-file';

export { defaultLockoutPolicy, type LockoutPolicy } from '../../../shared/domain/sign-in-lockout';

const Attempts = z.record(z.string(), z.object({ failures: z.number().int(), lockedUntil: z.number() }));
type Attempts = z.infer<typeof Attempts>;

export class SignInAttempts {
  private constructor(private readonly file: string, private state: Attempts, readonly policy: LockoutPolicy) {}

  static async load(file: string, policy: LockoutPolicy): Promise<SignInAttempts> {
    let state: Attempts = {};
    try {
      state = Attempts.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      // Missing or damaged: start clean. Losing the counter only shortens a lockout.
    }
    return new SignInAttempts(file, state, policy);
  }

  /** Milliseconds left on a lockout for this username, or 0. */
  lockedFor(username: string, now = Date.now()): number {
    const s = this.state[username.toLowerCase()];
    return s && s.lockedUntil > now ? s.lockedUntil - now : 0;
  }

  /** Records a failure; returns the delay to apply before answering and whether it locked. */
  async recordFailure(username: string, now = Date.now()): Promise<{ delayMs: number; locked: boolean }> {
    const key = username.toLowerCase();
    const prev = this.state[key];
    const next = failureAfter(prev, now, this.policy);
    this.state = { ...this.state, [key]: { failures: next.failures, lockedUntil: next.lockedUntil } };
    await this.save();
    // The delay grows with the failures this one made (the lockout's last one included).
    const made = next.locked ? this.policy.maxFailures : next.failures;
    const delayMs = Math.min(this.policy.baseDelayMs * 2 ** (made - 1), this.policy.maxDelayMs);
    return { delayMs, locked: next.locked };
  }

  /**
   * Takes the clinic's count (the cloud's answer to a wrong password) as this workstation's:
   * while online the clinic's count is the one that counts, so a right password on another
   * workstation clears what this one had counted. A longer lockout here is kept.
   */
  async adopt(username: string, count: FailureCount): Promise<void> {
    const key = username.toLowerCase();
    const lockedUntil = Math.max(count.lockedUntil, this.state[key]?.lockedUntil ?? 0);
    this.state = { ...this.state, [key]: { failures: count.failures, lockedUntil } };
    await this.save();
  }

  /** Keeps a lockout decided elsewhere (the clinic's count at the cloud) until `until`. */
  async holdUntil(username: string, until: number, now = Date.now()): Promise<void> {
    const key = username.toLowerCase();
    if (until <= now || (this.state[key]?.lockedUntil ?? 0) >= until) return;
    this.state = { ...this.state, [key]: { failures: 0, lockedUntil: until } };
    await this.save();
  }

  async recordSuccess(username: string): Promise<void> {
    const key = username.toLowerCase();
    if (!(key in this.state)) return;
    const { [key]: _dropped, ...rest } = this.state;
    this.state = rest;
    await this.save();
  }

  private async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.state), 0o600);
  }
}
