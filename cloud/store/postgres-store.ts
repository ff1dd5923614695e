// PostgreSQL store, for deployments that outgrow one machine. Every tenant-scoped table has
// row-level security forced (the service's own role is subject to it), and each operation runs
// in a transaction that names its tenant, so a query that forgot its WHERE still sees one tenant.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Envelope, StoredEnvelope } from '../../shared/sync/wire';
import { type AppendResult, type AuditHeadRecord, type BlobChunk, type CloudStore, type CodeKind, type DeviceRecord, type OutboxReport, type SnapshotBound, type SnapshotRecord, type TenantEvent, type VisitRecord, type VisitRelay } from './store';
import type { LockoutPolicy } from '../../shared/domain/sign-in-lockout';
import { headVerdict } from './audit-heads';
import { type InTenant, inTenant } from './postgres-in-tenant';
import { PostgresVisits } from './postgres-visits';
import { PostgresSignInGuard } from './sign-in-guard-postgres';
import { PostgresLockdowns } from './lockdown-postgres';
import { PostgresReleases } from './releases-postgres';
import { rowLevelSecurity } from './migrations/row-level-security';
import { CHANNEL, PgChannels } from './postgres-channels';
import { cloudMigrations } from './migrations/index';
import { migratePostgres } from './migrations/run-postgres';

interface DeviceRow {
  tenant_id: string; device_id: string; name: string; signing_key: string; box_key: string; enrolled_at: Date; revoked_at: Date | null; number: number;
  last_seen_at: Date | null; unsent: number | null; oldest_unsent_at: Date | null; outbox_at: Date | null;
}
const toDevice = (r: DeviceRow): DeviceRecord => ({
  tenantId: r.tenant_id, deviceId: r.device_id, name: r.name, signingKey: r.signing_key, boxKey: r.box_key,
  enrolledAt: r.enrolled_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null, number: r.number, lastSeenAt: r.last_seen_at?.toISOString() ?? null,
  outbox: r.outbox_at ? { unsent: r.unsent ?? 0, oldestAt: r.oldest_unsent_at ? r.oldest_unsent_at.toISOString() : null, at: r.outbox_at.toISOString() } : null,
});
/** Every table with a tenant column: each gets the same forced row-level security policy. */
const TENANT_TABLES = ['audit_heads', 'blob_chunks', 'devices', 'it_commands', 'it_keys', 'key_wraps', 'lockdown_lifts', 'lockdowns', 'messages', 'sign_in_failures', 'snapshots', 'tenant_ice', 'token_requests', 'update_events', 'update_policies', 'device_groups', 'visits', 'visit_patients'] as const;

