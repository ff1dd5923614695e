// The hash-chained audit log of this workstation. Each row's hash covers its own fields and the
// previous row's hash, and sequence numbers leave no gaps, so editing, deleting or reordering
// any row (the newest included, through sqlite_sequence) is found by `verifyOwnChain`. The
// clinic's other workstations' chains, as they arrived, are audit/clinic-audit.ts's.
import { createHash } from 'node:crypto';
import type { AuditOutcome } from '../../../shared/domain/audit';
import type { ReadableDb, Tx } from '../db/connection';

export interface AuditRecord {
  readonly userId: string | null;
  readonly username: string | null;
  readonly action: string;
  readonly patientId: string | null;
  readonly outcome: AuditOutcome;
  /** Never PHI beyond what identifies the record: counts, field names, reasons given. */
  readonly detail: string | null;
}

/** The hash before a chain's first row. */
export const GENESIS = '0'.repeat(64);

export interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  username: string | null;
  workstation_id: string;
  action: string;
  patient_id: string | null;
  outcome: string;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export function rowHash(prev: string, r: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const body = JSON.stringify([r.seq, r.at, r.user_id, r.username, r.workstation_id, r.action, r.patient_id, r.outcome, r.detail]);
  return createHash('sha256').update(prev).update('\n').update(body).digest('hex');
}

/** Appends records inside the caller's transaction, so they commit or vanish with its writes. */
export async function appendAudit(tx: Tx, workstationId: string, records: readonly AuditRecord[], now = new Date()): Promise<void> {
  if (records.length === 0) return;
  const last = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const counter = await tx.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
  let seq = Math.max(last?.seq ?? 0, counter?.seq ?? 0);
  let prev = last?.hash ?? GENESIS;
  const at = now.toISOString();
  for (const rec of records) {
    seq += 1;
    const row = {
      seq, at, user_id: rec.userId, username: rec.username, workstation_id: workstationId,
      action: rec.action, patient_id: rec.patientId, outcome: rec.outcome, detail: rec.detail,
    };
    const hash = rowHash(prev, row);
    await tx.run(
      `INSERT INTO audit_log (seq, at, user_id, username, workstation_id, action, patient_id, outcome, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [seq, at, rec.userId, rec.username, workstationId, rec.action, rec.patientId, rec.outcome, rec.detail, prev, hash],
    );
    prev = hash;
  }
}

/** Walks this workstation's own chain; every problem is named by sequence number. */
export async function verifyOwnChain(db: ReadableDb): Promise<{ rows: number; lastSeq: number; problems: string[]; hashAt: Map<number, string> }> {
  const problems: string[] = [];
  const rows = await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
  problems.push(...walkChain(rows, 'audit row'));
  const counter = await db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
  const lastSeq = rows.at(-1)?.seq ?? 0;
  if ((counter?.seq ?? 0) > lastSeq) problems.push(`audit rows after ${lastSeq} (up to ${counter?.seq}) are missing (deleted)`);
  if ((counter?.seq ?? 0) < lastSeq) problems.push('the audit sequence counter was reset');
  return { rows: rows.length, lastSeq, problems, hashAt: new Map(rows.map((r) => [r.seq, r.hash])) };
}

/** One chain's links, hashes and gaps, from its first row (`what` names a row in a problem). */
export function walkChain(rows: readonly AuditRow[], what: string): string[] {
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) {
      problems.push(r.seq > expectedSeq ? `${what}s ${expectedSeq}–${r.seq - 1} are missing (deleted)` : `${what} ${r.seq} is out of order`);
    }
    if (r.prev_hash !== prev) problems.push(`${what} ${r.seq} does not link to the row before it`);
    const { prev_hash: _p, hash, ...fields } = r;
    if (rowHash(r.prev_hash, fields) !== hash) problems.push(`${what} ${r.seq} was altered (its hash does not match its contents)`);
    prev = hash;
    expectedSeq = r.seq + 1;
  }
  return problems;
}
