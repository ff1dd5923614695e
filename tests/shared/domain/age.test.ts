// Ages as a clinic says them: an 11-day-old is "11 days", not "0 years"; weeks, then months
// below two years; calendar arithmetic, so leap days and month ends hold.
import { expect, it } from 'vitest';
import { ageText } from '../../../shared/domain/patient';

it('says days, weeks, months and years by age', () => {
  const cases: [dob: string, today: string, age: string][] = [
    ['2026-12-02', '2026-12-02', '0 days'],
    ['2026-12-01', '2026-12-02', '1 day'],
    ['2026-11-21', '2026-12-02', '11 days'],
    ['2026-11-04', '2026-12-02', '4 weeks'],
    ['2026-10-14', '2026-12-02', '7 weeks'],
    ['2026-09-02', '2026-12-02', '3 months'],
    ['2025-10-01', '2026-12-02', '14 months'],
    ['2024-12-03', '2026-12-02', '23 months'],
    ['2024-12-02', '2026-12-02', '2 years'],
    ['2024-02-29', '2026-02-28', '23 months'],
    ['2024-02-29', '2026-03-01', '2 years'],
    ['1984-06-02', '2026-12-02', '42 years'],
    ['1984-12-03', '2026-12-02', '41 years'],
  ];
  expect(cases.map(([dob, today]) => ageText(dob, today))).toEqual(cases.map((c) => c[2]));
});
