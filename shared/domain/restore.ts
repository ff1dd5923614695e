// Restoring the clinic from its cloud onto a clean machine with the recovery code alone (every
// workstation lost): what the setup page and IT's command line ask, and what the restore reports.
import { z } from 'zod';

/** The fields, as a form takes them (CloudRestoreInput adds the rule between `asOf` and `seq`). */
export const CloudRestoreFields = z.strictObject({
  cloudUrl: z.url({ protocol: /^https?$/ }),
  /** The clinic's ID at its cloud (shown to admins under Workstations; IT keeps it with the recovery code). */
  clinicId: z.uuid('is not a clinic ID'),
  recoveryCode: z.string().trim().min(16, 'is too short').max(80),
  deviceName: z.string().trim().min(1, 'is required').max(100),
  /** Back to this instant (before an attack): the whole clinic moves there, and what came after is kept aside. */
  asOf: z.iso.datetime().optional(),
  /** Back to just after this place in the clinic's history, instead of an instant. */
  seq: z.number().int().min(0).optional(),
});
export const CloudRestoreInput = CloudRestoreFields.refine((v) => v.asOf === undefined || v.seq === undefined, { message: 'give a time or a place in the history, not both', path: ['asOf'] });
export type CloudRestoreInput = z.infer<typeof CloudRestoreInput>;

export const CloudRestored = z.object({
  clinicName: z.string(),
  users: z.number().int(),
  patients: z.number().int(),
  auditRows: z.number().int(),
  workstationNumber: z.number().int(),
  /** Where the newest snapshot stood (null: none, the whole history was pulled). */
  snapshotSeq: z.number().int().nullable(),
  /** Change sets replayed to check what was built: those after the snapshot (all, without one). */
  messages: z.number().int(),
  /** A restore to a point in time: what moved the clinic back (null: the newest state). */
  takenBack: z.object({ keptAside: z.number().int(), fields: z.number().int(), createdRows: z.number().int(), written: z.number().int() }).nullable(),
});
export type CloudRestored = Readonly<z.infer<typeof CloudRestored>>;

/** A change set a restore to a point in time kept aside, for an admin to look at and re-apply. */
export const KeptAside = z.object({
  msgId: z.string(),
  seq: z.number().int(),
  workstation: z.string(),
  at: z.string(),
  fields: z.number().int(),
  /** What it wrote, in words: tables and columns (no values). */
  summary: z.string(),
  reappliedAt: z.string().nullable(),
});
export type KeptAside = Readonly<z.infer<typeof KeptAside>>;
