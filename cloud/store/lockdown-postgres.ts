// Lockdowns in the PostgreSQL store (store.ts, LockdownStore). Beginning one locks the tenant's
// row first, so two service processes asked at once begin one lockdown, not two.
import type { InTenant } from './postgres-in-tenant';
import type { LockdownRecord, LockdownStore } from './store';

type Row = { seq: number; started_at: Date; started_by: string | null };
const toRecord = (r: Row): LockdownRecord => ({ seq: r.seq, startedAt: r.started_at.toISOString(), startedBy: r.started_by });

export class PostgresLockdowns implements LockdownStore {
  constructor(private readonly inTenant: InTenant) {}

  async itKey(tenantId: string): Promise<string | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ public_key: string }>('SELECT public_key FROM it_keys WHERE tenant_id = $1', [tenantId]));
    return r.rows[0]?.public_key ?? null;
  }

  async setItKey(tenantId: string, publicKey: string, at: string): Promise<'stored' | 'same' | 'refused'> {
    return this.inTenant(tenantId, async (c) => {
      const inserted = await c.query('INSERT INTO it_keys (tenant_id, public_key, set_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, publicKey, at]);
      if (inserted.rowCount === 1) return 'stored';
      const had = await c.query<{ public_key: string }>('SELECT public_key FROM it_keys WHERE tenant_id = $1', [tenantId]);
      return had.rows[0]?.public_key === publicKey ? 'same' : 'refused';
    });
  }

  async useItCommand(tenantId: string, nonce: string, command: string, deviceId: string | null, at: string): Promise<boolean> {
    const r = await this.inTenant(tenantId, (c) => c.query('INSERT INTO it_commands (tenant_id, nonce, command, device_id, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [tenantId, nonce, command, deviceId, at]));
    return r.rowCount === 1;
  }

  async lockDown(tenantId: string, startedBy: string | null, at: string): Promise<LockdownRecord> {
    return this.inTenant(tenantId, async (c) => {
      await c.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
      const newest = (await c.query<Row>('SELECT seq, started_at, started_by FROM lockdowns WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1', [tenantId])).rows[0];
      if (newest && (await c.query('SELECT 1 FROM lockdown_lifts WHERE tenant_id = $1 AND seq = $2', [tenantId, newest.seq])).rowCount === 0) return toRecord(newest);
      const seq = (newest?.seq ?? 0) + 1;
      await c.query('INSERT INTO lockdowns (tenant_id, seq, started_at, started_by) VALUES ($1, $2, $3, $4)', [tenantId, seq, at, startedBy]);
      return { seq, startedAt: new Date(at).toISOString(), startedBy };
    });
  }

  async current(tenantId: string): Promise<LockdownRecord | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<Row>('SELECT seq, started_at, started_by FROM lockdowns WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1', [tenantId]));
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  async lift(tenantId: string, seq: number, deviceId: string, at: string): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('INSERT INTO lockdown_lifts (tenant_id, seq, device_id, lifted_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [tenantId, seq, deviceId, at]));
  }

  async lifted(tenantId: string, seq: number): Promise<string[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ device_id: string }>('SELECT device_id FROM lockdown_lifts WHERE tenant_id = $1 AND seq = $2 ORDER BY lifted_at', [tenantId, seq]));
    return r.rows.map((x) => x.device_id);
  }

  async holding(tenantId: string, deviceId: string): Promise<LockdownRecord | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<Row>(`SELECT l.seq, l.started_at, l.started_by FROM lockdowns l JOIN devices d ON d.tenant_id = l.tenant_id AND d.device_id = $2
      WHERE l.tenant_id = $1 AND l.seq = (SELECT max(seq) FROM lockdowns WHERE tenant_id = $1) AND d.enrolled_at <= l.started_at AND d.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM lockdown_lifts f WHERE f.tenant_id = l.tenant_id AND f.seq = l.seq AND f.device_id = d.device_id)`, [tenantId, deviceId]));
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }
}
