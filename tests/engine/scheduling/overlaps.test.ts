// The overlap sweep agrees with the obvious pairwise check on many random days.
import { expect, it } from 'vitest';
import { type AppointmentRow, withOverlaps } from '../../../electron/engine/scheduling/scheduling-repository';

function row(id: number, provider: string, minute: number, duration: number, status = 'scheduled'): AppointmentRow {
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    id: `a${id}`, patient_id: 'p', family_name: 'F', given_names: 'G', mrn: '1000017', provider_id: provider, provider_name: provider,
    type_id: 't', type_name: 'T', mode: 'in-person', start: `2030-06-03T${hh}:${mm}`, duration_minutes: duration, reason: '', status,
    cancel_reason: '', checked_in_at: null, roomed_at: null, with_provider_at: null, checked_out_at: null, date_of_birth: '1980-01-01', note_signed_at: null,
  };
}

it('flags exactly the live appointments that overlap another of the same provider', () => {
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let round = 0; round < 500; round++) {
    const rows = Array.from({ length: 1 + rand(12) }, (_, i) =>
      row(i, `dr${rand(3)}`, 8 * 60 + rand(8) * 15, 5 + rand(6) * 10, rand(6) === 0 ? 'cancelled' : 'scheduled'));
    const live = (r: AppointmentRow) => r.status !== 'cancelled';
    const m = (r: AppointmentRow) => Number(r.start.slice(11, 13)) * 60 + Number(r.start.slice(14, 16));
    const expected = rows.map((r) => live(r) && rows.some((o) => o.id !== r.id && live(o) && o.provider_id === r.provider_id
      && m(r) < m(o) + o.duration_minutes && m(o) < m(r) + r.duration_minutes));
    expect(withOverlaps(rows).map((a) => a.overlaps), JSON.stringify(rows.map((r) => [r.provider_id, r.start.slice(11), r.duration_minutes, r.status]))).toEqual(expected);
  }
});
