// The chart: encounters and SOAP notes with addenda, problems, medications, allergies, vitals,
// immunizations, hand-entered lab results, documents, and emergency access.
import { z } from 'zod';
import { AppointmentId, ChartItemId, EncounterId, NoteId, NoteTemplateId, PatientId, UserId } from './ids';
import { isoDate } from './patient';
import { Appointment } from './scheduling';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');
const optionalDate = isoDate.or(z.literal('')).default('');

export const Soap = z.strictObject({ subjective: text(20_000), objective: text(20_000), assessment: text(20_000), plan: text(20_000) });
export type Soap = z.infer<typeof Soap>;

export const Addendum = z.object({ id: ChartItemId, text: z.string(), authorName: z.string(), signedAt: z.string() });
export const Note = Soap.extend({
  id: NoteId,
  encounterId: EncounterId,
  status: z.enum(['draft', 'signed']),
  authorName: z.string(),
  updatedAt: z.string(),
  signedByName: z.string().nullable(),
  signedAt: z.string().nullable(),
  addenda: z.array(Addendum),
});
export type Note = Readonly<z.infer<typeof Note>>;

export const Encounter = z.object({
  id: EncounterId,
  patientId: PatientId,
  appointmentId: AppointmentId.nullable(),
  providerName: z.string(),
  kind: z.enum(['appointment', 'walk-in']),
  startedAt: z.string(),
  note: Note,
  /** The video call of a video visit, once it has ended. */
  call: z.object({ startedAt: z.string(), endedAt: z.string(), seconds: z.number().int() }).nullable(),
});
export type Encounter = Readonly<z.infer<typeof Encounter>>;

export const EncounterSummary = z.object({
  id: EncounterId,
  kind: z.enum(['appointment', 'walk-in']),
  startedAt: z.string(),
  providerName: z.string(),
  noteStatus: z.enum(['draft', 'signed']),
  assessment: z.string(),
});

export const NoteTemplate = Soap.extend({ id: NoteTemplateId, name: required(80) });
export type NoteTemplate = Readonly<z.infer<typeof NoteTemplate>>;
export const NoteTemplateInput = NoteTemplate.omit({ id: true });

export const ProblemInput = z.strictObject({
  description: required(300),
  icd10: text(10).refine((s) => s === '' || /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/i.test(s), 'is not valid (for example I10 or E11.9)').default(''),
  onset: optionalDate,
  status: z.enum(['active', 'resolved']).default('active'),
});
export const Problem = ProblemInput.extend({ id: ChartItemId, recordedAt: z.string() });
export type Problem = Readonly<z.infer<typeof Problem>>;

export const MedicationInput = z.strictObject({
  name: required(200),
  dose: text(100),
  route: text(60),
  frequency: text(100),
  rxnorm: text(12).refine((s) => s === '' || /^\d{1,10}$/.test(s), 'is not valid (digits only)').default(''),
  start: optionalDate,
  stop: optionalDate,
}).refine((m) => !m.start || !m.stop || m.stop >= m.start, { message: 'stop date is before the start date', path: ['stop'] });
/** A correction kept in the record: who made an entry inactive (or marked it entered in error), when, why. */
export const Correction = z.object({ reason: z.string(), byName: z.string(), at: z.string() });
export type Correction = Readonly<z.infer<typeof Correction>>;
export const CorrectionReason = z.string().trim().min(3, 'give a reason').max(300);

export const Severity = z.enum(['mild', 'moderate', 'severe', 'unknown']);
/** `allergy`: the same allergen (ingredient or class); `cross-reactivity`: a documented caution between classes. */
export const AlertLevel = z.enum(['allergy', 'cross-reactivity']);
/** A recorded allergy that speaks against a medication, and why (from shared/allergies/). */
export const AllergyAlert = z.object({
  allergyId: ChartItemId, substance: z.string(), reaction: z.string(), severity: Severity, level: AlertLevel, reason: z.string(),
});
export type AllergyAlert = Readonly<z.infer<typeof AllergyAlert>>;
/** How an acknowledged override is kept on its medication's row (JSON), checked as it syncs in. */
export const StoredAllergyOverride = z.strictObject({
  reason: z.string().max(300),
  by: z.string().max(64),
  at: z.string().max(40),
  alerts: z.array(z.strictObject({ substance: z.string().max(200), level: AlertLevel, reason: z.string().max(500) })).max(50),
});
export const AllergyOverride = StoredAllergyOverride.omit({ by: true }).extend({ byName: z.string() });
export type AllergyOverride = Readonly<z.infer<typeof AllergyOverride>>;

export const Medication = z.object({
  id: ChartItemId, name: z.string(), dose: z.string(), route: z.string(), frequency: z.string(), rxnorm: z.string(),
  start: z.string(), stop: z.string(), recordedAt: z.string(),
  /** Recorded allergies that speak against it now (an allergy recorded after it, too). */
  allergyAlerts: z.array(AllergyAlert),
  /** Given despite an allergy alert: what was alerted, who acknowledged it and why. */
  allergyOverride: AllergyOverride.nullable(),
  /** Made inactive (entered in error, not taken): kept in the record with the reason. */
  inactive: Correction.nullable(),
});
export type Medication = Readonly<z.infer<typeof Medication>>;

export const AllergyInput = z.strictObject({
  substance: required(200),
  reaction: text(200),
  severity: Severity.default('unknown'),
  /** RxNorm or other code for the substance, when known. */
  code: text(20).default(''),
});
export const Allergy = AllergyInput.extend({ id: ChartItemId, recordedAt: z.string(), inactive: Correction.nullable() });
export type Allergy = Readonly<z.infer<typeof Allergy>>;
/** 'unknown' until someone asks; 'none' is an explicit "no known allergies". */
export const AllergyStatus = z.enum(['unknown', 'none', 'recorded']);