export class PostgresStore implements CloudStore {
  private readonly pool: pg.Pool;
  private readonly channels: PgChannels;
  private readonly guard: PostgresSignInGuard;
  readonly lockdowns: PostgresLockdowns;
  readonly releases: PostgresReleases;
  private readonly visits: PostgresVisits;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
    this.channels = new PgChannels(this.pool);
    this.guard = new PostgresSignInGuard(this.inTenant);
    this.lockdowns = new PostgresLockdowns(this.inTenant);
    this.releases = new PostgresReleases(this.pool, this.inTenant);
    this.visits = new PostgresVisits(this.pool, this.inTenant);
  }

  /** Runs `fn` in a transaction whose row-level security admits only `tenantId`. */
  private readonly inTenant: InTenant = (tenantId, fn) => inTenant(this.pool, tenantId, fn);

  /** Brings the schema to the newest migration (cloud/store/migrations/), then row-level security on every tenant table. */
  async migrate(target?: number): Promise<void> {
    await migratePostgres(this.pool, cloudMigrations, { target, after: rowLevelSecurity(TENANT_TABLES) });
  }

  async createTenant(name: string, setupCodeHash: string, expiresAt: string): Promise<{ tenantId: string }> {
    const tenantId = randomUUID();
    await this.inTenant(tenantId, async (c) => {
      await c.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, name]);
      await c.query("INSERT INTO codes (code_hash, tenant_id, kind, expires_at) VALUES ($1, $2, 'setup', $3)", [setupCodeHash, tenantId, expiresAt]);
    });
    return { tenantId };
  }

  async tenantName(tenantId: string): Promise<string | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tenantId]));
    return r.rows[0]?.name ?? null;
  }

  async consumeCode(codeHash: string, now: string, expect?: CodeKind): Promise<{ tenantId: string; kind: CodeKind } | { wrongKind: CodeKind } | null> {
    // One statement: the kind check and the consumption cannot be split by a concurrent use.
    const r = await this.pool.query<{ tenant_id: string; kind: CodeKind; consumed: boolean }>(
      `WITH live AS (SELECT code_hash, kind FROM codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 FOR UPDATE),
            used AS (UPDATE codes c SET used_at = $2 FROM live WHERE c.code_hash = live.code_hash AND ($3::text IS NULL OR live.kind = $3)
                     RETURNING c.tenant_id, c.kind)
       SELECT u.tenant_id, l.kind, u.tenant_id IS NOT NULL AS consumed FROM live l LEFT JOIN used u ON true`,
      [codeHash, now, expect ?? null],
    );
    const row = r.rows[0];
    if (!row) return null;
    return row.consumed ? { tenantId: row.tenant_id, kind: row.kind } : { wrongKind: row.kind };
  }

  async addCode(tenantId: string, kind: CodeKind, codeHash: string, expiresAt: string): Promise<void> {
    await this.pool.query('INSERT INTO codes (code_hash, tenant_id, kind, expires_at) VALUES ($1, $2, $3, $4)', [codeHash, tenantId, kind, expiresAt]);
  }

  async addDevice(d: Omit<DeviceRecord, 'revokedAt' | 'number' | 'lastSeenAt'>): Promise<{ number: number }> {
    return this.inTenant(d.tenantId, async (c) => {
      await c.query('SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE', [d.tenantId]);
      const next = Number((await c.query<{ n: string }>('SELECT coalesce(max(number), 0) + 1 AS n FROM devices WHERE tenant_id = $1', [d.tenantId])).rows[0]?.n);
      if (next > 99) throw new Error('a clinic can have at most 99 workstations');
      await c.query('INSERT INTO devices (tenant_id, device_id, name, signing_key, box_key, enrolled_at, number) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        d.tenantId, d.deviceId, d.name, d.signingKey, d.boxKey, d.enrolledAt, next,
      ]);
      return { number: next };
    });
  }

  async touchDevice(tenantId: string, deviceId: string, at: string): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('UPDATE devices SET last_seen_at = $3 WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId, at]));
  }

  async reportOutbox(tenantId: string, deviceId: string, o: OutboxReport): Promise<void> {
    await this.inTenant(tenantId, (c) => c.query('UPDATE devices SET unsent = $3, oldest_unsent_at = $4, outbox_at = $5 WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId, o.unsent, o.oldestAt, o.at]));
  }

  async useTokenRequest(tenantId: string, deviceId: string, signedAt: string, forgetAfter: string, now: string): Promise<boolean> {
    return this.inTenant(tenantId, async (c) => {
      await c.query('DELETE FROM token_requests WHERE tenant_id = $1 AND device_id = $2 AND forget_after < $3', [tenantId, deviceId, now]);
      const r = await c.query('INSERT INTO token_requests (tenant_id, device_id, signed_at, forget_after) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [tenantId, deviceId, signedAt, forgetAfter]);
      return r.rowCount === 1;
    });
  }

  // The sign-in guard (sign-in-guard-postgres.ts).
  setGuardSecretHash(tenantId: string, deviceId: string, hash: string) { return this.guard.setGuardSecretHash(tenantId, deviceId, hash); }
  guardSecretHash(tenantId: string, deviceId: string) { return this.guard.guardSecretHash(tenantId, deviceId); }
  recordSignInFailure(tenantId: string, subject: string, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>) { return this.guard.recordSignInFailure(tenantId, subject, now, policy); }
  signInLockedUntil(tenantId: string, subject: string) { return this.guard.signInLockedUntil(tenantId, subject); }
  clearSignInFailures(tenantId: string, subject: string) { return this.guard.clearSignInFailures(tenantId, subject); }

  async putAuditHead(tenantId: string, h: AuditHeadRecord): Promise<'stored' | 'same' | 'behind' | 'changed'> {
    return this.inTenant(tenantId, async (c) => {
      // One device reports at a time, but two service processes may hear it: the device row is locked.
      await c.query('SELECT 1 FROM devices WHERE tenant_id = $1 AND device_id = $2 FOR UPDATE', [tenantId, h.deviceId]);
      const newest = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 AND device_id = $2 ORDER BY seq DESC LIMIT 1', [tenantId, h.deviceId])).rows[0];
      const verdict = headVerdict(newest && { seq: Number(newest.seq), hash: newest.hash }, h);
      if (verdict === 'stored') await c.query('INSERT INTO audit_heads (tenant_id, device_id, seq, hash, at) VALUES ($1, $2, $3, $4, $5)', [tenantId, h.deviceId, h.seq, h.hash, h.at]);
      return verdict;
    });
  }

  async auditHeads(tenantId: string): Promise<AuditHeadRecord[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ device_id: string; seq: string; hash: string; at: Date }>(
      'SELECT DISTINCT ON (device_id) device_id, seq, hash, at FROM audit_heads WHERE tenant_id = $1 ORDER BY device_id, seq DESC', [tenantId]));
    return r.rows.map((x) => ({ deviceId: x.device_id, seq: Number(x.seq), hash: x.hash, at: x.at.toISOString() }));
  }

  async getDevice(tenantId: string, deviceId: string): Promise<DeviceRecord | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<DeviceRow>('SELECT * FROM devices WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId]));
    return r.rows[0] ? toDevice(r.rows[0]) : null;
  }

  async listDevices(tenantId: string): Promise<DeviceRecord[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<DeviceRow>('SELECT * FROM devices WHERE tenant_id = $1 ORDER BY enrolled_at', [tenantId]));
    return r.rows.map(toDevice);
  }

  async revokeDevice(tenantId: string, deviceId: string, at: string): Promise<void> {
    await this.inTenant(tenantId, (c) =>
      c.query('UPDATE devices SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND device_id = $2', [tenantId, deviceId, at]));
  }

  async append(tenantId: string, deviceId: string, messages: readonly Envelope[]): Promise<AppendResult> {
    return this.inTenant(tenantId, async (c) => {
      // The tenant row lock serialises appends per tenant across every service process.
      const t = await c.query('SELECT next_seq FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
      if (t.rowCount === 0) throw new Error('unknown tenant');
      const stored: { msgId: string; seq: number; duplicate: boolean }[] = [];
      for (const m of messages) {
        const prior = await c.query<{ seq: string }>('SELECT seq FROM messages WHERE tenant_id = $1 AND msg_id = $2', [tenantId, m.msgId]);
        if (prior.rows[0]) {
          stored.push({ msgId: m.msgId, seq: Number(prior.rows[0].seq), duplicate: true });
          continue;
        }
        const next = await c.query<{ seq: string }>('UPDATE tenants SET next_seq = next_seq + 1 WHERE id = $1 RETURNING next_seq - 1 AS seq', [tenantId]);
        const seq = Number(next.rows[0]?.seq);
        await c.query('INSERT INTO messages (tenant_id, seq, msg_id, device_id, kid, nonce, ciphertext) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          tenantId, seq, m.msgId, deviceId, m.kid, m.nonce, m.ciphertext,
        ]);
        stored.push({ msgId: m.msgId, seq, duplicate: false });
      }
      // Delivered to every listening service process when this transaction commits.
      if (stored.some((x) => !x.duplicate)) await c.query('SELECT pg_notify($1, $2)', [CHANNEL, `${tenantId}|more`]);
      return { stored };
    });
  }

  async putBlobChunk(tenantId: string, blobId: string, idx: number, chunk: BlobChunk, deviceId: string): Promise<'stored' | 'same' | 'conflict'> {
    return this.inTenant(tenantId, async (c) => {
      const r = await c.query('INSERT INTO blob_chunks (tenant_id, blob_id, idx, nonce, ciphertext, device_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [tenantId, blobId, idx, chunk.nonce, chunk.ciphertext, deviceId]);
      if (r.rowCount === 1) return 'stored';
      const had = await c.query<{ nonce: string; ciphertext: Buffer }>('SELECT nonce, ciphertext FROM blob_chunks WHERE tenant_id = $1 AND blob_id = $2 AND idx = $3', [tenantId, blobId, idx]);
      const h = had.rows[0];
      return h && h.nonce === chunk.nonce && h.ciphertext.equals(chunk.ciphertext) ? 'same' : 'conflict';
    });
  }

  async blobChunk(tenantId: string, blobId: string, idx: number): Promise<BlobChunk | null> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ nonce: string; ciphertext: Buffer }>('SELECT nonce, ciphertext FROM blob_chunks WHERE tenant_id = $1 AND blob_id = $2 AND idx = $3', [tenantId, blobId, idx]));
    const row = r.rows[0];
    return row ? { nonce: row.nonce, ciphertext: row.ciphertext } : null;
  }

  async putKeyWrap(tenantId: string, kid: string, deviceId: string, wrapped: string): Promise<void> {
    await this.inTenant(tenantId, (c) =>
      c.query(
        'INSERT INTO key_wraps (tenant_id, kid, device_id, wrapped) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, kid, device_id) DO UPDATE SET wrapped = excluded.wrapped',
        [tenantId, kid, deviceId, wrapped],
      ));
  }

  async listKeyWraps(tenantId: string): Promise<{ kid: string; deviceId: string }[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ kid: string; device_id: string }>('SELECT kid, device_id FROM key_wraps WHERE tenant_id = $1 ORDER BY created_at', [tenantId]));
    return r.rows.map((x) => ({ kid: x.kid, deviceId: x.device_id }));
  }

  async keyWrapsFor(tenantId: string, deviceId: string): Promise<{ kid: string; wrapped: string }[]> {
    const r = await this.inTenant(tenantId, (c) => c.query<{ kid: string; wrapped: string }>('SELECT kid, wrapped FROM key_wraps WHERE tenant_id = $1 AND device_id = $2 ORDER BY created_at', [tenantId, deviceId]));
    return r.rows;
  }

  async pull(tenantId: string, after: number, limit: number): Promise<StoredEnvelope[]> {
    const r = await this.inTenant(tenantId, (c) =>
      c.query<{ seq: string; msg_id: string; device_id: string; kid: string; nonce: string; ciphertext: string }>(
        'SELECT seq, msg_id, device_id, kid, nonce, ciphertext FROM messages WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [tenantId, after, limit],
      ));
    return r.rows.map((x) => ({ seq: Number(x.seq), msgId: x.msg_id, deviceId: x.device_id, kid: x.kid, nonce: x.nonce, ciphertext: x.ciphertext }));
  }

  notify(tenantId: string, event: TenantEvent): Promise<void> {
    return this.channels.notify(tenantId, event);
  }

  onEvent(listener: (tenantId: string, event: TenantEvent) => void): Promise<() => Promise<void>> {
    return this.channels.onEvent(listener);
  }

  relayVisit(message: VisitRelay): Promise<void> {
    return this.channels.relayVisit(message);
  }

  onVisitRelay(listener: (message: VisitRelay) => void): Promise<() => Promise<void>> {
    return this.channels.onVisitRelay(listener);
  }

  // Video visits (postgres-visits.ts).
  claimVisitPatient(tenantId: string, visitId: string, holder: string, seat: string, now: string, freshAfter: string) { return this.visits.claimVisitPatient(tenantId, visitId, holder, seat, now, freshAfter); }
  renewVisitPatients(claims: readonly { tenantId: string; visitId: string; holder: string }[], now: string) { return this.visits.renewVisitPatients(claims, now); }
  releaseVisitPatient(tenantId: string, visitId: string, holder: string) { return this.visits.releaseVisitPatient(tenantId, visitId, holder); }
  visitsWithPatient(tenantId: string, freshAfter: string) { return this.visits.visitsWithPatient(tenantId, freshAfter); }
  setIceSettings(tenantId: string, settings: string) { return this.visits.setIceSettings(tenantId, settings); }
  getIceSettings(tenantId: string) { return this.visits.getIceSettings(tenantId); }
  addVisit(v: Omit<VisitRecord, 'revokedAt' | 'closedAt' | 'admittedAt'>, tokenHash: string) { return this.visits.addVisit(v, tokenHash); }
  visitByToken(tokenHash: string) { return this.visits.visitByToken(tokenHash); }
  getVisit(tenantId: string, visitId: string) { return this.visits.getVisit(tenantId, visitId); }
  markVisit(tenantId: string, visitId: string, field: 'revokedAt' | 'closedAt' | 'admittedAt', at: string) { return this.visits.markVisit(tenantId, visitId, field, at); }

  async putSnapshot(tenantId: string, s: Omit<SnapshotRecord, 'createdAt'>): Promise<void> {
    await this.inTenant(tenantId, (c) =>
      // The service's clock, as the SQLite store uses, not the database server's: a restore asks
      // for a snapshot made before a time the service gave.
      c.query('INSERT INTO snapshots (tenant_id, snapshot_id, seq, device_id, kid, nonce, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        tenantId, s.snapshotId, s.seq, s.deviceId, s.kid, s.nonce, s.ciphertext, new Date().toISOString(),
      ]));
  }

  async latestSnapshot(tenantId: string, bound: SnapshotBound = {}): Promise<SnapshotRecord | null> {
    const r = await this.inTenant(tenantId, (c) =>
      c.query<{ snapshot_id: string; seq: string; device_id: string; kid: string; nonce: string; ciphertext: string; created_at: Date }>(
        `SELECT * FROM snapshots s WHERE tenant_id = $1 AND seq <= $2 AND ($3::timestamptz IS NULL OR created_at <= $3)
          AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.tenant_id = s.tenant_id AND d.device_id = s.device_id AND d.revoked_at IS NOT NULL)
          ORDER BY seq DESC, created_at DESC LIMIT 1`, [tenantId, bound.seq ?? Number.MAX_SAFE_INTEGER, bound.at ?? null]));
    const x = r.rows[0];
    return x ? { snapshotId: x.snapshot_id, seq: Number(x.seq), deviceId: x.device_id, kid: x.kid, nonce: x.nonce, ciphertext: x.ciphertext, createdAt: x.created_at.toISOString() } : null;
  }

  /** Rows of one tenant visible when the session names another, for the isolation test. */
  async countVisible(asTenant: string, table: 'messages' | 'devices' | 'tenants'): Promise<number> {
    const r = await this.inTenant(asTenant, (c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`));
    return Number(r.rows[0]?.n ?? 0);
  }

  /** Every row of every table, tenant by tenant through row-level security (for the no-PHI test). */
  async dumpAllForTest(): Promise<unknown[]> {
    const out: unknown[] = (await this.pool.query('SELECT * FROM codes')).rows;
    const tenants = (await this.pool.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM codes')).rows.map((r) => r.tenant_id);
    for (const id of tenants) {
      for (const t of ['tenants', 'devices', 'key_wraps', 'messages', 'snapshots', 'visits']) out.push(...(await this.inTenant(id, (c) => c.query(`SELECT * FROM ${t}`))).rows);
    }
    return out;
  }

  async ready(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.channels.close();
    await this.pool.end();
  }
}
