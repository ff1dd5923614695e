// The clinic's whole audit trail as an admin reads it on any workstation: this workstation's
// rows and every other workstation's as they arrived (sync/audit-sync.ts), with users, patients
// and workstations named; filtered by patient (name or MRN), user, workstation and local
// dates; exported as CSV; and verified chain by chain, against the heads the cloud keeps.
import { stringify } from 'csv-stringify/sync';
import { AUDIT_EXPORT_ROWS, type AuditEntry, type AuditFilter, type AuditOutcome, type AuditVerification } from '../../../shared/domain/audit';
import type { ReadableDb } from '../db/connection';
import { type AuditRow, verifyOwnChain, walkChain } from './audit-log';

/** Where a workstation's chain ended when it last sent its rows, as the cloud keeps it. */
export interface ChainHead {
  readonly deviceId: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

/** This workstation, as the trail names it. */
interface Self { readonly workstationId: string; readonly name: string; readonly deviceId: string | null }

async function self(db: ReadableDb, workstationId: string): Promise<Self> {
  const me = await db.get<{ name: string | null; number: number; device_id: string | null }>(
    'SELECT s.device_name AS name, w.number AS number, s.device_id FROM workstation w LEFT JOIN sync_identity s ON s.id = 1',
  );
  return { workstationId, name: me?.name ?? (me?.device_id ? `Workstation ${me.number}` : 'This workstation'), deviceId: me?.device_id ?? null };
}

/** The first day after `date` (YYYY-MM-DD), at local midnight, as an instant. */
const localMidnight = (date: string, addDays = 0) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + addDays).toISOString();
};

function whereOf(f: AuditFilter): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.userId) { where.push('t.user_id = ?'); params.push(f.userId); }
  if (f.patientId) { where.push('t.patient_id = ?'); params.push(f.patientId); }
  if (f.workstationId) { where.push('t.workstation_id = ?'); params.push(f.workstationId); }
  if (f.from) { where.push('t.at >= ?'); params.push(localMidnight(f.from)); }
  if (f.to) { where.push('t.at < ?'); params.push(localMidnight(f.to, 1)); }
  const q = f.patient?.trim().toLowerCase();
  if (q) {
    if (/^\d+$/.test(q)) {
      // An MRN as typed, or without its leading zeros.
      where.push('(p.mrn = ? OR p.mrn = ?)');
      params.push(q, q.padStart(9, '0'));
    } else {
      const like = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      where.push("(lower(p.family_name || ', ' || p.given_names) LIKE ? ESCAPE '\\' OR lower(p.given_names || ' ' || p.family_name) LIKE ? ESCAPE '\\')");
      params.push(like, like);
    }
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

const TRAIL = `(SELECT workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail FROM audit_log
  UNION ALL SELECT workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail FROM clinic_audit)`;

interface TrailRow {
  workstation_id: string; seq: number; at: string; user_id: string | null; username: string | null; action: string; patient_id: string | null;
  outcome: string; detail: string | null; display_name: string | null; family_name: string | null; given_names: string | null; mrn: string | null; ws_name: string | null;
}

export async function queryClinicAudit(db: ReadableDb, workstationId: string, f: AuditFilter, limit: number): Promise<AuditEntry[]> {
  const me = await self(db, workstationId);
  const { sql, params } = whereOf(f);
  const rows = await db.all<TrailRow>(
    `SELECT t.*, u.display_name, p.family_name, p.given_names, p.mrn, n.name AS ws_name
       FROM ${TRAIL} t
       LEFT JOIN users u ON u.id = t.user_id
       LEFT JOIN patients p ON p.id = t.patient_id
       LEFT JOIN workstation_names n ON n.workstation_id = t.workstation_id
     ${sql} ORDER BY t.at DESC, t.workstation_id, t.seq DESC LIMIT ?`,
    [...params, limit],
  );
  return rows.map((r) => ({
    seq: r.seq, at: r.at, userId: r.user_id as AuditEntry['userId'], username: r.username, userName: r.display_name,
    workstationId: r.workstation_id, workstationName: r.workstation_id === me.workstationId ? me.name : (r.ws_name ?? 'Another workstation'),
    action: r.action, patientId: r.patient_id as AuditEntry['patientId'],
    patientName: r.family_name === null ? null : `${r.family_name}, ${r.given_names ?? ''}`.trim(), patientMrn: r.mrn,
    outcome: r.outcome as AuditOutcome, detail: r.detail,
  }));
}

/** The filtered trail as CSV (an accounting of disclosures), local time and UTC both, oldest first. */
export async function exportClinicAudit(db: ReadableDb, workstationId: string, f: AuditFilter): Promise<{ csv: string; rows: number }> {
  const entries = (await queryClinicAudit(db, workstationId, f, AUDIT_EXPORT_ROWS)).reverse();
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (iso: string) => {
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  };
  // A cell a spreadsheet would run as a formula is kept as text.
  const cell = (v: string | null) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));
  const csv = stringify(
    entries.map((e) => [local(e.at), e.at, cell(e.userName ?? e.username), cell(e.username), e.action, cell(e.patientName), e.patientMrn ?? '', cell(e.workstationName), e.outcome, cell(e.detail)]),
    { header: true, columns: ['Local time', 'UTC', 'User', 'Username', 'Action', 'Patient', 'MRN', 'Workstation', 'Outcome', 'Detail'] },
  );
  return { csv, rows: entries.length };
}

