// Scheduling calls: set-up (providers, hours, appointment types), booking with overlap and
// clinic-hours warnings that need a confirmation, moving, cancelling, and the day's flow.
import { v7 as uuidv7 } from 'uuid';
import type { CallName } from '../../../shared/api/contract';
import { type Appointment, type AppointmentStatus, type BookingOutcome, type BookingWarning, nextStatuses } from '../../../shared/domain/scheduling';
import { fail, invalidInput, ok, type Result } from '../../../shared/errors';
import { auditOf, type HandlersFor, type SessionContext } from '../clinic/call-context';
import { type Announce, scheduleChanged } from '../events';
import type { Mutator } from '../db/mutation';
import {
  activeProviders, clinicHours, findAppointment, findType, listAppointments, listTypes, outsideHours, overlapping, providerCandidates,
} from './scheduling-repository';

type SchedulingCall = Extract<CallName, `schedule.${string}` | `appointments.${string}`>;

const flowColumn = {
  'checked-in': 'checked_in_at',
  roomed: 'roomed_at',
  'with-provider': 'with_provider_at',
  'checked-out': 'checked_out_at',
} as const;

const statusWords: Readonly<Record<AppointmentStatus, string>> = {
  scheduled: 'scheduled', 'checked-in': 'checked in', roomed: 'roomed', 'with-provider': 'with the provider',
  'checked-out': 'checked out', cancelled: 'cancelled', 'no-show': 'marked as a no-show',
};

async function warningsFor(m: Mutator, slot: { providerId: string; start: string; durationMinutes: number; excludeId?: string }): Promise<BookingWarning[]> {
  const warnings: BookingWarning[] = [];
  const clash = await overlapping(m.tx, slot);
  if (clash.length > 0) warnings.push({ kind: 'overlap', appointments: clash });
  const hours = outsideHours(await clinicHours(m.tx), slot.start, slot.durationMinutes);
  if (hours) warnings.push({ kind: 'outside-hours', message: hours });
  return warnings;
}

function endsSameDay(start: string, durationMinutes: number): boolean {
  return Number(start.slice(11, 13)) * 60 + Number(start.slice(14, 16)) + durationMinutes <= 24 * 60;
}

