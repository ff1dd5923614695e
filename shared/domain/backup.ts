// Offline backups: one file sealed to the clinic's recovery key (electron/engine/backup/).
import { z } from 'zod';

export const BackupWritten = z.object({
  file: z.string(),
  bytes: z.number().int(),
  /** Of the whole file, for the admin's own records. */
  sha256: z.string(),
  createdAt: z.string(),
  patients: z.number().int(),
});
export type BackupWritten = Readonly<z.infer<typeof BackupWritten>>;

/** This workstation's daily backup: where it goes, and how the last one went. */
export const BackupStatus = z.object({
  folder: z.string().nullable(),
  lastAt: z.string().nullable(),
  lastFile: z.string().nullable(),
  /** The last attempt's failure, if it failed after the last success. */
  lastError: z.string().nullable(),
  /** When the next daily backup is due (null: no folder chosen). */
  nextAt: z.string().nullable(),
  lastDrill: z.lazy(() => DrillReport).nullable(),
  /** No drill, or the last one more than 30 days ago. */
  drillOverdue: z.boolean(),
});
export type BackupStatus = Readonly<z.infer<typeof BackupStatus>>;

/** A restore drill: the newest backup restored into a temporary folder and checked, then removed. */
export const DrillReport = z.object({
  at: z.string(),
  file: z.string(),
  backupAt: z.string().nullable(),
  ok: z.boolean(),
  seconds: z.number(),
  /** What the restore said: its checks, or why it failed. */
  message: z.string(),
  /** Tables that changed on the live record since the backup was made (not a failure: what a restore from it would lose). */
  changedSince: z.array(z.string()),
});
export type DrillReport = Readonly<z.infer<typeof DrillReport>>;

/** Days without a drill after which admins are warned. */
export const DRILL_DUE_DAYS = 30;
