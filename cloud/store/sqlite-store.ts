// The embedded default: one SQLite file per deployment (better-sqlite3), WAL, every statement
// scoped by tenant. Sequence numbers come from a per-tenant counter bumped in the same
// transaction as the insert, so they are gap-free and never reused.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { privateFile } from '../private-files';
import type { Envelope, StoredEnvelope } from '../../shared/sync/wire';
import { cloudMigrations } from './migrations/index';
import { migrateSqlite } from './migrations/run-sqlite';
import type { LockoutPolicy } from '../../shared/domain/sign-in-lockout';
import { SqliteSignInGuard } from './sign-in-guard-sqlite';
import { SqliteLockdowns } from './lockdown-sqlite';
import { SqliteReleases } from './releases-sqlite';
import { headVerdict } from './audit-heads';
import type { AuditHeadRecord, AppendResult, BlobChunk, CloudStore, CodeKind, DeviceRecord, OutboxReport, SnapshotBound, SnapshotRecord, TenantEvent, VisitRecord, VisitRelay } from './store';

interface DeviceRow {
  tenant_id: string; device_id: string; name: string; signing_key: string; box_key: string; enrolled_at: string; revoked_at: string | null; number: number; last_seen_at: string | null;
  unsent: number | null; oldest_unsent_at: string | null; outbox_at: string | null;
}
const toDevice = (r: DeviceRow): DeviceRecord => ({
  tenantId: r.tenant_id, deviceId: r.device_id, name: r.name, signingKey: r.signing_key, boxKey: r.box_key, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at, number: r.number, lastSeenAt: r.last_seen_at,
  outbox: r.outbox_at ? { unsent: r.unsent ?? 0, oldestAt: r.oldest_unsent_at ?? null, at: r.outbox_at } : null,
});

interface VisitRow {
  tenant_id: string; visit_id: string; valid_from: string; valid_until: string; identity_key: string; revoked_at: string | null; closed_at: string | null; admitted_at: string | null;
}
const toVisit = (r: VisitRow): VisitRecord => ({
  tenantId: r.tenant_id, visitId: r.visit_id, validFrom: r.valid_from, validUntil: r.valid_until, identityKey: r.identity_key,
  revokedAt: r.revoked_at, closedAt: r.closed_at, admittedAt: r.admitted_at,
});
const visitColumns = { revokedAt: 'revoked_at', closedAt: 'closed_at', admittedAt: 'admitted_at' } as const;

export class SqliteStore implements CloudStore {
  private readonly db: Database.Database;
  private readonly events = new EventEmitter();
  private readonly guard: SqliteSignInGuard;
  readonly lockdowns: SqliteLockdowns;
  readonly releases: SqliteReleases;

  constructor(file: string) {
    // Made private before SQLite makes it (and its -wal and -shm) with the umask's mode.
    if (file !== ':memory:') privateFile(file, [`${file}-wal`, `${file}-shm`]);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.guard = new SqliteSignInGuard(this.db);
    this.lockdowns = new SqliteLockdowns(this.db);
    this.releases = new SqliteReleases(this.db);
  }

  /** Brings the schema to the newest migration (cloud/store/migrations/). */
  async migrate(target?: number): Promise<void> {
    migrateSqlite(this.db, cloudMigrations, target);
  }

