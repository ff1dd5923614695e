// Expected failures as values: every boundary (IPC, HTTP, CLI) carries `{ code, message }`
// with a stable kebab-case code, never a stack trace and never PHI.

export const errorCodes = [
  'invalid-input',
  'unknown-call',
  'permission-denied',
  'not-signed-in',
  'session-locked',
  'wrong-password',
  'locked-out',
  'weak-password',
  'user-disabled',
  'user-not-found',
  'username-taken',
  'last-admin',
  'already-initialized',
  'not-initialized',
  'patient-not-found',
  'patient-merged',
  'not-found',
  'note-signed',
  'invalid-transition',
  'outside-clinic-hours',
  'not-a-provider',
  'allergies-recorded',
  'db-locked',
  'db-newer-than-app',
  'keystore-unavailable',
  'invalid-code',
  'unauthenticated',
  'device-revoked',
  'wrong-tenant',
  'cloud-unreachable',
  'not-enrolled',
  'already-enrolled',
  'no-tenant-key',
  'wrong-code-kind',
  'not-a-video-visit',
  'no-users-yet',
  'already-exists',
  'rate-limited',
  'internal-error',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Seconds the caller should wait before trying again (lockout, growing delay). */
  readonly retryAfterSeconds?: number;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, extra?: { retryAfterSeconds?: number }): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}

/** Ends an exhaustive switch: a new union member that is not handled fails the type check. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${String(value)}`);
}

/**
 * What failed validation, for an `invalid-input` message: the paths of at most five fields and
 * what is wrong with each, never their values (they may be PHI or secrets). One wording for the
 * engine's dispatcher, the cloud's routes and its sockets.
 */
export function describeIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
