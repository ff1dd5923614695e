// Scheduling rows: appointments with the names a schedule shows, providers, types, hours,
// and the checks a booking must pass (overlap, clinic hours).
import { type Appointment, type AppointmentType, type ClinicHours, defaultClinicHours, minutesOfDay, type Provider } from '../../../shared/domain/scheduling';
import type { Role } from '../../../shared/domain/roles';
import type { ReadTx } from '../db/connection';

export interface AppointmentRow {
  id: string;
  patient_id: string;
  family_name: string;
  given_names: string;
  mrn: string;
  provider_id: string;
  provider_name: string;
  type_id: string;
  type_name: string;
  mode: string;
  start: string;
  duration_minutes: number;
  reason: string;
  status: string;
  cancel_reason: string;
  checked_in_at: string | null;
  roomed_at: string | null;
  with_provider_at: string | null;
  checked_out_at: string | null;
  date_of_birth: string;
  note_signed_at: string | null;
}

const selectAppointments = `
  SELECT a.id, a.patient_id, p.family_name, p.given_names, p.mrn, p.date_of_birth, a.provider_id, u.display_name AS provider_name,
         a.type_id, t.name AS type_name, t.mode, a.start, a.duration_minutes, a.reason, a.status, a.cancel_reason,
         a.checked_in_at, a.roomed_at, a.with_provider_at, a.checked_out_at,
         (SELECT n.signed_at FROM encounters e JOIN notes n ON n.encounter_id = e.id WHERE e.appointment_id = a.id ORDER BY n.signed_at DESC LIMIT 1) AS note_signed_at
    FROM appointments a
    JOIN patients p ON p.id = a.patient_id
    JOIN users u ON u.id = a.provider_id
    JOIN appointment_types t ON t.id = a.type_id`;

const live = (status: string) => status !== 'cancelled' && status !== 'no-show';

function toAppointment(r: AppointmentRow, overlaps: boolean): Appointment {
  return {
    id: r.id as Appointment['id'], patientId: r.patient_id as Appointment['patientId'], patientName: `${r.family_name}, ${r.given_names}`,
    patientMrn: r.mrn, patientDateOfBirth: r.date_of_birth, providerId: r.provider_id as Appointment['providerId'], providerName: r.provider_name,
    typeId: r.type_id as Appointment['typeId'], typeName: r.type_name, mode: r.mode as Appointment['mode'], start: r.start,
    durationMinutes: r.duration_minutes, reason: r.reason, status: r.status as Appointment['status'], cancelReason: r.cancel_reason,
    checkedInAt: r.checked_in_at, roomedAt: r.roomed_at, withProviderAt: r.with_provider_at, checkedOutAt: r.checked_out_at,
    noteSignedAt: r.note_signed_at, overlaps,
  };
}

function intersects(a: { start: string; duration_minutes: number }, b: { start: string; duration_minutes: number }): boolean {
  if (a.start.slice(0, 10) !== b.start.slice(0, 10)) return false;
  const a0 = minutesOfDay(a.start);
  const b0 = minutesOfDay(b.start);
  return a0 < b0 + b.duration_minutes && b0 < a0 + a.duration_minutes;
}

/**
 * Marks each live appointment that shares its provider's time with another live one: one sweep
 * per provider and day in start order, remembering the appointment that ends last so far.
 */
