// Releases, update policies and update events in the SQLite store (store.ts, ReleaseStore).
// better-sqlite3 is synchronous, so each read-then-insert runs in one immediate transaction.
import type Database from 'better-sqlite3';
import type { UpdatePolicy } from '../../shared/updates/policy';
import type { Channel, RollbackGrant } from '../../shared/updates/release';
import type { UpdateEvent } from '../../shared/updates/report';
import { parsePolicy, sameRelease } from './releases-rows';
import type { PolicyRecord, ReleaseRecord, ReleaseStore } from './store';

type ReleaseRow = { version: string; channel: Channel; release_date: string; manifests: string; signatures: string; published_at: string };
const toRelease = (r: ReleaseRow): ReleaseRecord => ({
  version: r.version, channel: r.channel, releaseDate: r.release_date, manifests: JSON.parse(r.manifests), signatures: JSON.parse(r.signatures), publishedAt: r.published_at,
});
type EventRow = { device_id: string; kind: UpdateEvent['kind']; version: string; channel: string | null; detail: string | null; at: string };
const toEvent = (r: EventRow): UpdateEvent => ({ deviceId: r.device_id, kind: r.kind, version: r.version, channel: r.channel, detail: r.detail, at: r.at });

export class SqliteReleases implements ReleaseStore {
  constructor(private readonly db: Database.Database) {}

