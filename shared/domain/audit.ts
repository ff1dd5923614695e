// The audit report: who did what to which record, when, from which workstation, for the whole
// clinic (every workstation's rows reach the others), with people, patients and workstations
// named, not given by id.
import { z } from 'zod';
import { PatientId, UserId } from './ids';

export const AuditOutcome = z.enum(['success', 'denied', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: UserId.nullable(),
  username: z.string().nullable(),
  /** The user's display name, when the clinic has the account. */
  userName: z.string().nullable(),
  workstationId: z.string(),
  workstationName: z.string(),
  action: z.string(),
  patientId: PatientId.nullable(),
  /** "Family, Given" and MRN, when the clinic has the patient. */
  patientName: z.string().nullable(),
  patientMrn: z.string().nullable(),
  outcome: AuditOutcome,
  detail: z.string().nullable(),
});
export type AuditEntry = Readonly<z.infer<typeof AuditEntry>>;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

/** Filters; dates are the workstation's own calendar days, both ends included. */
export const AuditFilter = z.object({
  /** A patient by name (family, given, or both) or MRN. */
  patient: z.string().trim().max(100).optional(),
  patientId: PatientId.optional(),
  userId: UserId.optional(),
  workstationId: z.string().max(64).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = AuditFilter.extend({ limit: z.number().int().min(1).max(1000).default(200) });
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The most rows one export holds. */
export const AUDIT_EXPORT_ROWS = 100_000;

export const AuditExport = z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() });
export type AuditExport = Readonly<z.infer<typeof AuditExport>>;

export const AuditChainReport = z.object({
  workstationId: z.string(),
  workstationName: z.string(),
  rows: z.number().int(),
  /** The last row's place in the chain (0: none yet). */
  lastSeq: z.number().int(),
  ok: z.boolean(),
  problems: z.array(z.string()),
});

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  problems: z.array(z.string()),
  /** Each workstation's chain, this one first. */
  chains: z.array(AuditChainReport),
  /** Whether the chains were checked against the heads the cloud keeps (false: it could not be asked). */
  headsChecked: z.boolean(),
});
export type AuditVerification = Readonly<z.infer<typeof AuditVerification>>;
