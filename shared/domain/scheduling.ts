// Scheduling: providers, clinic hours, appointment types, appointments and the day's flow.
import { z } from 'zod';
import { AppointmentId, AppointmentTypeId, PatientId, UserId } from './ids';
import { isoDate } from './patient';

/** Clinic-local wall time, minute precision: 2026-11-30T09:15. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'must be a local date and time (YYYY-MM-DDTHH:MM)')
  .refine((s) => isoDate.safeParse(s.slice(0, 10)).success, 'is not a real date');
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time (HH:MM)');

export const VisitMode = z.enum(['in-person', 'video']);
export type VisitMode = z.infer<typeof VisitMode>;

export const AppointmentType = z.object({
  id: AppointmentTypeId,
  name: z.string().trim().min(1, 'is required').max(80),
  durationMinutes: z.number().int().min(5).max(480),
  mode: VisitMode,
  active: z.boolean(),
});
export type AppointmentType = Readonly<z.infer<typeof AppointmentType>>;
export const AppointmentTypeInput = AppointmentType.omit({ id: true });

export const Provider = z.object({ userId: UserId, displayName: z.string(), roles: z.array(z.string()), active: z.boolean() });
export type Provider = Readonly<z.infer<typeof Provider>>;

export const DayHours = z
  .strictObject({ weekday: z.number().int().min(0).max(6), open: z.boolean(), opens: ClockTime, closes: ClockTime })
  .refine((d) => !d.open || d.opens < d.closes, { message: 'closing time must be after opening time', path: ['closes'] });
export type DayHours = z.infer<typeof DayHours>;
export const ClinicHours = z.array(DayHours).length(7).refine((w) => w.every((d, i) => d.weekday === i), 'one entry per weekday, Sunday (0) to Saturday (6)');
export type ClinicHours = z.infer<typeof ClinicHours>;

export const defaultClinicHours: ClinicHours = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
  weekday, open: weekday >= 1 && weekday <= 5, opens: '08:00', closes: '17:00',
}));

export const AppointmentStatus = z.enum(['scheduled', 'checked-in', 'roomed', 'with-provider', 'checked-out', 'cancelled', 'no-show']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** The day's flow: which step may follow which. */
export const nextStatuses: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  scheduled: ['checked-in', 'cancelled', 'no-show'],
  'checked-in': ['roomed', 'checked-out'],
  roomed: ['with-provider', 'checked-out'],
  'with-provider': ['checked-out'],
  'checked-out': [],
  cancelled: [],
  // A no-show marked by mistake (the patient was in the waiting room) goes back to scheduled.
  'no-show': ['scheduled'],
};

export const Appointment = z.object({
  id: AppointmentId,
  patientId: PatientId,
  patientName: z.string(),
  patientMrn: z.string(),
  patientDateOfBirth: z.string(),
  providerId: UserId,
  providerName: z.string(),
  typeId: AppointmentTypeId,
  typeName: z.string(),
  mode: VisitMode,
  start: LocalDateTime,
  durationMinutes: z.number().int(),
  reason: z.string(),
  status: AppointmentStatus,
  cancelReason: z.string(),
  checkedInAt: z.string().nullable(),
  roomedAt: z.string().nullable(),
  withProviderAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  /** When the visit's note was signed, if it was. */
  noteSignedAt: z.string().nullable(),
  /** Another live appointment of the same provider overlaps this one (kept, flagged). */
  overlaps: z.boolean(),
});
export type Appointment = Readonly<z.infer<typeof Appointment>>;

export const BookingWarning = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overlap'), appointments: z.array(Appointment) }),
  z.object({ kind: z.literal('outside-hours'), message: z.string() }),
]);
export type BookingWarning = z.infer<typeof BookingWarning>;

export const BookingOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('booked'), appointment: Appointment }),
  z.object({ status: z.literal('needs-confirmation'), warnings: z.array(BookingWarning) }),
]);
export type BookingOutcome = z.infer<typeof BookingOutcome>;

export const BookAppointment = z.strictObject({
  patientId: PatientId,
  providerId: UserId,
  typeId: AppointmentTypeId,
  start: LocalDateTime,
  /** Defaults to the type's duration. */
  durationMinutes: z.number().int().min(5).max(480).optional(),
  reason: z.string().trim().max(500).default(''),
  /** Set after the user saw the overlap or hours warning and chose to book anyway. */
  confirmWarnings: z.boolean().default(false),
});

export const ScheduleQuery = z.strictObject({
  from: isoDate,
  /** Inclusive; at most 31 days after `from`. */
  to: isoDate,
  providerId: UserId.optional(),
});

/** Minutes since midnight of a local date-time. */
export function minutesOfDay(local: string): number {
  return Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
}
