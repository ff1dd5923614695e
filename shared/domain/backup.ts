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
  /** The last drill from a backup file. */
  lastDrill: z.lazy(() => DrillReport).nullable(),
  /** The last drill from the clinic's cloud. */
  lastCloudDrill: z.lazy(() => DrillReport).nullable(),
  /** No drill of either kind passed in the last 30 days. */
  drillOverdue: z.boolean(),
});
export type BackupStatus = Readonly<z.infer<typeof BackupStatus>>;

/** Where a drill restores from: the newest backup file, or the clinic's cloud. */
export const DrillSource = z.enum(['backup', 'cloud']);
export type DrillSource = z.infer<typeof DrillSource>;

/** A restore drill: the newest backup, or the clinic's cloud, restored into a temporary folder and checked, then removed. */
export const DrillReport = z.object({
  at: z.string(),
  /** Reports kept before drills from the cloud were all from a backup. */
  source: DrillSource.default('backup'),
  /** What was restored: the backup file, or the cloud's address. */
  file: z.string(),
  backupAt: z.string().nullable(),
  ok: z.boolean(),
  seconds: z.number(),
  /** What the restore said: its checks, or why it failed. */
  message: z.string(),
  /** Tables that changed on the live record since the backup was made, or that differ from the cloud's (not a failure: what a restore from it would lose). */
  changedSince: z.array(z.string()),
  /** A drill from the cloud: the place in the clinic's history it restored to (null: a backup). */
  seq: z.number().int().nullable().default(null),
});
export type DrillReport = Readonly<z.infer<typeof DrillReport>>;

/** Days without a drill after which admins are warned. */
export const DRILL_DUE_DAYS = 30;