export function withOverlaps(rows: AppointmentRow[]): Appointment[] {
  const flagged = new Set<string>();
  const groups = new Map<string, AppointmentRow[]>();
  for (const r of rows) {
    if (!live(r.status)) continue;
    const key = `${r.provider_id}|${r.start.slice(0, 10)}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  for (const g of groups.values()) {
    g.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let lastEnd = -1;
    let lastId = '';
    for (const r of g) {
      const start = minutesOfDay(r.start);
      if (start < lastEnd) {
        flagged.add(r.id);
        flagged.add(lastId);
      }
      if (start + r.duration_minutes > lastEnd) {
        lastEnd = start + r.duration_minutes;
        lastId = r.id;
      }
    }
  }
  return rows.map((r) => toAppointment(r, flagged.has(r.id)));
}

export function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export async function listAppointments(tx: ReadTx, q: { from: string; to: string; providerId?: string; patientId?: string }): Promise<Appointment[]> {
  const where = ['a.start >= ?', 'a.start < ?'];
  const params = [q.from, nextDay(q.to)];
  if (q.providerId) { where.push('a.provider_id = ?'); params.push(q.providerId); }
  if (q.patientId) { where.push('a.patient_id = ?'); params.push(q.patientId); }
  const rows = await tx.all<AppointmentRow>(`${selectAppointments} WHERE ${where.join(' AND ')} ORDER BY a.start, u.display_name`, params);
  // Overlaps are judged against every appointment of those providers that day, not only the filtered ones.
  if (!q.patientId) return withOverlaps(rows);
  const flagged = new Map<string, boolean>();
  for (const key of new Set(rows.map((r) => `${r.provider_id}|${r.start.slice(0, 10)}`))) {
    const [providerId, day] = key.split('|') as [string, string];
    for (const a of await listAppointments(tx, { from: day, to: day, providerId })) flagged.set(a.id, a.overlaps);
  }
  return rows.map((r) => toAppointment(r, flagged.get(r.id) ?? false));
}

export async function findAppointment(tx: ReadTx, id: string): Promise<Appointment | undefined> {
  const row = await tx.get<AppointmentRow>(`${selectAppointments} WHERE a.id = ?`, [id]);
  if (!row) return undefined;
  const day = row.start.slice(0, 10);
  return (await listAppointments(tx, { from: day, to: day, providerId: row.provider_id })).find((a) => a.id === id);
}

/** Live appointments of a provider that a proposed slot would overlap. */
export async function overlapping(tx: ReadTx, slot: { providerId: string; start: string; durationMinutes: number; excludeId?: string }): Promise<Appointment[]> {
  const day = slot.start.slice(0, 10);
  const sameDay = await listAppointments(tx, { from: day, to: day, providerId: slot.providerId });
  return sameDay.filter((a) => a.id !== slot.excludeId && live(a.status) && intersects({ start: a.start, duration_minutes: a.durationMinutes }, { start: slot.start, duration_minutes: slot.durationMinutes }));
}

export async function clinicHours(tx: ReadTx): Promise<ClinicHours> {
  const row = await tx.get<{ value: string }>("SELECT value FROM settings WHERE id = 'clinic-hours'");
  return row ? (JSON.parse(row.value) as ClinicHours) : defaultClinicHours;
}

/** A human sentence when the slot falls outside clinic hours, else null. */
export function outsideHours(hours: ClinicHours, start: string, durationMinutes: number): string | null {
  const weekday = new Date(`${start.slice(0, 10)}T00:00:00Z`).getUTCDay();
  const day = hours[weekday];
  const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  if (!day || !day.open) return `The clinic is closed on ${names[weekday]}s.`;
  const begin = minutesOfDay(start);
  if (begin < minutesOfDay(`0000-00-00T${day.opens}`) || begin + durationMinutes > minutesOfDay(`0000-00-00T${day.closes}`)) {
    return `Outside clinic hours (${names[weekday]} ${day.opens}–${day.closes}).`;
  }
  return null;
}

interface TypeRow { id: string; name: string; duration_minutes: number; mode: string; active: number }
const toType = (r: TypeRow): AppointmentType => ({
  id: r.id as AppointmentType['id'], name: r.name, durationMinutes: r.duration_minutes, mode: r.mode as AppointmentType['mode'], active: r.active === 1,
});

export async function listTypes(tx: ReadTx): Promise<AppointmentType[]> {
  return (await tx.all<TypeRow>('SELECT * FROM appointment_types ORDER BY active DESC, name')).map(toType);
}

export async function findType(tx: ReadTx, id: string): Promise<AppointmentType | undefined> {
  const r = await tx.get<TypeRow>('SELECT * FROM appointment_types WHERE id = ?', [id]);
  return r ? toType(r) : undefined;
}

interface ProviderRow { id: string; display_name: string; roles: string; disabled: number; active: number | null }

/** Users who may see patients (physicians and nurses), with whether they take appointments. */
export async function providerCandidates(tx: ReadTx): Promise<Provider[]> {
  const rows = await tx.all<ProviderRow>(
    `SELECT u.id, u.display_name, u.roles, u.disabled, p.active FROM users u LEFT JOIN providers p ON p.id = u.id ORDER BY u.display_name COLLATE NOCASE`,
  );
  return rows
    .filter((r) => (JSON.parse(r.roles) as Role[]).some((x) => x === 'physician' || x === 'nurse'))
    .map((r) => ({ userId: r.id as Provider['userId'], displayName: r.display_name, roles: JSON.parse(r.roles) as string[], active: r.active === 1 && r.disabled === 0 }));
}

export async function activeProviders(tx: ReadTx): Promise<Provider[]> {
  return (await providerCandidates(tx)).filter((p) => p.active);
}
