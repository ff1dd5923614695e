// Patient demographics: one schema for the registration form, IPC validation and storage.
import { z } from 'zod';
import { Mrn, PatientId } from './ids';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const DateOfBirth = isoDate.refine((s) => s >= '1900-01-01', 'is before 1900').refine(
  (s) => s <= new Date().toISOString().slice(0, 10),
  'is in the future',
);

export const phoneDigits = (s: string): string => s.replace(/\D/g, '');

export const Phone = text(32).refine((s) => s === '' || /^[+\d\s().-]+$/.test(s), 'may use digits, spaces, +, ( ) . -')
  .refine((s) => s === '' || (phoneDigits(s).length >= 7 && phoneDigits(s).length <= 15), 'must have 7 to 15 digits');

export const Email = text(254).refine((s) => s === '' || z.email().safeParse(s).success, 'is not an email address');

export const SexAtBirth = z.enum(['female', 'male', 'intersex', 'unknown']);
export const GenderIdentity = z.enum(['', 'woman', 'man', 'non-binary', 'other', 'declined']);

export const sexLabels: Readonly<Record<z.infer<typeof SexAtBirth>, string>> = {
  female: 'Female', male: 'Male', intersex: 'Intersex', unknown: 'Unknown',
};
export const genderLabels: Readonly<Record<z.infer<typeof GenderIdentity>, string>> = {
  '': 'Not recorded', woman: 'Woman', man: 'Man', 'non-binary': 'Non-binary', other: 'Other', declined: 'Declined to answer',
};

/** Every editable field of a patient record; '' means "not recorded". */
export const PatientFields = z.object({
  familyName: required(100),
  givenNames: required(150),
  preferredName: text(100),
  dateOfBirth: DateOfBirth,
  sexAtBirth: SexAtBirth,
  genderIdentity: GenderIdentity,
  phone: Phone,
  email: Email,
  addressLine1: text(200),
  addressLine2: text(200),
  city: text(100),
  region: text(100),
  postalCode: text(20),
  country: text(100),
  emergencyName: text(150),
  emergencyRelationship: text(60),
  emergencyPhone: Phone,
  insurancePayer: text(150),
  insuranceMemberId: text(60),
  insuranceGroup: text(60),
});
export type PatientFields = z.infer<typeof PatientFields>;

export const emptyPatientFields: PatientFields = {
  familyName: '', givenNames: '', preferredName: '', dateOfBirth: '', sexAtBirth: 'unknown', genderIdentity: '',
  phone: '', email: '', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '',
  emergencyName: '', emergencyRelationship: '', emergencyPhone: '', insurancePayer: '', insuranceMemberId: '', insuranceGroup: '',
};

export const Patient = PatientFields.extend({
  id: PatientId,
  mrn: Mrn,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = Readonly<z.infer<typeof Patient>>;

/** A row in search results and duplicate warnings: enough to tell people apart. */
export const PatientSummary = z.object({
  id: PatientId,
  mrn: Mrn,
  familyName: z.string(),
  givenNames: z.string(),
  preferredName: z.string(),
  dateOfBirth: z.string(),
  phone: z.string(),
});
export type PatientSummary = Readonly<z.infer<typeof PatientSummary>>;

export const DuplicateOverride = z.object({
  reason: z.string().trim().min(5, 'give a reason of at least 5 characters').max(500),
});

export const RegisterPatient = z.object({
  fields: PatientFields,
  /** Present when the user has seen the duplicate warning and registers anyway. */
  duplicateOverride: DuplicateOverride.optional(),
});

export const RegisterOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), patient: Patient }),
  z.object({ status: z.literal('possible-duplicates'), candidates: z.array(PatientSummary) }),
]);
export type RegisterOutcome = z.infer<typeof RegisterOutcome>;

/** Many registrations at once (seeding, and later imports): no duplicate warning per patient. */
export const RegisterMany = z.object({
  patients: z.array(PatientFields).min(1).max(2000),
  /** Why, for the audit log ("synthetic test data", "import from …"). */
  reason: z.string().trim().min(5, 'give a reason of at least 5 characters').max(200),
});

/** Every patient, a page at a time, in registration order (the cursor is the last id: no PHI in it). */
export const PatientPage = z.object({
  after: PatientId.nullable().default(null),
  limit: z.number().int().min(1).max(5000).default(1000),
});
export const PatientList = z.object({
  patients: z.array(PatientSummary.omit({ phone: true })),
  next: PatientId.nullable(),
});
export type PatientList = z.infer<typeof PatientList>;

export const PatientSearch = z.object({
  query: z.string().trim().min(1, 'type something to search for').max(200),
  limit: z.number().int().min(1).max(500).default(100),
});
export type PatientSearch = z.infer<typeof PatientSearch>;

export const SearchResults = z.object({
  results: z.array(PatientSummary),
  /** True when typo-tolerant matches were added because exact matches were few. */
  fuzzy: z.boolean(),
});
export type SearchResults = z.infer<typeof SearchResults>;

/** Age in whole years on `today` (ISO dates). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Whole days between two ISO dates (calendar days, so no clock or time zone enters). */
function daysBetween(from: string, to: string): number {
  const utc = (iso: string) => { const [y, m, d] = iso.split('-').map(Number) as [number, number, number]; return Date.UTC(y, m - 1, d); };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** Whole months from `dateOfBirth` to `today` (a month is complete on the same day of the month). */
function monthsOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
}

/**
 * Age as a clinic says it: days under four weeks, weeks under three months, months under two
 * years, then years ("11 days", "6 weeks", "14 months", "42 years").
 */
export function ageText(dateOfBirth: string, today: string): string {
  const days = daysBetween(dateOfBirth, today);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days < 28) return plural(Math.max(0, days), 'day');
  const months = monthsOn(dateOfBirth, today);
  if (months < 3) return plural(Math.floor(days / 7), 'week');
  if (months < 24) return plural(months, 'month');
  return plural(ageOn(dateOfBirth, today), 'year');
}
