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
});
export type BackupStatus = Readonly<z.infer<typeof BackupStatus>>;
