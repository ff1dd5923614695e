// Encrypted snapshots (DESIGN.md, Sync: bootstrap). A snapshot is every synced row and every
// field's winning clock as of a place in the tenant's history; a new workstation restores the
// newest one and then pulls only what came after. Rows travel as one JSON array per table, made
// and read by SQLite itself (json_group_array / json_each), so neither side pays the driver's
// cost per row. Compressed, then sealed under the tenant key with the tenant, snapshot id, key
// id, sequence number and author bound in, so the cloud cannot pass one off as another.
// Since v2 its header also carries the record's per-table counts and hashes as its writer read
// them in the same transaction: what is restored must hash the same, or it is refused.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { ReadTx, Tx } from '../db/connection';
import { type SyncedTable, syncedTables } from '../db/mutation';
import { differing, type RecordFingerprints, recordFingerprints } from '../db/record-fingerprints';

const blobColumns: Partial<Record<SyncedTable, readonly string[]>> = { documents: ['content'] };
const FIELD_VERSIONS = 'field_versions';

/**
 * The clinic's audit trail travels in the snapshot too (a newcomer starting from one has the
 * whole trail, not only what follows): the rows of other workstations as kept here, this
 * workstation's own rows that were sent (so in the history the snapshot stands for), and the
 * workstations' names.
 */
const AUDIT_COLUMNS = ['workstation_id', 'seq', 'at', 'user_id', 'username', 'action', 'patient_id', 'outcome', 'detail', 'prev_hash', 'hash', 'device_id'] as const;
/** Which of this workstation's own audit rows a snapshot holds: those sent (a snapshot for the cloud), or all (a backup). */
export type OwnAudit = 'sent' | 'all';
const auditSections = {
  clinic_audit: {
    build: (own: OwnAudit) => `SELECT json_group_array(json_array(${AUDIT_COLUMNS.join(', ')})) AS j FROM (
      SELECT ${AUDIT_COLUMNS.join(', ')} FROM clinic_audit
      UNION ALL
      SELECT a.workstation_id, a.seq, a.at, a.user_id, a.username, a.action, a.patient_id, a.outcome, a.detail, a.prev_hash, a.hash, coalesce(s.device_id, '')
        FROM audit_log a LEFT JOIN sync_identity s ON s.id = 1 ${own === 'sent' ? 'WHERE a.seq <= coalesce(s.audit_sent_seq, 0)' : ''})`,
    restore: `INSERT OR IGNORE INTO clinic_audit (${AUDIT_COLUMNS.join(', ')}) SELECT ${AUDIT_COLUMNS.map((_c, i) => `value->>${i}`).join(', ')} FROM json_each(?)`,
  },
  workstation_names: {
    build: () => `SELECT json_group_array(json_array(workstation_id, device_id, name, number)) AS j FROM (
      SELECT workstation_id, device_id, name, number FROM workstation_names
      UNION ALL
      SELECT ?, coalesce(s.device_id, ''), coalesce(s.device_name, 'Workstation ' || w.number), w.number FROM workstation w LEFT JOIN sync_identity s ON s.id = 1)`,
    restore: 'INSERT OR REPLACE INTO workstation_names (workstation_id, device_id, name, number) SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)',
  },
} as const;
type AuditSection = keyof typeof auditSections;
const isAuditSection = (name: string): name is AuditSection => Object.hasOwn(auditSections, name);

interface Section { readonly name: string; readonly bytes: number }

