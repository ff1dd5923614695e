// Expected failures as values: every boundary (IPC, HTTP, CLI) carries `{ code, message }`
// with a stable kebab-case code, never a stack trace and never PHI.
import { issueInWords } from './field-labels';

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
  'audit-head-conflict',
  'not-a-backup',
  'backup-damaged',
  'wrong-recovery-code',
  'no-recovery-key',
  'restore-check-failed',
  'no-backup-folder',
  'rate-limited',
  'clinic-locked-down',
  'no-it-key',
  'it-key-set',
  'stale-command',
  'bad-signature',
  'hash-mismatch',
  'downgrade-refused',
  'stale-feed',
  'no-such-release',
  'internal-error',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Seconds the caller should wait before trying again (lockout, growing delay). */
  readonly retryAfterSeconds?: number;
  /** For `invalid-input`: each field that failed, for a form to mark. */
  readonly fields?: readonly FieldIssue[];
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

/** One field that failed validation: where, and what is wrong with it in words (never its value). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

/**
 * What failed validation, for an `invalid-input` message: every field (up to twelve) in the
 * words the user reads ("Temperature is above the plausible range (30–45 °C)"), never their
 * values (they may be PHI or secrets). One wording for the engine's dispatcher, the cloud's
 * routes and its sockets.
 */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.slice(0, 12).map(issueInWords).join('; ');
}

/** An `invalid-input` failure with each field's issue, so a form can mark every wrong field at once. */
export function invalidInput<T = never>(issues: readonly Issue[]): Result<T> {
  const fields = issues.slice(0, 12).map((i) => ({ path: i.path.map(String).join('.'), message: issueInWords(i) }));
  return { ok: false, error: { code: 'invalid-input', message: describeIssues(issues), fields } };
}
