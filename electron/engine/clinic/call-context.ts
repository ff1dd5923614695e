// What every handler is given: who is calling and, for calls made within a session, the open
// clinic. A public call (setup, sign-in) gets no clinic by its type, a session call always has
// one, so no handler can reach a closed database. Also: the audit record of a call.
import type { CallAccess, CallName, CallOutput, CallParsedInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/domain/user';
import type { Result } from '../../../shared/errors';
import type { AuditRecord } from '../audit/audit-log';
import type { Clinic } from './open-clinic';

/** Before sign-in: maybe someone is signed in (asking who), maybe not. */
export interface PublicContext {
  readonly user: User | null;
}

/** Within a session: the caller and the open clinic. */
export interface SessionContext {
  readonly user: User;
  readonly clinic: Clinic;
  /** Set when the call was allowed by an emergency-access grant rather than by role. */
  readonly emergencyUntil?: string | null;
}

export type ContextFor<K extends CallName> = CallAccess<K> extends 'public' ? PublicContext : SessionContext;
export type Handler<K extends CallName> = (input: CallParsedInput<K>, ctx: ContextFor<K>) => Promise<Result<CallOutput<K>>>;
export type HandlersFor<K extends CallName> = { readonly [P in K]: Handler<P> };

export function auditOf(ctx: SessionContext, action: string, patientId: string | null, detail: string | null = null): AuditRecord {
  const u = ctx.user;
  const emergency = ctx.emergencyUntil ? `emergency access${detail ? `; ${detail}` : ''}` : detail;
  return { userId: u.id, username: u.username, action, patientId, outcome: 'success', detail: emergency };
}
