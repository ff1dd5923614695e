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
        if (spec.phi) {
          await engine.write(async (m) =>
            m.audit({ userId: session.user.id, username: session.user.username, action: name, patientId: null, outcome: 'denied', detail: null }),
          );
        }
        return fail('permission-denied', 'Your role does not allow this.');
      }
      if (name !== 'session.current') engine.touch();
    }

    const ctx: CallContext = { user: session?.user ?? null };
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<Result<unknown>>;
      const result = await handler(parsed.data, ctx);
      if (result.ok) {
        const out = (spec.output as { safeParse(v: unknown): { success: boolean } }).safeParse(result.value);
        if (!out.success) throw new Error(`output of ${name} does not match the contract`);
      }
      return result;
    } catch (e) {
      engine.logger.error({ event: 'call.failed', call: name as CallName, error: e instanceof Error ? e.name : 'unknown' }, 'call failed');
      return fail('internal-error', 'Something went wrong. Nothing was changed; try again.');
    }
  };
}
