// Every contract call enters the engine here, from any transport: the input is validated
// against the contract, the session and permission checked, the handler run, its output
// checked, and any thrown bug turned into `internal-error` without leaking its message.
import { calls, type CallName, isCallName } from '../../../shared/api/contract';
import { permissionsOf } from '../../../shared/domain/roles';
import { fail, type Result } from '../../../shared/errors';
import type { Engine } from '../engine';
import { createHandlers, type CallContext, type Handlers } from './handlers';

export type Invoke = (name: string, input: unknown) => Promise<Result<unknown>>;

/** Paths of the fields that failed, never their values (they may be PHI). */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function createDispatcher(engine: Engine, handlers: Handlers = createHandlers(engine)): Invoke {
  return async (name, rawInput) => {
    if (!isCallName(name)) return fail('unknown-call', 'That call does not exist.');
    const spec = calls[name];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) return fail('invalid-input', describeIssues(parsed.error.issues));

    const session = engine.currentSession();
    if (spec.access !== 'public') {
      if (!session) return fail('not-signed-in', 'Sign in first.');
      if (session.state === 'locked' && !spec.whileLocked) return fail('session-locked', 'The session is locked. Enter your password to continue.');
      if (spec.access !== 'session' && !permissionsOf(session.user.roles).has(spec.access)) {
        // Break the glass: an unexpired grant for this patient stands in for a chart read.
        const patientId = (parsed.data as { patientId?: string }).patientId;
        const grant = spec.emergency && patientId ? await emergencyGrant(engine, session.user.id, patientId) : null;
        if (grant) {
          engine.touch();
          return run(name, parsed.data, { user: session.user, emergencyUntil: grant });
        }
        if (spec.phi) {
          await engine.write(async (m) =>
            m.audit({ userId: session.user.id, username: session.user.username, action: name, patientId: null, outcome: 'denied', detail: null }),
          );
        }
        return fail('permission-denied', 'Your role does not allow this.');
      }
      if (!spec.passive) engine.touch();
    }

    return run(name, parsed.data, { user: session?.user ?? null });
  };

  async function run(name: CallName, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
    const spec = calls[name];
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<Result<unknown>>;
      const result = await handler(input, ctx);
      if (result.ok) {
        const out = (spec.output as { safeParse(v: unknown): { success: boolean } }).safeParse(result.value);
        if (!out.success) throw new Error(`output of ${name} does not match the contract`);
      }
      return result;
    } catch (e) {
      engine.logger.error({ event: 'call.failed', call: name as CallName, error: e instanceof Error ? e.name : 'unknown' }, 'call failed');
      return fail('internal-error', 'Something went wrong. Nothing was changed; try again.');
    }
  }
}

/** The expiry of the caller's unexpired emergency-access grant for this patient, if any. */
async function emergencyGrant(engine: Engine, userId: string, patientId: string): Promise<string | null> {
  const row = await engine.db.get<{ expires_at: string }>(
    'SELECT expires_at FROM emergency_access WHERE user_id = ? AND patient_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1',
    [userId, patientId, new Date().toISOString()],
  );
  return row?.expires_at ?? null;
}
