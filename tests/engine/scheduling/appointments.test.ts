// Booking, moving, cancelling and the day's flow, as the front desk and clinicians use them.
import { afterEach, describe, expect, it } from 'vitest';
import { patient, setUpClinic, value } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

// 2030-06-03 is a Monday; 2030-06-08 a Saturday.
async function clinic() {
  const c = await setUpClinic({ roles: ['admin', 'physician', 'nurse', 'front-desk'] });
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  if (reg.status !== 'created') throw new Error('setup');
  const doc = value(await c.api.call('users.create', { username: 'drlee', displayName: 'Dr Lee', roles: ['physician'], password: 'doctor-passphrase-1' }));
  const types = value(await c.api.call('schedule.types', {}));
  const followUp = types.find((t) => t.name === 'Follow-up')!;
  return { ...c, patientId: reg.patient.id, providerId: doc.id, typeId: followUp.id };
}

describe('booking', () => {
  it('books into a free slot with the type’s default duration', async () => {
    const c = await clinic();
    const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00', reason: 'BP check' }));
    expect(r.status).toBe('booked');
    if (r.status !== 'booked') return;
    expect(r.appointment).toMatchObject({ durationMinutes: 20, status: 'scheduled', providerName: 'Dr Lee', patientName: 'Okafor, Chidinma Grace', overlaps: false, mode: 'in-person' });
  });

  it('warns before double-booking a provider, books only when confirmed, and flags both', async () => {
    const c = await clinic();
    value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    const second = { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:10' } as const;
    const warned = value(await c.api.call('appointments.book', second));
    expect(warned.status).toBe('needs-confirmation');
    if (warned.status === 'needs-confirmation') expect(warned.warnings.map((w) => w.kind)).toEqual(['overlap']);
    expect(value(await c.api.call('appointments.list', { from: '2030-06-03', to: '2030-06-03' }))).toHaveLength(1);
    // Back to back is not an overlap.
    const adjacent = value(await c.api.call('appointments.book', { ...second, start: '2030-06-03T09:20' }));
    expect(adjacent.status).toBe('booked');
    const confirmed = value(await c.api.call('appointments.book', { ...second, confirmWarnings: true }));
    expect(confirmed.status).toBe('booked');
    const day = value(await c.api.call('appointments.list', { from: '2030-06-03', to: '2030-06-03', providerId: c.providerId }));
    expect(day.map((a) => [a.start, a.overlaps])).toEqual([['2030-06-03T09:00', true], ['2030-06-03T09:10', true], ['2030-06-03T09:20', true]]);
  });

  it('warns outside clinic hours and on closed days', async () => {
    const c = await clinic();
    for (const start of ['2030-06-03T07:30', '2030-06-03T16:50', '2030-06-08T10:00']) {
      const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start }));
      expect(r.status, start).toBe('needs-confirmation');
      if (r.status === 'needs-confirmation') expect(r.warnings[0]?.kind).toBe('outside-hours');
    }
    value(await c.api.call('schedule.setHours', { hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, open: weekday !== 0, opens: '07:00', closes: '19:00' })) }));
    const saturday = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-08T10:00' }));
    expect(saturday.status).toBe('booked');
  });

  it('refuses nonsense: unknown patient, a non-provider, an appointment past midnight, a bad date', async () => {
    const c = await clinic();
    const base = { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' };
    const me = value(await c.api.call('session.current', {}))!;
    const fd = value(await c.api.call('users.create', { username: 'desk', displayName: 'Desk', roles: ['front-desk'], password: 'front-desk-passphrase' }));
    expect(me.user.id).toBeTruthy();
    const notProvider = await c.api.call('appointments.book', { ...base, providerId: fd.id });
    expect(!notProvider.ok && notProvider.error.code).toBe('not-a-provider');
    const late = await c.api.call('appointments.book', { ...base, start: '2030-06-03T23:50', confirmWarnings: true });
    expect(!late.ok && late.error.code).toBe('invalid-input');
    const badDate = await c.api.call('appointments.book', { ...base, start: '2030-02-30T09:00' });
    expect(!badDate.ok && badDate.error.code).toBe('invalid-input');
    const nobody = await c.api.call('appointments.book', { ...base, patientId: '00000000-0000-7000-8000-000000000000' as never });
    expect(!nobody.ok && nobody.error.code).toBe('patient-not-found');
  });
});

