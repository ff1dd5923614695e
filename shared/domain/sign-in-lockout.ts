// The lockout rule after wrong passwords, one rule for the workstation's own count (kept in its
// data dir, for when it is offline) and the clinic's count at the cloud (kept per username hash,
// so five wrong passwords lock the username on every workstation that is online).
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly lockoutMs: number;
  /** Delay after the first failure; it doubles with each further failure. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultLockoutPolicy: LockoutPolicy = { maxFailures: 5, lockoutMs: 5 * 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Failures since the last success or lockout, and when a lockout ends (0: none). */
export interface FailureCount {
  readonly failures: number;
  readonly lockedUntil: number;
}

/**
 * The count after one more wrong password at `now`. A lockout in force stays as it is (a
 * failure reported while locked neither lengthens nor ends it); once it has ended, counting
 * starts again from zero. Reaching `maxFailures` locks for `lockoutMs` and resets the count.
 */
export function failureAfter(prev: FailureCount | undefined, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>): FailureCount & { readonly locked: boolean } {
  if (prev && prev.lockedUntil > now) return { ...prev, locked: true };
  const failures = (prev && prev.lockedUntil !== 0 ? 0 : prev?.failures ?? 0) + 1;
  const locked = failures >= policy.maxFailures;
  return { failures: locked ? 0 : failures, lockedUntil: locked ? now + policy.lockoutMs : 0, locked };
}