export const Vitals = z.object({
  id: ChartItemId,
  takenAt: z.string(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  heartRate: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  temperatureC: z.number().nullable(),
  spo2: z.number().nullable(),
  heightCm: z.number().nullable(),
  weightKg: z.number().nullable(),
  bmi: z.number().nullable(),
  /** Marked entered in error: it stays in the record, struck through, and leaves the plot. */
  enteredInError: Correction.nullable(),
});
export type Vitals = Readonly<z.infer<typeof Vitals>>;

export const ImmunizationInput = z.strictObject({
  vaccine: required(200),
  cvx: text(4).refine((s) => s === '' || /^\d{1,3}$/.test(s), 'is not valid (1 to 3 digits)').default(''),
  date: isoDate,
  lot: text(40).default(''),
});
export const Immunization = ImmunizationInput.extend({ id: ChartItemId });
export type Immunization = Readonly<z.infer<typeof Immunization>>;

export const LabInput = z
  .strictObject({
    test: required(200),
    loinc: text(10).refine((s) => s === '' || /^\d{1,7}-\d$/.test(s), 'is not valid (for example 4548-4)').default(''),
    value: z.number().finite(),
    unit: text(30),
    refLow: z.number().finite().nullable().default(null),
    refHigh: z.number().finite().nullable().default(null),
    collectedOn: isoDate,
  })
  .refine((l) => l.refLow === null || l.refHigh === null || l.refLow <= l.refHigh, { message: 'low end is above the high end', path: ['refHigh'] });
export const LabFlag = z.enum(['low', 'high', 'normal', 'none']);
export const LabResult = z.object({
  id: ChartItemId, test: z.string(), loinc: z.string(), value: z.number(), unit: z.string(),
  refLow: z.number().nullable(), refHigh: z.number().nullable(), collectedOn: z.string(), flag: LabFlag,
  enteredInError: Correction.nullable(),
});
export type LabResult = Readonly<z.infer<typeof LabResult>>;

export function labFlag(value: number, low: number | null, high: number | null): z.infer<typeof LabFlag> {
  if (low === null && high === null) return 'none';
  if (low !== null && value < low) return 'low';
  if (high !== null && value > high) return 'high';
  return 'normal';
}

export const documentTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;
/** The first bytes each accepted file type starts with. */
const signatures: Readonly<Record<(typeof documentTypes)[number], readonly number[]>> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

/** Whether a file (base64, its start at least) begins as a file of `mime` must. */
export function fileSignatureMatches(base64: string, mime: (typeof documentTypes)[number]): boolean {
  return startsWith(base64, signatures[mime]);
}

function startsWith(base64: string, signature: readonly number[]): boolean {
  try {
    const head = atob(base64.slice(0, 16));
    return signature.every((b, i) => head.charCodeAt(i) === b);
  } catch {
    return false;
  }
}

export const DocumentUpload = z
  .strictObject({
    patientId: PatientId,
    title: required(200),
    mime: z.enum(documentTypes),
    /** Base64 of the file. */
    data: z.string().min(4).max(Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4, 'the file is larger than 15 MB').regex(/^[A-Za-z0-9+/]+={0,2}$/, 'is not base64'),
  })
  .refine((d) => startsWith(d.data, signatures[d.mime]), { message: 'the file is not of the type it claims to be', path: ['data'] });
export const DocumentInfo = z.object({
  id: ChartItemId, title: z.string(), mime: z.enum(documentTypes), bytes: z.number().int(), uploadedAt: z.string(), uploadedByName: z.string(),
  /** `here`: it can be opened; `arriving`: attached on another workstation, still being fetched; `unavailable`: it failed its checks. */
  state: z.enum(['here', 'arriving', 'unavailable']),
  /** Its chunks (of 1 MiB), and how many are here. */
  chunks: z.number().int(),
  received: z.number().int(),
});
export type DocumentInfo = Readonly<z.infer<typeof DocumentInfo>>;

export const ChartSummary = z.object({
  patientId: PatientId,
  problems: z.array(Problem),
  /** Current medications; `inactiveMedications` are the ones made inactive, kept with their reason. */
  medications: z.array(Medication),
  inactiveMedications: z.array(Medication),
  allergyStatus: AllergyStatus,
  /** Active allergies; `inactiveAllergies` are the ones made inactive, kept with their reason. */
  allergies: z.array(Allergy),
  inactiveAllergies: z.array(Allergy),
  vitals: z.array(Vitals),
  immunizations: z.array(Immunization),
  labs: z.array(LabResult),
  documents: z.array(DocumentInfo),
  upcoming: z.array(Appointment),
  encounters: z.array(EncounterSummary),
  /** Present when this read was allowed by emergency access, not by role. */
  emergencyAccessUntil: z.string().nullable(),
});
export type ChartSummary = Readonly<z.infer<typeof ChartSummary>>;

export const MedicationOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('added'), medication: Medication }),
  z.object({ status: z.literal('allergy-warning'), alerts: z.array(AllergyAlert) }),
]);

export const EmergencyAccess = z.object({
  id: ChartItemId, userId: UserId, username: z.string(), patientId: PatientId, patientName: z.string(),
  reason: z.string(), grantedAt: z.string(), expiresAt: z.string(),
});
export type EmergencyAccess = Readonly<z.infer<typeof EmergencyAccess>>;
