// The video visits' part of the PostgreSQL store (store.ts, VisitStore, but for the relay,
// which is postgres-channels.ts): links (by token hash), the tenant's STUN/TURN settings, and
// the claim on a visit's one patient browser, renewed by the process holding its socket.
import type pg from 'pg';
import type { InTenant } from './postgres-in-tenant';
import type { VisitRecord, VisitStore } from './store';

export class PostgresVisits implements Omit<VisitStore, 'relayVisit' | 'onVisitRelay'> {
  constructor(private readonly pool: pg.Pool, private readonly inTenant: InTenant) {}

  async claimVisitPatient(tenantId: string, visitId: string, holder: string, seat: string, now: string, freshAfter: string): Promise<boolean> {
    const r = await this.inTenant(tenantId, (c) => c.query(`INSERT INTO visit_patients (tenant_id, visit_id, holder, seat, renewed_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id, visit_id) DO UPDATE SET holder = excluded.holder, seat = excluded.seat, renewed_at = excluded.renewed_at
      WHERE visit_patients.renewed_at <= $6 OR visit_patients.seat = excluded.seat`,
    [tenantId, visitId, holder, seat, now, freshAfter]));
    return r.rowCount === 1;
  }

  async renewVisitPatients(claims: readonly { tenantId: string; visitId: string; holder: string }[], now: string): Promise<void> {
    for (const c of claims) {
      await this.inTenant(c.tenantId, (q) => q.query('UPDATE visit_patients SET renewed_at = $4 WHERE tenant_id = $1 AND visit_id = $2 AND holder = $3', [c.tenantId, c.visitId, c.holder, now]));
    }
  }

  async releaseVisitPatient(tenantId: string, visitId: string, holder: string): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('DELETE FROM visit_patients WHERE tenant_id = $1 AND visit_id = $2 AND holder = $3', [tenantId, visitId, holder]));
  }

  async visitsWithPatient(tenantId: string, freshAfter: string): Promise<string[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ visit_id: string }>('SELECT visit_id FROM visit_patients WHERE tenant_id = $1 AND renewed_at > $2 ORDER BY visit_id', [tenantId, freshAfter]));
    return r.rows.map((x) => x.visit_id);
  }

  async setIceSettings(tenantId: string, settings: string): Promise<void> {
    await this.inTenant(tenantId, (c) =>
      c.query('INSERT INTO tenant_ice (tenant_id, settings) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings', [tenantId, settings]));
  }

  async getIceSettings(tenantId: string): Promise<string | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ settings: string }>('SELECT settings FROM tenant_ice WHERE tenant_id = $1', [tenantId]));
    return r.rows[0]?.settings ?? null;
  }

  async addVisit(v: Omit<VisitRecord, 'revokedAt' | 'closedAt' | 'admittedAt'>, tokenHash: string): Promise<void> {
    await this.inTenant(v.tenantId, async (c) => {
      await c.query('INSERT INTO visits (tenant_id, visit_id, valid_from, valid_until, identity_key) VALUES ($1, $2, $3, $4, $5)', [
        v.tenantId, v.visitId, v.validFrom, v.validUntil, v.identityKey,
      ]);
      await c.query('INSERT INTO visit_tokens (token_hash, tenant_id, visit_id) VALUES ($1, $2, $3)', [tokenHash, v.tenantId, v.visitId]);
    });
  }

  async visitByToken(tokenHash: string): Promise<VisitRecord | null> {
    const t = await this.pool.query<{ tenant_id: string; visit_id: string }>('SELECT tenant_id, visit_id FROM visit_tokens WHERE token_hash = $1', [tokenHash]);
    const row = t.rows[0];
    return row ? this.getVisit(row.tenant_id, row.visit_id) : null;
  }

  async getVisit(tenantId: string, visitId: string): Promise<VisitRecord | null> {
    const r = await this.inTenant(tenantId, (c) =>
      c.query<{ tenant_id: string; visit_id: string; valid_from: Date; valid_until: Date; identity_key: string; revoked_at: Date | null; closed_at: Date | null; admitted_at: Date | null }>(
        'SELECT * FROM visits WHERE tenant_id = $1 AND visit_id = $2', [tenantId, visitId]));
    const x = r.rows[0];
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return x
      ? { tenantId: x.tenant_id, visitId: x.visit_id, validFrom: x.valid_from.toISOString(), validUntil: x.valid_until.toISOString(), identityKey: x.identity_key, revokedAt: iso(x.revoked_at), closedAt: iso(x.closed_at), admittedAt: iso(x.admitted_at) }
      : null;
  }

  async markVisit(tenantId: string, visitId: string, field: 'revokedAt' | 'closedAt' | 'admittedAt', at: string): Promise<void> {
    const col = ({ revokedAt: 'revoked_at', closedAt: 'closed_at', admittedAt: 'admitted_at' } as const)[field];
    await this.inTenant(tenantId, (c) => c.query(`UPDATE visits SET ${col} = coalesce(${col}, $3) WHERE tenant_id = $1 AND visit_id = $2`, [tenantId, visitId, at]));
  }
}
