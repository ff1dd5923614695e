// A restore drill: the newest backup in the folder (or one named) restored, with the recovery
// code, into a temporary folder through the same restore a real one uses (every check it makes),
// timed, then removed; and what the live record has changed since that backup, by table.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillReport } from '../../../shared/domain/backup';
import { fail, ok, type Result } from '../../../shared/errors';
import type { ReadableDb } from '../db/connection';
import { BACKUP_EXTENSION, readBackupHeader } from './backup-file';
import { differing, recordFingerprints } from '../db/record-fingerprints';

/** Restores a backup into an empty data dir (a whole workstation's restore, in its own engine). */
export type RestoreInto = (dataDir: string, bytes: Buffer, recoveryCode: string) => Promise<Result<{ auditRows: number; patients: number }>>;

export async function newestBackup(folder: string): Promise<string | null> {
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(BACKUP_EXTENSION));
  const dated = await Promise.all(names.map(async (n) => ({ file: join(folder, n), at: (await stat(join(folder, n))).mtimeMs })));
  return dated.sort((a, b) => b.at - a.at)[0]?.file ?? null;
}

export async function runDrill(file: string, recoveryCode: string, live: ReadableDb, restoreInto: RestoreInto, now = new Date()): Promise<Result<DrillReport>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return fail('not-a-backup', `The backup ${file} cannot be read.`);
  }
  const header = readBackupHeader(bytes);
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-drill-'));
  const started = performance.now();
  let restored: Result<{ auditRows: number; patients: number }>;
  try {
    restored = await restoreInto(dir, bytes, recoveryCode);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const changedSince = header.ok ? differing(header.value.header.tables, await live.read((tx) => recordFingerprints(tx))) : [];
  return ok({
    at: now.toISOString(), source: 'backup', seq: null, file, backupAt: header.ok ? header.value.header.createdAt : null, ok: restored.ok, seconds, changedSince,
    message: restored.ok
      ? `Restored ${restored.value.patients} patients and ${restored.value.auditRows} audit rows; integrity, audit chains and every table's count and hash checked.`
      : restored.error.message,
  });
}