/** The scheduling calls; `events` tells open schedules which days changed. */
export function schedulingHandlers(events: Announce): HandlersFor<SchedulingCall> {
  const announce = <T extends Result<unknown>>(r: T, ...dates: (string | undefined)[]): T => {
    if (r.ok) scheduleChanged(events, ...dates.filter((d): d is string => Boolean(d)));
    return r;
  };

  const transition = async (ctx: SessionContext, appointmentId: string, to: AppointmentStatus, extra: Record<string, string> = {}): Promise<Result<Appointment>> => {
    const r = await ctx.clinic.write(async (m): Promise<Result<Appointment>> => {
      const appt = await findAppointment(m.tx, appointmentId);
      if (!appt) return fail('not-found', 'No such appointment.');
      if (!nextStatuses[appt.status].includes(to)) {
        return fail('invalid-transition', `This appointment is ${statusWords[appt.status]}; it cannot be ${statusWords[to]} now.`);
      }
      const now = new Date().toISOString();
      const column = to in flowColumn ? flowColumn[to as keyof typeof flowColumn] : null;
      await m.update('appointments', appt.id, { status: to, updated_at: now, ...(column ? { [column]: now } : {}), ...extra });
      m.audit(auditOf(ctx, to === 'scheduled' ? 'appointments.undoNoShow' : `appointments.${to}`, appt.patientId));
      const updated = await findAppointment(m.tx, appt.id);
      return updated ? ok(updated) : fail('not-found', 'No such appointment.');
    });
    return announce(r, r.ok ? r.value.start : undefined);
  };

  return {
    'schedule.providers': async (_input, ctx) => ok(await ctx.clinic.db.read(activeProviders)),
    'schedule.candidates': async (_input, ctx) => ok(await ctx.clinic.db.read(providerCandidates)),
    'schedule.setProvider': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const candidate = (await providerCandidates(m.tx)).find((p) => p.userId === input.userId);
        if (!candidate) return fail('not-a-provider', 'Only physicians and nurses can take appointments.');
        await m.upsert('providers', input.userId, { active: input.active ? 1 : 0 });
        m.audit(auditOf(ctx, 'schedule.setProvider', null, `user=${input.userId} active=${input.active}`));
        const updated = (await providerCandidates(m.tx)).find((p) => p.userId === input.userId);
        return updated ? ok(updated) : fail('not-a-provider', 'Only physicians and nurses can take appointments.');
      }),
    'schedule.hours': async (_input, ctx) => ok(await ctx.clinic.db.read(clinicHours)),
    'schedule.setHours': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        await m.upsert('settings', 'clinic-hours', { value: JSON.stringify(input.hours) });
        m.audit(auditOf(ctx, 'schedule.setHours', null));
        return ok(input.hours);
      }),
    'schedule.types': async (_input, ctx) => ok(await ctx.clinic.db.read(listTypes)),
    'schedule.saveType': async (input, ctx) =>
      ctx.clinic.write(async (m) => {
        const id = input.id ?? uuidv7();
        const values = { name: input.type.name, duration_minutes: input.type.durationMinutes, mode: input.type.mode, active: input.type.active ? 1 : 0 };
        if (input.id) {
          if (!(await findType(m.tx, input.id))) return fail('not-found', 'No such appointment type.');
          await m.update('appointment_types', id, values);
        } else await m.insert('appointment_types', id, values);
        m.audit(auditOf(ctx, 'schedule.saveType', null, `type=${input.type.name}`));
        const saved = await findType(m.tx, id);
        return saved ? ok(saved) : fail('not-found', 'No such appointment type.');
      }),

    'appointments.list': async (input, ctx) => {
      const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
      if (days < 0 || days > 31) return fail('invalid-input', 'A schedule view spans at most 31 days.');
      const list = await ctx.clinic.db.read((tx) => listAppointments(tx, input));
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'appointments.list', null, `from=${input.from} to=${input.to} results=${list.length}`)));
      return ok(list);
    },
    'appointments.book': async (input, ctx) => announce(await ctx.clinic.write(async (m): Promise<Result<BookingOutcome>> => {
        const patient = await m.tx.get('SELECT 1 AS x FROM patients WHERE id = ?', [input.patientId]);
        if (!patient) return fail('patient-not-found', 'No patient with that id.');
        if (!(await activeProviders(m.tx)).some((p) => p.userId === input.providerId)) {
          return fail('not-a-provider', 'That person does not take appointments.');
        }
        const type = await findType(m.tx, input.typeId);
        if (!type?.active) return fail('not-found', 'No such appointment type.');
        const durationMinutes = input.durationMinutes ?? type.durationMinutes;
        if (!endsSameDay(input.start, durationMinutes)) return invalidInput([{ path: ['durationMinutes'], message: 'is too long: the appointment must end on the day it starts' }]);
        const warnings = await warningsFor(m, { providerId: input.providerId, start: input.start, durationMinutes });
        if (warnings.length > 0 && !input.confirmWarnings) {
          m.audit(auditOf(ctx, 'appointments.book-warning', input.patientId, warnings.map((w) => w.kind).join(',')));
          return ok({ status: 'needs-confirmation' as const, warnings });
        }
        const id = uuidv7();
        const now = new Date().toISOString();
        await m.insert('appointments', id, {
          patient_id: input.patientId, provider_id: input.providerId, type_id: input.typeId, start: input.start,
          duration_minutes: durationMinutes, reason: input.reason, status: 'scheduled', created_at: now, updated_at: now,
        });
        m.audit(auditOf(ctx, 'appointments.book', input.patientId, warnings.length ? `booked despite ${warnings.map((w) => w.kind).join(',')}` : null));
        const appointment = await findAppointment(m.tx, id);
        if (!appointment) throw new Error('booked appointment missing');
        return ok({ status: 'booked' as const, appointment });
      }), input.start),
    'appointments.move': async (input, ctx) => {
      let previous: string | undefined;
      const r = await ctx.clinic.write(async (m): Promise<Result<BookingOutcome>> => {
        const appt = await findAppointment(m.tx, input.appointmentId);
        previous = appt?.start;
        if (!appt) return fail('not-found', 'No such appointment.');
        if (appt.status !== 'scheduled') return fail('invalid-transition', `This appointment is ${statusWords[appt.status]}; only scheduled appointments can be moved.`);
        const providerId = input.providerId ?? appt.providerId;
        if (!(await activeProviders(m.tx)).some((p) => p.userId === providerId)) return fail('not-a-provider', 'That person does not take appointments.');
        const durationMinutes = input.durationMinutes ?? appt.durationMinutes;
        if (!endsSameDay(input.start, durationMinutes)) return invalidInput([{ path: ['durationMinutes'], message: 'is too long: the appointment must end on the day it starts' }]);
        const warnings = await warningsFor(m, { providerId, start: input.start, durationMinutes, excludeId: appt.id });
        if (warnings.length > 0 && !input.confirmWarnings) return ok({ status: 'needs-confirmation' as const, warnings });
        await m.update('appointments', appt.id, { start: input.start, provider_id: providerId, duration_minutes: durationMinutes, updated_at: new Date().toISOString() });
        m.audit(auditOf(ctx, 'appointments.move', appt.patientId, `from=${appt.start} to=${input.start}`));
        const moved = await findAppointment(m.tx, appt.id);
        if (!moved) throw new Error('moved appointment missing');
        return ok({ status: 'booked' as const, appointment: moved });
      });
      return announce(r, previous, input.start);
    },
    'appointments.cancel': async (input, ctx) => transition(ctx, input.appointmentId, 'cancelled', { cancel_reason: input.reason }),
    'appointments.noShow': async (input, ctx) => transition(ctx, input.appointmentId, 'no-show'),
    'appointments.undoNoShow': async (input, ctx) => transition(ctx, input.appointmentId, 'scheduled'),
    'appointments.checkIn': async (input, ctx) => transition(ctx, input.appointmentId, 'checked-in'),
    'appointments.room': async (input, ctx) => transition(ctx, input.appointmentId, 'roomed'),
    'appointments.startVisit': async (input, ctx) => transition(ctx, input.appointmentId, 'with-provider'),
    'appointments.checkOut': async (input, ctx) => transition(ctx, input.appointmentId, 'checked-out'),
  };
}
