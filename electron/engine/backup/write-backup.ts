// Writes an offline backup of the open clinic (backup-file.ts) to a new file, then reads it back
// and opens it with the file key still held: a backup that does not read back the same is
// removed and said so, never left to be found wanting on the day it is needed.
import { createHash } from 'node:crypto';
import { access, readFile, rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors';
import type { ReadableDb } from '../db/connection';
import { buildSnapshot } from '../sync/snapshot';
import { writeFileAtomic } from '../util/atomic-file';
import { BACKUP_EXTENSION, openBackupWithKey, sealBackup } from './backup-file';
import { auditTrailRows, recordFingerprints } from '../db/record-fingerprints';

export interface WrittenBackup {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly patients: number;
}

export async function writeBackup(db: ReadableDb, workstationId: string, file: string, now = new Date()): Promise<Result<WrittenBackup>> {
  if (!isAbsolute(file) || !file.endsWith(BACKUP_EXTENSION)) return fail('invalid-input', `A backup is written to a full path ending in ${BACKUP_EXTENSION}.`);
  if (await access(file).then(() => true, () => false)) return fail('already-exists', 'A file of that name is there already; a backup never replaces one.');
  // One read transaction: the snapshot and the figures it is checked by are of the same moment.
  const content = await db.read(async (tx) => {
    const clinic = await tx.get<{ name: string; recovery_public_key: string | null }>('SELECT name, recovery_public_key FROM clinic ORDER BY created_at LIMIT 1');
    const id = await tx.get<{ tenant_id: string }>('SELECT tenant_id FROM sync_identity WHERE id = 1');
    const ws = await tx.get<{ number: number }>('SELECT number FROM workstation WHERE id = 1');
    if (!id) return 'not-enrolled' as const;
    if (!clinic?.recovery_public_key) return 'no-recovery-key' as const;
    return {
      recoveryPublicKey: Buffer.from(clinic.recovery_public_key, 'base64'),
      tenantId: id.tenant_id, clinicName: clinic.name, workstationNumber: ws?.number ?? 1,
      tables: await recordFingerprints(tx), auditRows: await auditTrailRows(tx), snapshot: await buildSnapshot(tx, workstationId, 'all'),
    };
  });
  if (content === 'not-enrolled') return fail('not-enrolled', 'This clinic has no recovery code yet: connect it to its clinic cloud first (Workstations), which makes one.');
  if (content === 'no-recovery-key') return fail('no-recovery-key', 'This workstation does not have the clinic’s recovery key yet: let it sync, then try again.');
  const { bytes, fileKey } = sealBackup(content, content.recoveryPublicKey, now);
  try {
    await writeFileAtomic(file, bytes, 0o600);
    const back = openBackupWithKey(await readFile(file), fileKey);
    if (!back.ok || !back.value.snapshot.equals(content.snapshot)) {
      await rm(file, { force: true });
      return fail('backup-damaged', 'The backup was written but did not read back the same, so it was removed. Check the drive and try again.');
    }
  } finally {
    fileKey.fill(0);
  }
  return ok({ file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), createdAt: now.toISOString(), patients: content.tables.patients?.rows ?? 0 });
}