/**
 * Every workstation's chain: this one's from its own log, the others' as they arrived. A chain
 * whose row at a head the cloud keeps has another hash was rewritten after it was sent; a
 * chain that ends before its head has rows still on the way (not a problem).
 */
export async function verifyClinicAudit(db: ReadableDb, workstationId: string, heads: readonly ChainHead[] | null): Promise<AuditVerification> {
  const me = await self(db, workstationId);
  const headOf = new Map((heads ?? []).map((h) => [h.deviceId, h]));
  const own = await verifyOwnChain(db);
  const ownHead = me.deviceId ? headOf.get(me.deviceId) : undefined;
  if (ownHead && own.hashAt.get(ownHead.seq) !== ownHead.hash) {
    own.problems.push(`audit rows up to ${ownHead.seq} were changed after they were sent on ${ownHead.at.slice(0, 10)} (the cloud keeps the chain as it was)`);
  }
  const chains: AuditVerification['chains'] = [{ workstationId, workstationName: me.name, rows: own.rows, lastSeq: own.lastSeq, ok: own.problems.length === 0, problems: own.problems }];
  const others = await db.all<{ workstation_id: string; device_id: string; name: string | null }>(
    'SELECT DISTINCT a.workstation_id, a.device_id, n.name FROM clinic_audit a LEFT JOIN workstation_names n ON n.workstation_id = a.workstation_id ORDER BY n.number, a.workstation_id',
  );
  for (const o of others) {
    const rows = await db.all<AuditRow>('SELECT workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail, prev_hash, hash FROM clinic_audit WHERE workstation_id = ? ORDER BY seq', [o.workstation_id]);
    const problems = walkChain(rows, 'row');
    const head = headOf.get(o.device_id);
    const at = head ? rows.find((r) => r.seq === head.seq) : undefined;
    if (head && at && at.hash !== head.hash) problems.push(`row ${head.seq} is not the one the cloud recorded on ${head.at.slice(0, 10)}`);
    chains.push({ workstationId: o.workstation_id, workstationName: o.name ?? 'Another workstation', rows: rows.length, lastSeq: rows.at(-1)?.seq ?? 0, ok: problems.length === 0, problems });
  }
  const problems = chains.flatMap((c) => c.problems.map((p) => (c.workstationId === workstationId ? p : `${c.workstationName}: ${p}`)));
  return { ok: problems.length === 0, rows: chains.reduce((n, c) => n + c.rows, 0), problems, chains, headsChecked: heads !== null };
}
