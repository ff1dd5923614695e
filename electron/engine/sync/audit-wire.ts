// A batch of one workstation's audit rows as it travels inside a sealed envelope (never mixed
// with record changes): the workstation, its name and number as it calls itself, and its rows
// with their place in its hash chain. Checked field by field on arrival like any remote input.
import { z } from 'zod';
import { AuditOutcome } from '../../../shared/domain/audit';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const id = z.string().min(1).max(64);

export const AuditWireRow = z.strictObject({
  seq: z.number().int().min(1),
  at: z.iso.datetime(),
  userId: id.nullable(),
  username: z.string().max(64).nullable(),
  action: z.string().min(1).max(100),
  patientId: id.nullable(),
  outcome: AuditOutcome,
  detail: z.string().max(4000).nullable(),
  prevHash: hex64,
  hash: hex64,
});
export type AuditWireRow = z.infer<typeof AuditWireRow>;

/** At most this many rows per envelope. */
export const AUDIT_BATCH_ROWS = 2000;

export const AuditBatch = z.strictObject({
  workstationId: id,
  name: z.string().min(1).max(100),
  number: z.number().int().min(1).max(99),
  rows: z.array(AuditWireRow).min(1).max(AUDIT_BATCH_ROWS),
});
export type AuditBatch = z.infer<typeof AuditBatch>;
