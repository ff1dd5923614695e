// Lockdowns in the SQLite store (store.ts, LockdownStore): better-sqlite3 is synchronous, so a
// lockdown's read and insert in one immediate transaction are atomic in this process.
import type Database from 'better-sqlite3';
import type { LockdownRecord, LockdownStore } from './store';

type Row = { seq: number; started_at: string; started_by: string | null };
const toRecord = (r: Row): LockdownRecord => ({ seq: r.seq, startedAt: r.started_at, startedBy: r.started_by });

export class SqliteLockdowns implements LockdownStore {
  constructor(private readonly db: Database.Database) {}

  async itKey(tenantId: string): Promise<string | null> {
    return (this.db.prepare('SELECT public_key FROM it_keys WHERE tenant_id = ?').get(tenantId) as { public_key: string } | undefined)?.public_key ?? null;
  }

  async setItKey(tenantId: string, publicKey: string, at: string): Promise<'stored' | 'same' | 'refused'> {
    return this.db.transaction(() => {
      const had = this.db.prepare('SELECT public_key FROM it_keys WHERE tenant_id = ?').get(tenantId) as { public_key: string } | undefined;
      if (had) return had.public_key === publicKey ? 'same' : 'refused';
      this.db.prepare('INSERT INTO it_keys (tenant_id, public_key, set_at) VALUES (?, ?, ?)').run(tenantId, publicKey, at);
      return 'stored';
    }).immediate();
  }

  async useItCommand(tenantId: string, nonce: string, command: string, deviceId: string | null, at: string): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO it_commands (tenant_id, nonce, command, device_id, at) VALUES (?, ?, ?, ?, ?)').run(tenantId, nonce, command, deviceId, at).changes === 1;
  }

  async lockDown(tenantId: string, startedBy: string | null, at: string): Promise<LockdownRecord> {
    return this.db.transaction(() => {
      const newest = this.newest(tenantId);
      if (newest && !this.db.prepare('SELECT 1 FROM lockdown_lifts WHERE tenant_id = ? AND seq = ?').get(tenantId, newest.seq)) return newest;
      const seq = (newest?.seq ?? 0) + 1;
      this.db.prepare('INSERT INTO lockdowns (tenant_id, seq, started_at, started_by) VALUES (?, ?, ?, ?)').run(tenantId, seq, at, startedBy);
      return { seq, startedAt: at, startedBy };
    }).immediate();
  }

  async current(tenantId: string): Promise<LockdownRecord | null> {
    return this.newest(tenantId);
  }

  async lift(tenantId: string, seq: number, deviceId: string, at: string): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO lockdown_lifts (tenant_id, seq, device_id, lifted_at) VALUES (?, ?, ?, ?)').run(tenantId, seq, deviceId, at);
  }

  async lifted(tenantId: string, seq: number): Promise<string[]> {
    return (this.db.prepare('SELECT device_id FROM lockdown_lifts WHERE tenant_id = ? AND seq = ? ORDER BY lifted_at').all(tenantId, seq) as { device_id: string }[]).map((r) => r.device_id);
  }

  async holding(tenantId: string, deviceId: string): Promise<LockdownRecord | null> {
    const r = this.db.prepare(`SELECT l.seq, l.started_at, l.started_by FROM lockdowns l JOIN devices d ON d.tenant_id = l.tenant_id AND d.device_id = ?
      WHERE l.tenant_id = ? AND l.seq = (SELECT max(seq) FROM lockdowns WHERE tenant_id = ?) AND d.enrolled_at <= l.started_at AND d.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM lockdown_lifts f WHERE f.tenant_id = l.tenant_id AND f.seq = l.seq AND f.device_id = d.device_id)`).get(deviceId, tenantId, tenantId) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  private newest(tenantId: string): LockdownRecord | null {
    const r = this.db.prepare('SELECT seq, started_at, started_by FROM lockdowns WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1').get(tenantId) as Row | undefined;
    return r ? toRecord(r) : null;
  }
}
