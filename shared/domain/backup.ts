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
