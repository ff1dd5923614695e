// The audit report: who did what to which record, when, from which workstation.
import { z } from 'zod';
import { PatientId, UserId } from './ids';

export const AuditOutcome = z.enum(['success', 'denied', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: UserId.nullable(),
  username: z.string().nullable(),
  workstationId: z.string(),
  action: z.string(),
  patientId: PatientId.nullable(),
  outcome: AuditOutcome,
  detail: z.string().nullable(),
});
export type AuditEntry = Readonly<z.infer<typeof AuditEntry>>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

export const AuditQuery = z.object({
  userId: UserId.optional(),
  patientId: PatientId.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  problems: z.array(z.string()),
});
export type AuditVerification = Readonly<z.infer<typeof AuditVerification>>;
