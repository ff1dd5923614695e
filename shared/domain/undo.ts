// Undoing one workstation's changes after a time (after ransomware at its keyboard): what the
// admin asks, the preview they check first, and what applying it did.
import { z } from 'zod';

/** Whose changes: one workstation's (`deviceId`), or one user's on any workstation (`userId`). */
export const UndoInput = z.strictObject({
  deviceId: z.uuid().optional(),
  userId: z.uuid().optional(),
  /** Change sets that workstation, or that user, stamped at or after this instant are undone. */
  after: z.iso.datetime(),
}).refine((v) => (v.deviceId === undefined) !== (v.userId === undefined), { message: 'give a workstation or a user, one of them', path: ['deviceId'] });
export type UndoInput = z.infer<typeof UndoInput>;

export const UndoPreview = z.object({
  /** Whose changes, in words: "Exam room 1 (workstation 2)", or "Dr Ada Admin (ada)". */
  whose: z.string(),
  changeSets: z.number().int(),
  /** Fields whose earlier value comes back. */
  fields: z.number().int(),
  records: z.array(z.object({ table: z.string(), fields: z.number().int() })),
  patients: z.array(z.object({ id: z.string(), name: z.string(), mrn: z.string() })),
  /** Written again since by someone else: left as they are, for a person to look at. */
  changedSince: z.array(z.object({ table: z.string(), rowId: z.string(), column: z.string() })),
  /** Rows that workstation or user created after the time: listed, never removed. */
  createdRows: z.array(z.object({ table: z.string(), rowId: z.string() })),
  /** Messages of the history this workstation could not open (not part of the undo). */
  unreadable: z.number().int(),
});
export type UndoPreview = Readonly<z.infer<typeof UndoPreview>>;

export const UndoApplied = UndoPreview.pick({ changeSets: true, fields: true, changedSince: true, createdRows: true }).extend({
  /** The new change sets that carry the undo (history stays append-only). */
  written: z.number().int(),
});
export type UndoApplied = Readonly<z.infer<typeof UndoApplied>>;
