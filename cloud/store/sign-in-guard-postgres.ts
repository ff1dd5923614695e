// The sign-in guard's part of the PostgreSQL store (store.ts, SignInGuardStore). A failure makes
// its row if need be, then locks it (FOR UPDATE) before counting, so two service processes
// counting at once for one username never lose a failure.
import { type FailureCount, failureAfter, type LockoutPolicy } from '../../shared/domain/sign-in-lockout';
import type { InTenant } from './postgres-in-tenant';
import type { DeviceStore, SignInGuardStore } from './store';


export class PostgresSignInGuard implements SignInGuardStore, Pick<DeviceStore, 'setGuardSecretHash' | 'guardSecretHash'> {
  constructor(private readonly inTenant: InTenant) {}

  async setGuardSecretHash(tenantId: string, deviceId: string, hash: string): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('UPDATE devices SET guard_hash = $3 WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId, hash]));
  }

  async guardSecretHash(tenantId: string, deviceId: string): Promise<string | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ guard_hash: string | null }>('SELECT guard_hash FROM devices WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId]));
    return r.rows[0]?.guard_hash ?? null;
  }

  async recordSignInFailure(tenantId: string, subject: string, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>): Promise<FailureCount> {
    return this.inTenant(tenantId, async (c) => {
      await c.query('INSERT INTO sign_in_failures (tenant_id, subject, failures, locked_until) VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING', [tenantId, subject]);
      const prev = (await c.query<{ failures: number; locked_until: string }>('SELECT failures, locked_until FROM sign_in_failures WHERE tenant_id = $1 AND subject = $2 FOR UPDATE', [tenantId, subject])).rows[0];
      const next = failureAfter(prev && { failures: prev.failures, lockedUntil: Number(prev.locked_until) }, now, policy);
      await c.query('UPDATE sign_in_failures SET failures = $3, locked_until = $4 WHERE tenant_id = $1 AND subject = $2', [tenantId, subject, next.failures, next.lockedUntil]);
      return { failures: next.failures, lockedUntil: next.lockedUntil };
    });
  }

  async signInLockedUntil(tenantId: string, subject: string): Promise<number> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ locked_until: string }>('SELECT locked_until FROM sign_in_failures WHERE tenant_id = $1 AND subject = $2', [tenantId, subject]));
    return Number(r.rows[0]?.locked_until ?? 0);
  }

  async clearSignInFailures(tenantId: string, subject: string): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('DELETE FROM sign_in_failures WHERE tenant_id = $1 AND subject = $2', [tenantId, subject]));
  }
}
