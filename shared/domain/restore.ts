// Restoring the clinic from its cloud onto a clean machine with the recovery code alone (every
// workstation lost): what the setup page and IT's command line ask, and what the restore reports.
import { z } from 'zod';

export const CloudRestoreInput = z.strictObject({
  cloudUrl: z.url({ protocol: /^https?$/ }),
  /** The clinic's ID at its cloud (shown to admins under Workstations; IT keeps it with the recovery code). */
  clinicId: z.uuid('is not a clinic ID'),
  recoveryCode: z.string().trim().min(16, 'is too short').max(80),
  deviceName: z.string().trim().min(1, 'is required').max(100),
});
export type CloudRestoreInput = z.infer<typeof CloudRestoreInput>;

export const CloudRestored = z.object({
  clinicName: z.string(),
  users: z.number().int(),
  patients: z.number().int(),
  auditRows: z.number().int(),
  workstationNumber: z.number().int(),
  /** Where the newest snapshot stood (null: none, the whole history was pulled). */
  snapshotSeq: z.number().int().nullable(),
  /** Change sets replayed to check what was built. */
  messages: z.number().int(),
});
export type CloudRestored = Readonly<z.infer<typeof CloudRestored>>;
