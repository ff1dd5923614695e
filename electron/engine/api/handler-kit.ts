// Small pieces every feature's handlers share: who is calling, and their audit records.
import type { CallName, CallOutput, CallParsedInput } from '../../../shared/api/contract';
import type { User } from '../../../shared/domain/user';
import type { Result } from '../../../shared/errors';
import type { AuditRecord } from '../audit/audit-log';

/** Who is calling; `user` is null only for public calls made before sign-in. */
export interface CallContext {
  readonly user: User | null;
  /** Set when the call was allowed by an emergency-access grant rather than by role. */
  readonly emergencyUntil?: string | null;
}

export type Handler<K extends CallName> = (input: CallParsedInput<K>, ctx: CallContext) => Promise<Result<CallOutput<K>>>;
export type HandlersFor<K extends CallName> = { readonly [P in K]: Handler<P> };

export function actor(ctx: CallContext): User {
  if (!ctx.user) throw new Error('handler needs a signed-in user');
  return ctx.user;
}

export function auditOf(ctx: CallContext, action: string, patientId: string | null, detail: string | null = null): AuditRecord {
  const u = actor(ctx);
  const emergency = ctx.emergencyUntil ? `emergency access${detail ? `; ${detail}` : ''}` : detail;
  return { userId: u.id, username: u.username, action, patientId, outcome: 'success', detail: emergency };
}