  async createTenant(name: string, setupCodeHash: string, expiresAt: string): Promise<{ tenantId: string }> {
    const tenantId = randomUUID();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run(tenantId, name, new Date().toISOString());
      this.db.prepare("INSERT INTO codes (code_hash, tenant_id, kind, expires_at) VALUES (?, ?, 'setup', ?)").run(setupCodeHash, tenantId, expiresAt);
    })();
    return { tenantId };
  }

  async tenantName(tenantId: string): Promise<string | null> {
    return (this.db.prepare('SELECT name FROM tenants WHERE id = ?').get(tenantId) as { name: string } | undefined)?.name ?? null;
  }

  async consumeCode(codeHash: string, now: string, expect?: CodeKind): Promise<{ tenantId: string; kind: CodeKind } | { wrongKind: CodeKind } | null> {
    return this.db.transaction(() => {
      const live = this.db.prepare('SELECT kind FROM codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?').get(codeHash, now) as { kind: CodeKind } | undefined;
      if (!live) return null;
      if (expect && live.kind !== expect) return { wrongKind: live.kind };
      const row = this.db.prepare('UPDATE codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL RETURNING tenant_id, kind').get(now, codeHash) as
        { tenant_id: string; kind: CodeKind } | undefined;
      return row ? { tenantId: row.tenant_id, kind: row.kind } : null;
    }).immediate();
  }

  async addCode(tenantId: string, kind: CodeKind, codeHash: string, expiresAt: string): Promise<void> {
    this.db.prepare('INSERT INTO codes (code_hash, tenant_id, kind, expires_at) VALUES (?, ?, ?, ?)').run(codeHash, tenantId, kind, expiresAt);
  }

  async addDevice(d: Omit<DeviceRecord, 'revokedAt' | 'number' | 'lastSeenAt'>): Promise<{ number: number }> {
    return this.db.transaction(() => {
      const next = (this.db.prepare('SELECT coalesce(max(number), 0) + 1 AS n FROM devices WHERE tenant_id = ?').get(d.tenantId) as { n: number }).n;
      if (next > 99) throw new Error('a clinic can have at most 99 workstations');
      this.db
        .prepare('INSERT INTO devices (tenant_id, device_id, name, signing_key, box_key, enrolled_at, number) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(d.tenantId, d.deviceId, d.name, d.signingKey, d.boxKey, d.enrolledAt, next);
      return { number: next };
    }).immediate();
  }

  async touchDevice(tenantId: string, deviceId: string, at: string): Promise<void> {
    this.db.prepare('UPDATE devices SET last_seen_at = ? WHERE tenant_id = ? AND device_id = ?').run(at, tenantId, deviceId);
  }

  async reportOutbox(tenantId: string, deviceId: string, o: OutboxReport): Promise<void> {
    this.db.prepare('UPDATE devices SET unsent = ?, oldest_unsent_at = ?, outbox_at = ? WHERE tenant_id = ? AND device_id = ?').run(o.unsent, o.oldestAt, o.at, tenantId, deviceId);
  }

  async useTokenRequest(tenantId: string, deviceId: string, signedAt: string, forgetAfter: string, now: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM token_requests WHERE tenant_id = ? AND device_id = ? AND forget_after < ?').run(tenantId, deviceId, now);
      return this.db.prepare('INSERT OR IGNORE INTO token_requests (tenant_id, device_id, signed_at, forget_after) VALUES (?, ?, ?, ?)')
        .run(tenantId, deviceId, signedAt, forgetAfter).changes === 1;
    })();
  }

  // The sign-in guard (sign-in-guard-sqlite.ts).
  setGuardSecretHash(tenantId: string, deviceId: string, hash: string) { return this.guard.setGuardSecretHash(tenantId, deviceId, hash); }
  guardSecretHash(tenantId: string, deviceId: string) { return this.guard.guardSecretHash(tenantId, deviceId); }
  recordSignInFailure(tenantId: string, subject: string, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>) { return this.guard.recordSignInFailure(tenantId, subject, now, policy); }
  signInLockedUntil(tenantId: string, subject: string) { return this.guard.signInLockedUntil(tenantId, subject); }
  clearSignInFailures(tenantId: string, subject: string) { return this.guard.clearSignInFailures(tenantId, subject); }

  async putAuditHead(tenantId: string, h: AuditHeadRecord): Promise<'stored' | 'same' | 'behind' | 'changed'> {
    return this.db.transaction(() => {
      const newest = this.db.prepare('SELECT seq, hash FROM audit_heads WHERE tenant_id = ? AND device_id = ? ORDER BY seq DESC LIMIT 1').get(tenantId, h.deviceId) as { seq: number; hash: string } | undefined;
      const verdict = headVerdict(newest, h);
      if (verdict === 'stored') this.db.prepare('INSERT INTO audit_heads (tenant_id, device_id, seq, hash, at) VALUES (?, ?, ?, ?, ?)').run(tenantId, h.deviceId, h.seq, h.hash, h.at);
      return verdict;
    }).immediate();
  }

  async auditHeads(tenantId: string): Promise<AuditHeadRecord[]> {
    return this.db.prepare(`SELECT device_id AS deviceId, seq, hash, at FROM audit_heads h WHERE tenant_id = ?
      AND seq = (SELECT max(seq) FROM audit_heads WHERE tenant_id = h.tenant_id AND device_id = h.device_id) ORDER BY device_id`).all(tenantId) as AuditHeadRecord[];
  }

  async getDevice(tenantId: string, deviceId: string): Promise<DeviceRecord | null> {
    const r = this.db.prepare('SELECT * FROM devices WHERE tenant_id = ? AND device_id = ?').get(tenantId, deviceId) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  async listDevices(tenantId: string): Promise<DeviceRecord[]> {
    return (this.db.prepare('SELECT * FROM devices WHERE tenant_id = ? ORDER BY enrolled_at').all(tenantId) as DeviceRow[]).map(toDevice);
  }

  async revokeDevice(tenantId: string, deviceId: string, at: string): Promise<void> {
    this.db.prepare('UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND device_id = ?').run(at, tenantId, deviceId);
  }

  async append(tenantId: string, deviceId: string, messages: readonly Envelope[]): Promise<AppendResult> {
    const existing = this.db.prepare('SELECT seq FROM messages WHERE tenant_id = ? AND msg_id = ?');
    const bump = this.db.prepare('UPDATE tenants SET next_seq = next_seq + 1 WHERE id = ? RETURNING next_seq - 1 AS seq');
    const insert = this.db.prepare(
      'INSERT INTO messages (tenant_id, seq, msg_id, device_id, kid, nonce, ciphertext, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    const stored = this.db.transaction(() =>
      messages.map((m) => {
        const prior = existing.get(tenantId, m.msgId) as { seq: number } | undefined;
        if (prior) return { msgId: m.msgId, seq: prior.seq, duplicate: true };
        const next = bump.get(tenantId) as { seq: number } | undefined;
        if (!next) throw new Error('unknown tenant');
        insert.run(tenantId, next.seq, m.msgId, deviceId, m.kid, m.nonce, m.ciphertext, now);
        return { msgId: m.msgId, seq: next.seq, duplicate: false };
      }),
    ).immediate();
    if (stored.some((x) => !x.duplicate)) await this.notify(tenantId, 'more');
    return { stored };
  }

  async notify(tenantId: string, event: TenantEvent): Promise<void> {
    this.events.emit('event', tenantId, event);
  }

  async onEvent(listener: (tenantId: string, event: TenantEvent) => void): Promise<() => Promise<void>> {
    this.events.on('event', listener);
    return async () => {
      this.events.off('event', listener);
    };
  }

  async relayVisit(message: VisitRelay): Promise<void> {
    this.events.emit('visit', message);
  }

  async onVisitRelay(listener: (message: VisitRelay) => void): Promise<() => Promise<void>> {
    this.events.on('visit', listener);
    return async () => {
      this.events.off('visit', listener);
    };
  }

  async claimVisitPatient(tenantId: string, visitId: string, holder: string, seat: string, now: string, freshAfter: string): Promise<boolean> {
    const r = this.db.prepare(`INSERT INTO visit_patients (tenant_id, visit_id, holder, seat, renewed_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, visit_id) DO UPDATE SET holder = excluded.holder, seat = excluded.seat, renewed_at = excluded.renewed_at
      WHERE visit_patients.renewed_at <= ? OR visit_patients.seat = excluded.seat`)
      .run(tenantId, visitId, holder, seat, now, freshAfter);
    return r.changes === 1;
  }

  async renewVisitPatients(claims: readonly { tenantId: string; visitId: string; holder: string }[], now: string): Promise<void> {
    const renew = this.db.prepare('UPDATE visit_patients SET renewed_at = ? WHERE tenant_id = ? AND visit_id = ? AND holder = ?');
    this.db.transaction(() => { for (const c of claims) renew.run(now, c.tenantId, c.visitId, c.holder); })();
  }

  async releaseVisitPatient(tenantId: string, visitId: string, holder: string): Promise<void> {
    this.db.prepare('DELETE FROM visit_patients WHERE tenant_id = ? AND visit_id = ? AND holder = ?').run(tenantId, visitId, holder);
  }

  async visitsWithPatient(tenantId: string, freshAfter: string): Promise<string[]> {
    return (this.db.prepare('SELECT visit_id FROM visit_patients WHERE tenant_id = ? AND renewed_at > ? ORDER BY visit_id').all(tenantId, freshAfter) as { visit_id: string }[]).map((r) => r.visit_id);
  }

  async setIceSettings(tenantId: string, settings: string): Promise<void> {
    this.db.prepare('INSERT INTO tenant_ice (tenant_id, settings) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings').run(tenantId, settings);
  }

  async getIceSettings(tenantId: string): Promise<string | null> {
    return (this.db.prepare('SELECT settings FROM tenant_ice WHERE tenant_id = ?').get(tenantId) as { settings: string } | undefined)?.settings ?? null;
  }

  async addVisit(v: Omit<VisitRecord, 'revokedAt' | 'closedAt' | 'admittedAt'>, tokenHash: string): Promise<void> {
    this.db
      .prepare('INSERT INTO visits (tenant_id, visit_id, token_hash, valid_from, valid_until, identity_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(v.tenantId, v.visitId, tokenHash, v.validFrom, v.validUntil, v.identityKey, new Date().toISOString());
  }

  async visitByToken(tokenHash: string): Promise<VisitRecord | null> {
    const r = this.db.prepare('SELECT * FROM visits WHERE token_hash = ?').get(tokenHash) as VisitRow | undefined;
    return r ? toVisit(r) : null;
  }

  async getVisit(tenantId: string, visitId: string): Promise<VisitRecord | null> {
    const r = this.db.prepare('SELECT * FROM visits WHERE tenant_id = ? AND visit_id = ?').get(tenantId, visitId) as VisitRow | undefined;
    return r ? toVisit(r) : null;
  }

  async markVisit(tenantId: string, visitId: string, field: 'revokedAt' | 'closedAt' | 'admittedAt', at: string): Promise<void> {
    const col = visitColumns[field];
    this.db.prepare(`UPDATE visits SET ${col} = coalesce(${col}, ?) WHERE tenant_id = ? AND visit_id = ?`).run(at, tenantId, visitId);
  }

  async putSnapshot(tenantId: string, s: Omit<SnapshotRecord, 'createdAt'>): Promise<void> {
    this.db
      .prepare('INSERT INTO snapshots (tenant_id, snapshot_id, seq, device_id, kid, nonce, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(tenantId, s.snapshotId, s.seq, s.deviceId, s.kid, s.nonce, s.ciphertext, new Date().toISOString());
  }

  async latestSnapshot(tenantId: string, bound: SnapshotBound = {}): Promise<SnapshotRecord | null> {
    const r = this.db.prepare(`SELECT * FROM snapshots s WHERE tenant_id = ? AND seq <= ? AND created_at <= ?
      AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.tenant_id = s.tenant_id AND d.device_id = s.device_id AND d.revoked_at IS NOT NULL)
      ORDER BY seq DESC, created_at DESC LIMIT 1`).get(tenantId, bound.seq ?? Number.MAX_SAFE_INTEGER, bound.at ?? '9999') as
      { snapshot_id: string; seq: number; device_id: string; kid: string; nonce: string; ciphertext: string; created_at: string } | undefined;
    return r ? { snapshotId: r.snapshot_id, seq: r.seq, deviceId: r.device_id, kid: r.kid, nonce: r.nonce, ciphertext: r.ciphertext, createdAt: r.created_at } : null;
  }

  async putBlobChunk(tenantId: string, blobId: string, idx: number, chunk: BlobChunk, deviceId: string): Promise<'stored' | 'same' | 'conflict'> {
    return this.db.transaction(() => {
      const had = this.db.prepare('SELECT nonce, ciphertext FROM blob_chunks WHERE tenant_id = ? AND blob_id = ? AND idx = ?').get(tenantId, blobId, idx) as { nonce: string; ciphertext: Buffer } | undefined;
      if (had) return had.nonce === chunk.nonce && had.ciphertext.equals(chunk.ciphertext) ? 'same' : 'conflict';
      this.db.prepare('INSERT INTO blob_chunks (tenant_id, blob_id, idx, nonce, ciphertext, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(tenantId, blobId, idx, chunk.nonce, chunk.ciphertext, deviceId, new Date().toISOString());
      return 'stored';
    })();
  }

  async blobChunk(tenantId: string, blobId: string, idx: number): Promise<BlobChunk | null> {
    const r = this.db.prepare('SELECT nonce, ciphertext FROM blob_chunks WHERE tenant_id = ? AND blob_id = ? AND idx = ?').get(tenantId, blobId, idx) as { nonce: string; ciphertext: Buffer } | undefined;
    return r ? { nonce: r.nonce, ciphertext: r.ciphertext } : null;
  }

  async putKeyWrap(tenantId: string, kid: string, deviceId: string, wrapped: string): Promise<void> {
    this.db
      .prepare('INSERT INTO key_wraps (tenant_id, kid, device_id, wrapped, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kid, device_id) DO UPDATE SET wrapped = excluded.wrapped')
      .run(tenantId, kid, deviceId, wrapped, new Date().toISOString());
  }

  async listKeyWraps(tenantId: string): Promise<{ kid: string; deviceId: string }[]> {
    return (this.db.prepare('SELECT kid, device_id FROM key_wraps WHERE tenant_id = ? ORDER BY created_at').all(tenantId) as { kid: string; device_id: string }[])
      .map((r) => ({ kid: r.kid, deviceId: r.device_id }));
  }

  async keyWrapsFor(tenantId: string, deviceId: string): Promise<{ kid: string; wrapped: string }[]> {
    return this.db.prepare('SELECT kid, wrapped FROM key_wraps WHERE tenant_id = ? AND device_id = ? ORDER BY created_at').all(tenantId, deviceId) as { kid: string; wrapped: string }[];
  }

  async pull(tenantId: string, after: number, limit: number): Promise<StoredEnvelope[]> {
    const rows = this.db
      .prepare('SELECT seq, msg_id, device_id, kid, nonce, ciphertext FROM messages WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(tenantId, after, limit) as { seq: number; msg_id: string; device_id: string; kid: string; nonce: string; ciphertext: string }[];
    return rows.map((r) => ({ seq: r.seq, msgId: r.msg_id, deviceId: r.device_id, kid: r.kid, nonce: r.nonce, ciphertext: r.ciphertext }));
  }

  async ready(): Promise<boolean> {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
