// An offline backup: one self-contained file, sealed to the clinic's recovery key, so the
// recovery code alone opens it (no cloud, no workstation, no password). Its first line is a
// JSON header (which clinic, when, from which workstation, what the record holds: per-table
// counts and hashes); the rest is the clinic's snapshot (sync/snapshot.ts), compressed, under
// AES-256-GCM with a random file key. The file key is sealed to the recovery public key, and the
// header is the ciphertext's associated data, so nothing in it can be changed unnoticed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../../../shared/errors';
import { Sealed } from '../keys/kdf';
import { openSealed, recoveryKeyPair, sealTo } from '../keys/tenant-key-wrap';
import type { RecordFingerprints } from '../db/record-fingerprints';

/** The file name ending the app and the CLI write. */
export const BACKUP_EXTENSION = '.chartroom-backup';

const purpose = (tenantId: string) => `chartroom/backup-key/v1|${tenantId}`;

export const BackupHeader = z.strictObject({
  format: z.literal('chartroom-backup/v1'),
  tenantId: z.string().min(1).max(64),
  clinicName: z.string().max(200),
  createdAt: z.iso.datetime(),
  workstationNumber: z.number().int().min(1).max(99),
  tables: z.record(z.string(), z.object({ rows: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  auditRows: z.number().int().min(0),
  key: z.object({ ephemeralPublicKey: z.string(), box: Sealed }),
  nonce: z.string(),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

export interface BackupContent {
  readonly tenantId: string;
  readonly clinicName: string;
  readonly workstationNumber: number;
  readonly tables: RecordFingerprints;
  readonly auditRows: number;
  /** The clinic's snapshot, compressed (sync/snapshot.ts). */
  readonly snapshot: Buffer;
}

/** The file's bytes, and the file key (for checking the file once written; then wiped). */
export function sealBackup(content: BackupContent, recoveryPublicKey: Buffer, now = new Date()): { bytes: Buffer; fileKey: Buffer } {
  const fileKey = randomBytes(32);
  const nonce = randomBytes(12);
  const header: BackupHeader = {
    format: 'chartroom-backup/v1', tenantId: content.tenantId, clinicName: content.clinicName, createdAt: now.toISOString(),
    workstationNumber: content.workstationNumber, tables: { ...content.tables }, auditRows: content.auditRows,
    key: sealTo(fileKey, recoveryPublicKey, purpose(content.tenantId)), nonce: nonce.toString('base64'),
  };
  const line = Buffer.from(`${JSON.stringify(header)}\n`);
  const c = createCipheriv('aes-256-gcm', fileKey, nonce);
  c.setAAD(line);
  return { bytes: Buffer.concat([line, c.update(content.snapshot), c.final(), c.getAuthTag()]), fileKey };
}

/** The header, read without any key: what a file says it is. */
export function readBackupHeader(bytes: Buffer): Result<{ header: BackupHeader; line: Buffer; body: Buffer }> {
  const nl = bytes.indexOf(0x0a);
  const notOne = fail('not-a-backup', 'That file is not a Chartroom backup.');
  if (nl <= 0 || nl > 1024 * 1024) return notOne;
  let header: BackupHeader;
  try {
    const parsed = BackupHeader.safeParse(JSON.parse(bytes.subarray(0, nl).toString('utf8')));
    if (!parsed.success) return notOne;
    header = parsed.data;
  } catch {
    return notOne;
  }
  const body = bytes.subarray(nl + 1);
  if (body.length < 17) return fail('backup-damaged', 'The backup file is cut short.');
  return ok({ header, line: bytes.subarray(0, nl + 1), body });
}

/** Opens the snapshot inside with a file key already held (the check after writing). */
export function openBackupWithKey(bytes: Buffer, fileKey: Buffer): Result<{ header: BackupHeader; snapshot: Buffer }> {
  const read = readBackupHeader(bytes);
  if (!read.ok) return read;
  const { header, line, body } = read.value;
  try {
    const d = createDecipheriv('aes-256-gcm', fileKey, Buffer.from(header.nonce, 'base64'));
    d.setAAD(line);
    d.setAuthTag(body.subarray(body.length - 16));
    return ok({ header, snapshot: Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]) });
  } catch {
    return fail('backup-damaged', 'The backup file was changed or damaged after it was written: it does not open.');
  }
}

/** Opens a backup with the clinic's recovery code. */
export async function openBackup(bytes: Buffer, recoveryCode: string): Promise<Result<{ header: BackupHeader; snapshot: Buffer }>> {
  const read = readBackupHeader(bytes);
  if (!read.ok) return read;
  const { privateKey } = await recoveryKeyPair(recoveryCode, read.value.header.tenantId);
  const fileKey = openSealed(read.value.header.key, privateKey, purpose(read.value.header.tenantId));
  if (!fileKey) return fail('wrong-recovery-code', 'That recovery code does not open this backup. Check it letter by letter; it is the code shown once when the clinic was connected.');
  try {
    return openBackupWithKey(bytes, fileKey);
  } finally {
    fileKey.fill(0);
  }
}
