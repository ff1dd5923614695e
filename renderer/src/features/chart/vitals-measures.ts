// The vital signs as the chart shows them: each measure with its label, unit (in the units
// chosen) and value of a recorded set, for the latest of each and for one plot per measure.
import type { Vitals } from '../../../../shared/domain/chart';
import { cmToIn, kgToLb, toFahrenheit } from '../../../../shared/domain/vitals';

export type Units = 'us' | 'metric';
const r1 = (n: number) => Math.round(n * 10) / 10;

export interface Measure {
  readonly key: string;
  readonly title: string;
  unit(units: Units): string;
  /** The values plotted (blood pressure has two), or null where this set has none. */
  values(v: Vitals, units: Units): readonly number[] | null;
  /** The value as text, "141/90". */
  text(values: readonly number[]): string;
  /** Names of the plotted lines. */
  readonly lines: readonly string[];
}

const single = (key: string, title: string, unit: (u: Units) => string, get: (v: Vitals, u: Units) => number | null): Measure => ({
  key, title, unit, lines: [title],
  values: (v, u) => { const x = get(v, u); return x === null ? null : [x]; },
  text: ([x]) => String(x),
});

export const measures: readonly Measure[] = [
  {
    key: 'bp', title: 'Blood pressure', unit: () => 'mmHg', lines: ['Systolic', 'Diastolic'],
    values: (v) => (v.systolic !== null && v.diastolic !== null ? [v.systolic, v.diastolic] : null),
    text: ([s, d]) => `${s}/${d}`,
  },
  single('heartRate', 'Heart rate', () => '/min', (v) => v.heartRate),
  single('respiratoryRate', 'Respiratory rate', () => '/min', (v) => v.respiratoryRate),
  single('temperature', 'Temperature', (u) => (u === 'us' ? '°F' : '°C'), (v, u) => (v.temperatureC === null ? null : r1(u === 'us' ? toFahrenheit(v.temperatureC) : v.temperatureC))),
  single('spo2', 'SpO₂', () => '%', (v) => v.spo2),
  single('weight', 'Weight', (u) => (u === 'us' ? 'lb' : 'kg'), (v, u) => (v.weightKg === null ? null : r1(u === 'us' ? kgToLb(v.weightKg) : v.weightKg))),
  single('height', 'Height', (u) => (u === 'us' ? 'in' : 'cm'), (v, u) => (v.heightCm === null ? null : r1(u === 'us' ? cmToIn(v.heightCm) : v.heightCm))),
  single('bmi', 'BMI', () => 'kg/m²', (v) => v.bmi),
];

/** The latest value of each measure, from whichever set last recorded it (sets in time order). */
export function latestOfEach(vitals: readonly Vitals[], units: Units): { measure: Measure; values: readonly number[]; takenAt: string }[] {
  const valid = vitals.filter((v) => !v.enteredInError);
  return measures.flatMap((measure) => {
    for (let i = valid.length - 1; i >= 0; i--) {
      const v = valid[i];
      const values = v ? measure.values(v, units) : null;
      if (v && values) return [{ measure, values, takenAt: v.takenAt }];
    }
    return [];
  });
}
