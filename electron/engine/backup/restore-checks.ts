// What a restore checks before anyone uses what it built: the database file (SQLCipher page
// authentication, SQLite structure), every workstation's audit chain as restored, and the
// record's per-table counts and hashes against what its source said it held.
import { fail, ok, type Result } from '../../../shared/errors';
import type { ReadableDb } from '../db/connection';
import { type AuditRow, walkChain } from '../audit/audit-log';
import { differing, type RecordFingerprints, recordFingerprints } from '../db/record-fingerprints';

export interface RestoreReport {
  readonly tables: number;
  readonly rows: number;
  readonly auditRows: number;
  /** The record as built, hashed. */
  readonly record: RecordFingerprints;
}

export async function checkRestored(db: ReadableDb, expected: RecordFingerprints): Promise<Result<RestoreReport>> {
  const cipher = await db.all('PRAGMA cipher_integrity_check');
  const sqlite = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  if (cipher.length > 0 || sqlite[0]?.integrity_check !== 'ok') return fail('restore-check-failed', 'The restored database does not pass its integrity checks.');
  const got = await db.read((tx) => recordFingerprints(tx));
  const wrong = differing(expected, got);
  if (wrong.length > 0) return fail('restore-check-failed', `The restored record differs from its source in: ${wrong.join(', ')}.`);
  const chains = await db.all<{ workstation_id: string }>('SELECT DISTINCT workstation_id FROM clinic_audit');
  let auditRows = 0;
  for (const c of chains) {
    const rows = await db.all<AuditRow>('SELECT workstation_id, seq, at, user_id, username, action, patient_id, outcome, detail, prev_hash, hash FROM clinic_audit WHERE workstation_id = ? ORDER BY seq', [c.workstation_id]);
    const problems = walkChain(rows, 'audit row');
    if (problems.length > 0) return fail('restore-check-failed', `A restored audit chain does not hold: ${problems[0]}.`);
    auditRows += rows.length;
  }
  return ok({ record: got, tables: Object.keys(got).length, rows: Object.values(got).reduce((n, t) => n + t.rows, 0), auditRows });
}
