// Failed sign-in bookkeeping, kept outside the database (which a failed attempt must not touch):
// a growing delay after each failure and a lockout after too many.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-file';

export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly lockoutMs: number;
  /** Delay after the first failure; it doubles with each further failure. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultLockoutPolicy: LockoutPolicy = { maxFailures: 5, lockoutMs: 5 * 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

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
    const failures = (prev && prev.lockedUntil <= now && prev.lockedUntil !== 0 ? 0 : prev?.failures ?? 0) + 1;
    const locked = failures >= this.policy.maxFailures;
    this.state = { ...this.state, [key]: { failures: locked ? 0 : failures, lockedUntil: locked ? now + this.policy.lockoutMs : 0 } };
    await this.save();
    const delayMs = Math.min(this.policy.baseDelayMs * 2 ** (failures - 1), this.policy.maxDelayMs);
    return { delayMs, locked };
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
