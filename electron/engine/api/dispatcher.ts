// Every contract call enters the engine here, from any transport: the input is validated
// against the contract, the session and permission checked, the handler run, its output
// checked, and any thrown bug turned into `internal-error` without leaking its message.
import { changeAuthor } from '../db/change-author';
import { calls, type CallName, isCallName } from '../../../shared/api/contract';
import { permissionsOf } from '../../../shared/domain/roles';
import { fail, invalidInput, type Result } from '../../../shared/errors';
import type { SessionService } from '../session/session-service';
import type { PublicContext, SessionContext } from '../clinic/call-context';
import type { Clinic } from '../clinic/open-clinic';
import type { Engine } from '../engine';
import type { Logger } from '../logger';
import { type AppServices, createHandlers, type Handlers } from './handlers';

export type Invoke = (name: string, input: unknown) => Promise<Result<unknown>>;

/** What the dispatcher itself needs: the session, the open clinic, and a log for bugs. */
export interface DispatchPorts {
  readonly sessions: Pick<SessionService, 'current' | 'touch'>;
  clinic(): Clinic | null;
  readonly logger: Logger;
}

/** The services an engine offers its calls, each feature getting only what it uses. */
export function servicesOf(engine: Engine): AppServices {
  return {
    setup: engine.setup, sessions: engine.sessions, keys: engine.wraps, events: engine.events, sync: engine.syncService,
    visits: { cloud: engine.syncService.sync, events: engine.events, clinic: () => engine.clinic, care: engine.care }, backups: engine.backups,
    updates: { service: engine.updates, care: engine.care, cloud: engine.syncService.sync },
  };
}

/** The single entry for a host: the engine's calls behind validation, permissions and audit. */
export function createDispatcher(engine: Engine, handlers: Handlers = createHandlers(servicesOf(engine))): Invoke {
  return dispatch({ sessions: engine.sessions, clinic: () => engine.clinic, logger: engine.logger }, handlers);
}

export function dispatch(ports: DispatchPorts, handlers: Handlers): Invoke {
  return async (name, rawInput) => {
    if (!isCallName(name)) return fail('unknown-call', 'That call does not exist.');
    const spec = calls[name];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) return invalidInput(parsed.error.issues);

    const session = ports.sessions.current();
    if (spec.access === 'public') return run(name, parsed.data, { user: session?.user ?? null });
    if (!session) return fail('not-signed-in', 'Sign in first.');
    // A session exists only while its clinic is open (session/session-service.ts).
    const clinic = ports.clinic();
    if (!clinic) {
      ports.logger.error({ event: 'call.failed', call: name, error: 'session-without-clinic' }, 'call failed');
      return fail('internal-error', 'Something went wrong. Nothing was changed; try again.');
    }
    if (session.state === 'locked' && !spec.whileLocked) return fail('session-locked', 'The session is locked. Enter your password to continue.');
    if (spec.access !== 'session' && !permissionsOf(session.user.roles).has(spec.access)) {
      // Break the glass: an unexpired grant for this patient stands in for a chart read.
      const patientId = (parsed.data as { patientId?: string }).patientId;
      const grant = spec.emergency && patientId ? await emergencyGrant(clinic, session.user.id, patientId) : null;
      if (grant) {
        ports.sessions.touch();
        return run(name, parsed.data, { user: session.user, clinic, emergencyUntil: grant });
      }
      if (spec.phi) {
        await clinic.write(async (m) =>
          m.audit({ userId: session.user.id, username: session.user.username, action: name, patientId: null, outcome: 'denied', detail: null }),
        );
      }
      return fail('permission-denied', 'Your role does not allow this.');
    }
    if (!spec.passive) ports.sessions.touch();
    return run(name, parsed.data, { user: session.user, clinic });
  };

  async function run(name: CallName, input: unknown, ctx: PublicContext | SessionContext): Promise<Result<unknown>> {
    const spec = calls[name];
    try {
      const handler = handlers[name] as (i: unknown, c: PublicContext | SessionContext) => Promise<Result<unknown>>;
      // The signed-in user is the author of whatever change sets the call writes.
      const result = ctx.user ? await changeAuthor.run(ctx.user.id, () => handler(input, ctx)) : await handler(input, ctx);
      if (result.ok) {
        const out = (spec.output as { safeParse(v: unknown): { success: boolean } }).safeParse(result.value);
        if (!out.success) throw new Error(`output of ${name} does not match the contract`);
      }
      return result;
    } catch (e) {
      ports.logger.error({ event: 'call.failed', call: name as CallName, error: e instanceof Error ? e.name : 'unknown' }, 'call failed');
      return fail('internal-error', 'Something went wrong. Nothing was changed; try again.');
    }
  }
}

/** The expiry of the caller's unexpired emergency-access grant for this patient, if any. */
async function emergencyGrant(clinic: Clinic, userId: string, patientId: string): Promise<string | null> {
  const row = await clinic.db.get<{ expires_at: string }>(
    'SELECT expires_at FROM emergency_access WHERE user_id = ? AND patient_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1',
    [userId, patientId, new Date().toISOString()],
  );
  return row?.expires_at ?? null;
}
