// Branded identifiers: a PatientId cannot be passed where a UserId is expected.
import { z } from 'zod';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');

export const PatientId = uuid.brand<'PatientId'>();
export type PatientId = z.infer<typeof PatientId>;

export const UserId = uuid.brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;

/** Medical record number: workstation (2) + sequence (6) + Luhn check digit, assigned by the engine. */
export const Mrn = z.string().regex(/^\d{9}$/, 'must be a 9-digit MRN').brand<'Mrn'>();
export type Mrn = z.infer<typeof Mrn>;

export const AppointmentId = uuid.brand<'AppointmentId'>();
export type AppointmentId = z.infer<typeof AppointmentId>;

export const AppointmentTypeId = uuid.brand<'AppointmentTypeId'>();
export type AppointmentTypeId = z.infer<typeof AppointmentTypeId>;

export const EncounterId = uuid.brand<'EncounterId'>();
export type EncounterId = z.infer<typeof EncounterId>;

export const NoteId = uuid.brand<'NoteId'>();
export type NoteId = z.infer<typeof NoteId>;

export const NoteTemplateId = uuid.brand<'NoteTemplateId'>();
export type NoteTemplateId = z.infer<typeof NoteTemplateId>;

/** Problems, medications, allergies, vitals, immunizations, lab results, documents. */
export const ChartItemId = uuid.brand<'ChartItemId'>();
export type ChartItemId = z.infer<typeof ChartItemId>;