  async putRelease(r: ReleaseRecord): Promise<'stored' | 'same' | 'conflict'> {
    return this.db.transaction(() => {
      const had = this.db.prepare('SELECT * FROM releases WHERE version = ?').get(r.version) as ReleaseRow | undefined;
      if (had) return sameRelease(toRelease(had), r) ? 'same' : 'conflict';
      this.db.prepare('INSERT INTO releases (version, channel, release_date, manifests, signatures, published_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(r.version, r.channel, r.releaseDate, JSON.stringify(r.manifests), JSON.stringify(r.signatures), r.publishedAt);
      return 'stored';
    }).immediate();
  }

  async putReleaseChunk(version: string, file: string, idx: number, bytes: Buffer): Promise<'stored' | 'same' | 'conflict'> {
    return this.db.transaction(() => {
      const had = this.db.prepare('SELECT bytes FROM release_chunks WHERE version = ? AND file = ? AND idx = ?').get(version, file, idx) as { bytes: Buffer } | undefined;
      if (had) return had.bytes.equals(bytes) ? 'same' : 'conflict';
      this.db.prepare('INSERT INTO release_chunks (version, file, idx, bytes) VALUES (?, ?, ?, ?)').run(version, file, idx, bytes);
      return 'stored';
    }).immediate();
  }

  async release(version: string): Promise<ReleaseRecord | null> {
    const r = this.db.prepare('SELECT * FROM releases WHERE version = ?').get(version) as ReleaseRow | undefined;
    return r ? toRelease(r) : null;
  }

  async listReleases(): Promise<ReleaseRecord[]> {
    return (this.db.prepare('SELECT * FROM releases ORDER BY published_at DESC, version DESC').all() as ReleaseRow[]).map(toRelease);
  }

  async releaseChunk(version: string, file: string, idx: number): Promise<Buffer | null> {
    return (this.db.prepare('SELECT bytes FROM release_chunks WHERE version = ? AND file = ? AND idx = ?').get(version, file, idx) as { bytes: Buffer } | undefined)?.bytes ?? null;
  }

  async putRollbackGrant(g: RollbackGrant, at: string): Promise<'stored' | 'same' | 'conflict'> {
    return this.db.transaction(() => {
      const had = this.db.prepare('SELECT key_id, signature FROM rollback_grants WHERE channel = ? AND version = ?').get(g.channel, g.version) as { key_id: string; signature: string } | undefined;
      if (had) return had.key_id === g.keyId && had.signature === g.signature ? 'same' : 'conflict';
      this.db.prepare('INSERT INTO rollback_grants (channel, version, key_id, signature, added_at) VALUES (?, ?, ?, ?, ?)').run(g.channel, g.version, g.keyId, g.signature, at);
      return 'stored';
    }).immediate();
  }

  async rollbackGrant(channel: Channel, version: string): Promise<RollbackGrant | null> {
    const r = this.db.prepare('SELECT key_id, signature FROM rollback_grants WHERE channel = ? AND version = ?').get(channel, version) as { key_id: string; signature: string } | undefined;
    return r ? { channel, version, keyId: r.key_id, signature: r.signature } : null;
  }

  async policy(tenantId: string, group: string | null): Promise<PolicyRecord | null> {
    const r = this.db.prepare('SELECT seq, policy, by, at FROM update_policies WHERE tenant_id = ? AND grp = ? ORDER BY seq DESC LIMIT 1').get(tenantId, group ?? '') as
      { seq: number; policy: string; by: string; at: string } | undefined;
    return r ? { seq: r.seq, policy: parsePolicy(r.policy), by: r.by, at: r.at } : null;
  }

  async setPolicy(tenantId: string, group: string | null, policy: UpdatePolicy, by: string, at: string, expectSeq: number): Promise<'stored' | 'stale'> {
    return this.db.transaction(() => {
      const newest = (this.db.prepare('SELECT max(seq) AS seq FROM update_policies WHERE tenant_id = ? AND grp = ?').get(tenantId, group ?? '') as { seq: number | null }).seq ?? 0;
      if (newest !== expectSeq) return 'stale';
      this.db.prepare('INSERT INTO update_policies (tenant_id, grp, seq, policy, by, at) VALUES (?, ?, ?, ?, ?, ?)').run(tenantId, group ?? '', newest + 1, JSON.stringify(policy), by, at);
      return 'stored';
    }).immediate();
  }

  async groups(tenantId: string): Promise<string[]> {
    return (this.db.prepare("SELECT DISTINCT grp FROM update_policies WHERE tenant_id = ? AND grp <> '' ORDER BY grp").all(tenantId) as { grp: string }[]).map((r) => r.grp);
  }

  async setDeviceGroup(tenantId: string, deviceId: string, group: string | null, at: string): Promise<void> {
    this.db.transaction(() => {
      const seq = ((this.db.prepare('SELECT max(seq) AS seq FROM device_groups WHERE tenant_id = ? AND device_id = ?').get(tenantId, deviceId) as { seq: number | null }).seq ?? 0) + 1;
      this.db.prepare('INSERT INTO device_groups (tenant_id, device_id, seq, grp, at) VALUES (?, ?, ?, ?, ?)').run(tenantId, deviceId, seq, group ?? '', at);
    }).immediate();
  }

  async deviceGroups(tenantId: string): Promise<Map<string, string>> {
    const rows = this.db.prepare(`SELECT device_id, grp FROM device_groups g WHERE tenant_id = ? AND seq = (SELECT max(seq) FROM device_groups WHERE tenant_id = g.tenant_id AND device_id = g.device_id)`).all(tenantId) as { device_id: string; grp: string }[];
    return new Map(rows.filter((r) => r.grp !== '').map((r) => [r.device_id, r.grp]));
  }

  async recordUpdateEvent(tenantId: string, e: UpdateEvent): Promise<void> {
    this.db.prepare('INSERT INTO update_events (tenant_id, device_id, kind, version, channel, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(tenantId, e.deviceId, e.kind, e.version, e.channel, e.detail, e.at);
  }

  async newestUpdateEvents(tenantId: string): Promise<UpdateEvent[]> {
    const rows = this.db.prepare(`SELECT device_id, kind, version, channel, detail, at FROM update_events e WHERE tenant_id = ?
      AND id = (SELECT max(id) FROM update_events WHERE tenant_id = e.tenant_id AND device_id = e.device_id AND kind = e.kind) ORDER BY id`).all(tenantId) as EventRow[];
    return rows.map(toEvent);
  }
}
