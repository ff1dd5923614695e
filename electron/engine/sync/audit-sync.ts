// The clinic-wide audit trail in sync: this workstation's audit rows not yet sent, in batches
// (sync/audit-wire.ts), and another workstation's batch kept as it arrived. A row is kept only
// if its hash is its own content's; a row that comes again with other content (a workstation
// rewriting its audit rows after they were sent) is never taken: the first one stays, and the
// batch is set aside for the admin with the reason.
import { createHash } from 'node:crypto';
import type { ReadTx, Tx } from '../db/connection';
import { setAside } from '../db/quarantine';
import { type AuditRow, rowHash } from '../audit/audit-log';
import type { SyncStore } from '../clinic/open-clinic';
import { AUDIT_BATCH_ROWS, type AuditBatch, type AuditWireRow } from './audit-wire';
import { CloudError, cloudRequest } from './cloud-http';
import type { Identity } from './cloud-session';
import { sealAuditBatch, type TenantKey } from './envelope';

/** A batch's message id, from its author and its rows: a batch sent again is the same message. */
export function auditMsgId(deviceId: string, batch: AuditBatch): string {
  const h = createHash('sha256').update(`chartroom/audit-batch/v1|${deviceId}|${batch.workstationId}|${batch.rows[0]?.seq}|${batch.rows.at(-1)?.hash}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** This workstation's next batch of unsent audit rows, or null when all are sent. */
export async function nextAuditBatch(tx: ReadTx, workstationId: string): Promise<AuditBatch | null> {
  const me = await tx.get<{ sent: number; name: string | null; number: number }>(
    'SELECT s.audit_sent_seq AS sent, s.device_name AS name, w.number AS number FROM sync_identity s, workstation w WHERE s.id = 1',
  );
  if (!me) return null;
  const rows = await tx.all<AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?', [me.sent, AUDIT_BATCH_ROWS]);
  if (rows.length === 0) return null;
  return { workstationId, name: me.name ?? `Workstation ${me.number}`, number: me.number, rows: rows.map(toWire) };
}

export async function markAuditSent(tx: Tx, seq: number): Promise<void> {
  await tx.run('UPDATE sync_identity SET audit_sent_seq = max(audit_sent_seq, ?) WHERE id = 1', [seq]);
}

const toWire = (r: AuditRow): AuditWireRow => ({
  seq: r.seq, at: r.at, userId: r.user_id, username: r.username, action: r.action, patientId: r.patient_id,
  outcome: r.outcome as AuditWireRow['outcome'], detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
});

const fieldsOf = (workstationId: string, r: AuditWireRow): Omit<AuditRow, 'prev_hash' | 'hash'> => ({
  seq: r.seq, at: r.at, user_id: r.userId, username: r.username, workstation_id: workstationId, action: r.action, patient_id: r.patientId, outcome: r.outcome, detail: r.detail,
});

export type AuditApplied = { readonly status: 'applied'; readonly rows: number } | { readonly status: 'refused'; readonly reason: string };

/** Keeps another workstation's audit rows (inside the pull's transaction). */
export async function applyAuditBatch(tx: Tx, msg: { msgId: string; seq: number; deviceId: string }, batch: AuditBatch, ownWorkstationId: string): Promise<AuditApplied> {
  // This workstation's own rows are in its own log already.
  if (batch.workstationId === ownWorkstationId) return { status: 'applied', rows: 0 };
  await tx.run('INSERT OR REPLACE INTO workstation_names (workstation_id, device_id, name, number) VALUES (?, ?, ?, ?)', [batch.workstationId, msg.deviceId, batch.name, batch.number]);
  let kept = 0;
  const problems: string[] = [];
  for (const r of batch.rows) {
    if (rowHash(r.prevHash, fieldsOf(batch.workstationId, r)) !== r.hash) {
      problems.push(`row ${r.seq} does not match its own hash`);
      continue;
    }
    const had = await tx.get<{ hash: string }>('SELECT hash FROM clinic_audit WHERE workstation_id = ? AND seq = ?', [batch.workstationId, r.seq]);
    if (had) {
      if (had.hash !== r.hash) problems.push(`row ${r.seq} came again with other content (the first one is kept)`);
      continue;
    }
    await tx.run(
      `INSERT INTO clinic_audit (workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail, prev_hash, hash, device_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [batch.workstationId, r.seq, r.at, r.userId, r.username, r.action, r.patientId, r.outcome, r.detail, r.prevHash, r.hash, msg.deviceId],
    );
    kept++;
  }
  if (problems.length > 0) {
    // The rows that check out are kept; the batch is listed for the admin with what did not.
    const reason = `audit rows of ${batch.name}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`;
    await setAside(tx, { kind: 'audit-rows', ref: msg.msgId, seq: msg.seq, deviceId: msg.deviceId, reason });
    return { status: 'refused', reason };
  }
  return { status: 'applied', rows: kept };
}

/**
 * Sends every audit row of this workstation not yet sent, batch by batch, each marked sent once
 * the cloud has it; then tells the cloud the chain's head (its last row's place and hash), which
 * the cloud keeps so that rows rewritten here later are found (audit/clinic-audit.ts).
 */
export async function sendAudit(store: SyncStore, key: TenantKey, id: Identity, token: string, workstationId: string): Promise<number> {
  let sent = 0;
  let head: AuditWireRow | undefined;
  for (;;) {
    const batch = await store.db.read((tx) => nextAuditBatch(tx, workstationId));
    if (!batch) break;
    const msgId = auditMsgId(id.deviceId, batch);
    const env = sealAuditBatch(key, { tenantId: id.tenantId, deviceId: id.deviceId, msgId }, batch);
    await cloudRequest(id.cloudUrl, 'push', { params: { tenantId: id.tenantId }, body: { messages: [env] }, token });
    head = batch.rows.at(-1);
    await store.local((tx) => markAuditSent(tx, head?.seq ?? 0));
    sent += batch.rows.length;
  }
  if (head) {
    try {
      await cloudRequest(id.cloudUrl, 'putAuditHead', { params: { tenantId: id.tenantId }, body: { seq: head.seq, hash: head.hash }, token });
    } catch (e) {
      // The cloud keeps the head it had: the clinic's verification shows the mismatch; sync goes on.
      if (!(e instanceof CloudError && e.code === 'audit-head-conflict')) throw e;
    }
  }
  return sent;
}