describe('changing appointments', () => {
  it('moves, with the same warnings, and cancels with a reason', async () => {
    const c = await clinic();
    const a = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    const b = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T10:00' }));
    if (a.status !== 'booked' || b.status !== 'booked') throw new Error('setup');
    const clash = value(await c.api.call('appointments.move', { appointmentId: b.appointment.id, start: '2030-06-03T09:05' }));
    expect(clash.status).toBe('needs-confirmation');
    const moved = value(await c.api.call('appointments.move', { appointmentId: b.appointment.id, start: '2030-06-04T11:00' }));
    expect(moved.status === 'booked' && moved.appointment.start).toBe('2030-06-04T11:00');
    const cancelled = value(await c.api.call('appointments.cancel', { appointmentId: a.appointment.id, reason: 'Patient is travelling' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Patient is travelling' });
    // A cancelled slot is free again without a warning.
    const rebook = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    expect(rebook.status).toBe('booked');
    const again = await c.api.call('appointments.move', { appointmentId: a.appointment.id, start: '2030-06-05T09:00' });
    expect(!again.ok && again.error.code).toBe('invalid-transition');
  });

  it('walks the day’s flow in order, timestamping each step, and refuses steps out of order', async () => {
    const c = await clinic();
    const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    if (r.status !== 'booked') throw new Error('setup');
    const id = r.appointment.id;
    const early = await c.api.call('appointments.room', { appointmentId: id });
    expect(!early.ok && early.error.code).toBe('invalid-transition');
    expect(value(await c.api.call('appointments.checkIn', { appointmentId: id })).status).toBe('checked-in');
    expect(value(await c.api.call('appointments.room', { appointmentId: id })).status).toBe('roomed');
    expect(value(await c.api.call('appointments.startVisit', { appointmentId: id })).status).toBe('with-provider');
    const out = value(await c.api.call('appointments.checkOut', { appointmentId: id }));
    expect(out.status).toBe('checked-out');
    const stamps = [out.checkedInAt, out.roomedAt, out.withProviderAt, out.checkedOutAt];
    expect(stamps.every((s) => s !== null)).toBe(true);
    expect([...stamps].sort()).toEqual(stamps);
    const cancelLate = await c.api.call('appointments.cancel', { appointmentId: id, reason: 'too late now' });
    expect(!cancelLate.ok && cancelLate.error.code).toBe('invalid-transition');
  });

  it('marks a no-show only for a scheduled appointment', async () => {
    const c = await clinic();
    const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    if (r.status !== 'booked') throw new Error('setup');
    expect(value(await c.api.call('appointments.noShow', { appointmentId: r.appointment.id })).status).toBe('no-show');
    const checkIn = await c.api.call('appointments.checkIn', { appointmentId: r.appointment.id });
    expect(!checkIn.ok && checkIn.error.code).toBe('invalid-transition');
  });

  it('undoes a no-show marked by mistake, back to scheduled and audited, and only a no-show', async () => {
    const c = await clinic();
    const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: c.typeId, start: '2030-06-03T09:00' }));
    if (r.status !== 'booked') throw new Error('setup');
    const early = await c.api.call('appointments.undoNoShow', { appointmentId: r.appointment.id });
    expect(!early.ok && early.error.code).toBe('invalid-transition');
    value(await c.api.call('appointments.noShow', { appointmentId: r.appointment.id }));
    expect(value(await c.api.call('appointments.undoNoShow', { appointmentId: r.appointment.id })).status).toBe('scheduled');
    expect(value(await c.api.call('appointments.checkIn', { appointmentId: r.appointment.id })).status).toBe('checked-in');
    const audit = value(await c.api.call('audit.query', { patientId: c.patientId, limit: 10 }));
    expect(audit.map((e) => e.action)).toContain('appointments.undoNoShow');
  });
});

describe('schedule set-up', () => {
  it('lists a week across providers, and a provider taken off the schedule cannot be booked', async () => {
    const c = await clinic();
    const doc2 = value(await c.api.call('users.create', { username: 'drkim', displayName: 'Dr Kim', roles: ['physician'], password: 'doctor-passphrase-2' }));
    for (const [providerId, start] of [[c.providerId, '2030-06-03T09:00'], [doc2.id, '2030-06-05T14:00'], [c.providerId, '2030-06-10T09:00']] as const) {
      value(await c.api.call('appointments.book', { patientId: c.patientId, providerId, typeId: c.typeId, start }));
    }
    const week = value(await c.api.call('appointments.list', { from: '2030-06-03', to: '2030-06-09' }));
    expect(week.map((a) => `${a.start} ${a.providerName}`)).toEqual(['2030-06-03T09:00 Dr Lee', '2030-06-05T14:00 Dr Kim']);
    const tooLong = await c.api.call('appointments.list', { from: '2030-06-01', to: '2030-08-01' });
    expect(!tooLong.ok && tooLong.error.code).toBe('invalid-input');
    value(await c.api.call('schedule.setProvider', { userId: doc2.id, active: false }));
    expect(value(await c.api.call('schedule.providers', {})).map((p) => p.displayName)).not.toContain('Dr Kim');
    const r = await c.api.call('appointments.book', { patientId: c.patientId, providerId: doc2.id, typeId: c.typeId, start: '2030-06-04T09:00' });
    expect(!r.ok && r.error.code).toBe('not-a-provider');
  });

  it('adds and edits appointment types; video types are marked as such', async () => {
    const c = await clinic();
    const t = value(await c.api.call('schedule.saveType', { type: { name: 'Telehealth check', durationMinutes: 15, mode: 'video', active: true } }));
    const edited = value(await c.api.call('schedule.saveType', { id: t.id, type: { name: 'Telehealth check', durationMinutes: 25, mode: 'video', active: true } }));
    expect(edited).toMatchObject({ durationMinutes: 25, mode: 'video' });
    const r = value(await c.api.call('appointments.book', { patientId: c.patientId, providerId: c.providerId, typeId: t.id, start: '2030-06-03T13:00' }));
    expect(r.status === 'booked' && r.appointment.mode).toBe('video');
  });
});
