// Releases, update policies and update events in the PostgreSQL store (store.ts,
// ReleaseStore). Releases belong to no tenant (the same build serves every clinic), so they are
// read on the pool; policies, groups and events are tenant rows under row-level security. A
// policy's next version is numbered under the tenant row's lock, so two processes cannot both
// write version n + 1.
import type pg from 'pg';
import type { UpdatePolicy } from '../../shared/updates/policy';
import type { Channel, RollbackGrant } from '../../shared/updates/release';
import type { UpdateEvent } from '../../shared/updates/report';
import type { InTenant } from './postgres-in-tenant';
import { parsePolicy, sameRelease } from './releases-rows';
import type { PolicyRecord, ReleaseRecord, ReleaseStore } from './store';

type ReleaseRow = { version: string; channel: Channel; release_date: string; manifests: string; signatures: string; published_at: Date };
const toRelease = (r: ReleaseRow): ReleaseRecord => ({
  version: r.version, channel: r.channel, releaseDate: r.release_date, manifests: JSON.parse(r.manifests), signatures: JSON.parse(r.signatures), publishedAt: r.published_at.toISOString(),
});
type EventRow = { device_id: string; kind: UpdateEvent['kind']; version: string; channel: string | null; detail: string | null; at: Date };
const toEvent = (r: EventRow): UpdateEvent => ({ deviceId: r.device_id, kind: r.kind, version: r.version, channel: r.channel, detail: r.detail, at: r.at.toISOString() });

export class PostgresReleases implements ReleaseStore {
  constructor(private readonly pool: pg.Pool, private readonly inTenant: InTenant) {}

  async putRelease(r: ReleaseRecord): Promise<'stored' | 'same' | 'conflict'> {
    const inserted = await this.pool.query('INSERT INTO releases (version, channel, release_date, manifests, signatures, published_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [r.version, r.channel, r.releaseDate, JSON.stringify(r.manifests), JSON.stringify(r.signatures), r.publishedAt]);
    if (inserted.rowCount === 1) return 'stored';
    const had = await this.release(r.version);
    return had && sameRelease(had, r) ? 'same' : 'conflict';
  }

  async putReleaseChunk(version: string, file: string, idx: number, bytes: Buffer): Promise<'stored' | 'same' | 'conflict'> {
    const inserted = await this.pool.query('INSERT INTO release_chunks (version, file, idx, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [version, file, idx, bytes]);
    if (inserted.rowCount === 1) return 'stored';
    const had = await this.releaseChunk(version, file, idx);
    return had?.equals(bytes) ? 'same' : 'conflict';
  }

  async release(version: string): Promise<ReleaseRecord | null> {
    const r = await this.pool.query<ReleaseRow>('SELECT * FROM releases WHERE version = $1', [version]);
    return r.rows[0] ? toRelease(r.rows[0]) : null;
  }

  async listReleases(): Promise<ReleaseRecord[]> {
    return (await this.pool.query<ReleaseRow>('SELECT * FROM releases ORDER BY published_at DESC, version DESC')).rows.map(toRelease);
  }

  async releaseChunk(version: string, file: string, idx: number): Promise<Buffer | null> {
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM release_chunks WHERE version = $1 AND file = $2 AND idx = $3', [version, file, idx]);
    return r.rows[0]?.bytes ?? null;
  }

  async putRollbackGrant(g: RollbackGrant, at: string): Promise<'stored' | 'same' | 'conflict'> {
    const inserted = await this.pool.query('INSERT INTO rollback_grants (channel, version, key_id, signature, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [g.channel, g.version, g.keyId, g.signature, at]);
    if (inserted.rowCount === 1) return 'stored';
    const had = await this.rollbackGrant(g.channel, g.version);
    return had && had.keyId === g.keyId && had.signature === g.signature ? 'same' : 'conflict';
  }

  async rollbackGrant(channel: Channel, version: string): Promise<RollbackGrant | null> {
    const r = await this.pool.query<{ key_id: string; signature: string }>('SELECT key_id, signature FROM rollback_grants WHERE channel = $1 AND version = $2', [channel, version]);
    return r.rows[0] ? { channel, version, keyId: r.rows[0].key_id, signature: r.rows[0].signature } : null;
  }

  async policy(tenantId: string, group: string | null): Promise<PolicyRecord | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ seq: number; policy: string; by: string; at: Date }>(
      'SELECT seq, policy, by, at FROM update_policies WHERE tenant_id = $1 AND grp = $2 ORDER BY seq DESC LIMIT 1', [tenantId, group ?? '']));
    const row = r.rows[0];
    return row ? { seq: row.seq, policy: parsePolicy(row.policy), by: row.by, at: row.at.toISOString() } : null;
  }

  async setPolicy(tenantId: string, group: string | null, policy: UpdatePolicy, by: string, at: string, expectSeq: number): Promise<'stored' | 'stale'> {
    return this.inTenant(tenantId, async (c) => {
      await c.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
      const newest = (await c.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM update_policies WHERE tenant_id = $1 AND grp = $2', [tenantId, group ?? ''])).rows[0]?.seq ?? 0;
      if (newest !== expectSeq) return 'stale';
      await c.query('INSERT INTO update_policies (tenant_id, grp, seq, policy, by, at) VALUES ($1, $2, $3, $4, $5, $6)', [tenantId, group ?? '', newest + 1, JSON.stringify(policy), by, at]);
      return 'stored';
    });
  }

  async groups(tenantId: string): Promise<string[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ grp: string }>("SELECT DISTINCT grp FROM update_policies WHERE tenant_id = $1 AND grp <> '' ORDER BY grp", [tenantId]));
    return r.rows.map((x) => x.grp);
  }

  async setDeviceGroup(tenantId: string, deviceId: string, group: string | null, at: string): Promise<void> {
    await this.inTenant(tenantId, async (c) => {
      await c.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
      await c.query(`INSERT INTO device_groups (tenant_id, device_id, seq, grp, at)
        SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4 FROM device_groups WHERE tenant_id = $1 AND device_id = $2`, [tenantId, deviceId, group ?? '', at]);
    });
  }

  async deviceGroups(tenantId: string): Promise<Map<string, string>> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ device_id: string; grp: string }>(
      'SELECT DISTINCT ON (device_id) device_id, grp FROM device_groups WHERE tenant_id = $1 ORDER BY device_id, seq DESC', [tenantId]));
    return new Map(r.rows.filter((x) => x.grp !== '').map((x) => [x.device_id, x.grp]));
  }

  async recordUpdateEvent(tenantId: string, e: UpdateEvent): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('INSERT INTO update_events (tenant_id, device_id, kind, version, channel, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [tenantId, e.deviceId, e.kind, e.version, e.channel, e.detail, e.at]));
  }

  async newestUpdateEvents(tenantId: string): Promise<UpdateEvent[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<EventRow & { id: string }>(
      `SELECT * FROM (SELECT DISTINCT ON (device_id, kind) id, device_id, kind, version, channel, detail, at FROM update_events WHERE tenant_id = $1
        ORDER BY device_id, kind, id DESC) newest ORDER BY id`, [tenantId]));
    return r.rows.map(toEvent);
  }
}