/** The snapshot's first line, as read back: what it says is checked before anything is written. */
const Sections = z.array(z.strictObject({ name: z.string().max(64), bytes: z.number().int().min(0) })).max(100);
const Fingerprints = z.record(z.string().max(64), z.strictObject({ rows: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
  .refine((f) => Object.keys(f).length <= 100);
const Header = z.discriminatedUnion('v', [
  z.strictObject({ v: z.literal(1), sections: Sections }),
  z.strictObject({ v: z.literal(2), sections: Sections, fingerprints: Fingerprints }),
]);

/** A snapshot whose content is not one this build can restore (sealed by a device with the key, but malformed). */
export class SnapshotRefused extends Error {}

/** Every synced table, the field clocks and the audit trail, framed: one JSON header line, then the sections. */
export async function buildSnapshot(tx: ReadTx, workstationId: string, ownAudit: OwnAudit = 'sent'): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sections: Section[] = [];
  for (const [table, cols] of Object.entries(syncedTables) as [SyncedTable, readonly string[]][]) {
    const blobs = blobColumns[table] ?? [];
    const fields = ['id', ...cols].map((c) => (blobs.includes(c) ? `hex(${c})` : c)).join(', ');
    const row = await tx.get<{ j: string }>(`SELECT json_group_array(json_array(${fields})) AS j FROM ${table}`);
    const bytes = Buffer.from(row?.j ?? '[]');
    parts.push(bytes);
    sections.push({ name: table, bytes: bytes.length });
  }
  const versions = await tx.get<{ j: string }>(`SELECT json_group_array(json_array(tbl, row_id, col, hlc)) AS j FROM ${FIELD_VERSIONS}`);
  const vb = Buffer.from(versions?.j ?? '[]');
  parts.push(vb);
  sections.push({ name: FIELD_VERSIONS, bytes: vb.length });
  for (const [name, section] of Object.entries(auditSections) as [AuditSection, (typeof auditSections)[AuditSection]][]) {
    const r = await tx.get<{ j: string }>(section.build(ownAudit), name === 'workstation_names' ? [workstationId] : []);
    const b = Buffer.from(r?.j ?? '[]');
    parts.push(b);
    sections.push({ name, bytes: b.length });
  }
  const fingerprints = await recordFingerprints(tx);
  const header = Buffer.from(`${JSON.stringify({ v: 2, sections, fingerprints })}\n`);
  return gzipSync(Buffer.concat([header, ...parts]), { level: 4 });
}

/** What a restored snapshot wrote, and (v2) the record as its writer sealed it, now checked. */
export interface Restored { readonly rows: number; readonly fingerprints: RecordFingerprints | null }

/** Restores a snapshot into an empty database, and refuses it if it does not hash as sealed. */
export async function restoreSnapshot(tx: Tx, compressed: Buffer): Promise<Restored> {
  let plain: Buffer;
  try {
    plain = gunzipSync(compressed, { maxOutputLength: 2 * 1024 * 1024 * 1024 - 1 });
  } catch {
    throw new SnapshotRefused('it does not decompress');
  }
  const nl = plain.indexOf(0x0a);
  let header: z.infer<typeof Header>;
  try {
    header = Header.parse(JSON.parse(plain.subarray(0, Math.max(0, nl)).toString('utf8')));
  } catch {
    throw new SnapshotRefused('its header is not one this version reads');
  }
  if (nl + 1 + header.sections.reduce((n, s) => n + s.bytes, 0) !== plain.length) throw new SnapshotRefused('its sections do not add up to its length');
  let at = nl + 1;
  let rows = 0;
  for (const s of header.sections) {
    const json = plain.subarray(at, at + s.bytes).toString('utf8');
    at += s.bytes;
    if (s.name === FIELD_VERSIONS) {
      await rowsOf(s.name, () => tx.run(`INSERT INTO ${FIELD_VERSIONS} (tbl, row_id, col, hlc) SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)`, [json]));
      continue;
    }
    if (isAuditSection(s.name)) {
      const section = auditSections[s.name];
      await rowsOf(s.name, () => tx.run(section.restore, [json]));
      continue;
    }
    // Only the synced tables and columns this build knows; never a name from the snapshot itself.
    if (!Object.hasOwn(syncedTables, s.name)) throw new SnapshotRefused('it names a table this version does not have');
    const table = s.name as SyncedTable;
    const cols = ['id', ...syncedTables[table]];
    const blobs = blobColumns[table] ?? [];
    const values = cols.map((c, i) => (blobs.includes(c) ? `unhex(value->>${i})` : `value->>${i}`)).join(', ');
    const r = await rowsOf(table, () => tx.run(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${values} FROM json_each(?)`, [json]));
    rows += r.changes;
  }
  if (header.v === 1) return { rows, fingerprints: null };
  // Only what the writer sealed: a table newer than its build is empty here either way.
  const got = await recordFingerprints(tx);
  const wrong = differing(header.fingerprints, Object.fromEntries(Object.keys(header.fingerprints).map((t) => [t, got[t] ?? { rows: 0, sha256: '' }])));
  if (wrong.length > 0) throw new SnapshotRefused(`it does not hold what its writer sealed (${wrong.join(', ')})`);
  return { rows, fingerprints: header.fingerprints };
}

/** SQLite reads each section itself: what it cannot read or keep is the snapshot's fault, not a bug. */
async function rowsOf<T>(section: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (e) {
    if (e instanceof Error && /malformed JSON|constraint|datatype mismatch|NOT NULL/i.test(e.message)) throw new SnapshotRefused(`its ${section} section cannot be read or kept`);
    throw e;
  }
}

const aad = (ctx: SnapshotContext) => Buffer.from(`chartroom/snapshot/v1|${ctx.tenantId}|${ctx.snapshotId}|${ctx.kid}|${ctx.seq}|${ctx.deviceId}`);

export interface SnapshotContext { tenantId: string; snapshotId: string; kid: string; seq: number; deviceId: string }

export function sealSnapshot(key: Buffer, ctx: SnapshotContext, compressed: Buffer): { nonce: string; ciphertext: string } {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad(ctx));
  const ct = Buffer.concat([c.update(compressed), c.final(), c.getAuthTag()]);
  return { nonce: nonce.toString('base64'), ciphertext: ct.toString('base64') };
}

/** Null if the key is wrong or anything (ciphertext, seq, author, tenant) was altered. */
export function openSnapshot(key: Buffer, ctx: SnapshotContext, sealed: { nonce: string; ciphertext: string }): Buffer | null {
  try {
    const ct = Buffer.from(sealed.ciphertext, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    d.setAAD(aad(ctx));
    d.setAuthTag(ct.subarray(ct.length - 16));
    return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  } catch {
    return null;
  }
}
