// The sign-in guard's part of the SQLite store (store.ts, SignInGuardStore): better-sqlite3 is
// synchronous, so a failure's read and write in one transaction are atomic in this process.
import type Database from 'better-sqlite3';
import { type FailureCount, failureAfter, type LockoutPolicy } from '../../shared/domain/sign-in-lockout';
import type { DeviceStore, SignInGuardStore } from './store';

export class SqliteSignInGuard implements SignInGuardStore, Pick<DeviceStore, 'setGuardSecretHash' | 'guardSecretHash'> {
  constructor(private readonly db: Database.Database) {}

  async setGuardSecretHash(tenantId: string, deviceId: string, hash: string): Promise<void> {
    this.db.prepare('UPDATE devices SET guard_hash = ? WHERE tenant_id = ? AND device_id = ?').run(hash, tenantId, deviceId);
  }

  async guardSecretHash(tenantId: string, deviceId: string): Promise<string | null> {
    const r = this.db.prepare('SELECT guard_hash FROM devices WHERE tenant_id = ? AND device_id = ?').get(tenantId, deviceId) as { guard_hash: string | null } | undefined;
    return r?.guard_hash ?? null;
  }

  async recordSignInFailure(tenantId: string, subject: string, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>): Promise<FailureCount> {
    return this.db.transaction(() => {
      const prev = this.db.prepare('SELECT failures, locked_until AS lockedUntil FROM sign_in_failures WHERE tenant_id = ? AND subject = ?').get(tenantId, subject) as FailureCount | undefined;
      const next = failureAfter(prev, now, policy);
      this.db.prepare('INSERT INTO sign_in_failures (tenant_id, subject, failures, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, subject) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until')
        .run(tenantId, subject, next.failures, next.lockedUntil);
      return { failures: next.failures, lockedUntil: next.lockedUntil };
    }).immediate();
  }

  async signInLockedUntil(tenantId: string, subject: string): Promise<number> {
    const r = this.db.prepare('SELECT locked_until FROM sign_in_failures WHERE tenant_id = ? AND subject = ?').get(tenantId, subject) as { locked_until: number } | undefined;
    return r?.locked_until ?? 0;
  }

  async clearSignInFailures(tenantId: string, subject: string): Promise<void> {
    this.db.prepare('DELETE FROM sign_in_failures WHERE tenant_id = ? AND subject = ?').run(tenantId, subject);
  }
}
