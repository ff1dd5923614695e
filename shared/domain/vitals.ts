// Vital signs: entry in the units a clinic uses, storage in SI, plausibility ranges that refuse
// typos (a weight of 7000 kg), and BMI.
import { z } from 'zod';

export const plausible = {
  systolic: { min: 50, max: 260, unit: 'mmHg' },
  diastolic: { min: 20, max: 160, unit: 'mmHg' },
  heartRate: { min: 20, max: 250, unit: '/min' },
  respiratoryRate: { min: 4, max: 70, unit: '/min' },
  temperatureC: { min: 30, max: 45, unit: '°C' },
  spo2: { min: 50, max: 100, unit: '%' },
  heightCm: { min: 30, max: 250, unit: 'cm' },
  weightKg: { min: 0.5, max: 350, unit: 'kg' },
} as const;
export type VitalKey = keyof typeof plausible;

export const toCelsius = (f: number): number => ((f - 32) * 5) / 9;
export const toFahrenheit = (c: number): number => (c * 9) / 5 + 32;
export const lbToKg = (lb: number): number => lb * 0.45359237;
export const kgToLb = (kg: number): number => kg / 0.45359237;
export const inToCm = (inches: number): number => inches * 2.54;
export const cmToIn = (cm: number): number => cm / 2.54;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

export function bmi(weightKg: number | null, heightCm: number | null): number | null {
  if (!weightKg || !heightCm) return null;
  return round(weightKg / (heightCm / 100) ** 2, 1);
}

const measured = (key: VitalKey) =>
  z.number().finite().min(plausible[key].min, `is below the plausible range (${plausible[key].min}–${plausible[key].max} ${plausible[key].unit})`)
    .max(plausible[key].max, `is above the plausible range (${plausible[key].min}–${plausible[key].max} ${plausible[key].unit})`);

/** What the nurse types: each value optional, temperature, weight and height in either unit. */
export const VitalsEntry = z
  .strictObject({
    takenAt: z.iso.datetime({ offset: true }).optional(),
    systolic: z.number().finite().nullable().default(null),
    diastolic: z.number().finite().nullable().default(null),
    heartRate: z.number().finite().nullable().default(null),
    respiratoryRate: z.number().finite().nullable().default(null),
    temperature: z.object({ value: z.number().finite(), unit: z.enum(['C', 'F']) }).nullable().default(null),
    spo2: z.number().finite().nullable().default(null),
    height: z.object({ value: z.number().finite(), unit: z.enum(['cm', 'in']) }).nullable().default(null),
    weight: z.object({ value: z.number().finite(), unit: z.enum(['kg', 'lb']) }).nullable().default(null),
  })
  .transform((v) => ({
    takenAt: v.takenAt ?? null,
    systolic: v.systolic,
    diastolic: v.diastolic,
    heartRate: v.heartRate,
    respiratoryRate: v.respiratoryRate,
    temperatureC: v.temperature === null ? null : round(v.temperature.unit === 'F' ? toCelsius(v.temperature.value) : v.temperature.value, 2),
    spo2: v.spo2,
    heightCm: v.height === null ? null : round(v.height.unit === 'in' ? inToCm(v.height.value) : v.height.value, 1),
    weightKg: v.weight === null ? null : round(v.weight.unit === 'lb' ? lbToKg(v.weight.value) : v.weight.value, 2),
  }))
  .pipe(
    z
      .object({
        takenAt: z.string().nullable(),
        systolic: measured('systolic').nullable(),
        diastolic: measured('diastolic').nullable(),
        heartRate: measured('heartRate').nullable(),
        respiratoryRate: measured('respiratoryRate').nullable(),
        temperatureC: measured('temperatureC').nullable(),
        spo2: measured('spo2').nullable(),
        heightCm: measured('heightCm').nullable(),
        weightKg: measured('weightKg').nullable(),
      })
      .refine((v) => (v.systolic === null) === (v.diastolic === null), { message: 'enter both systolic and diastolic pressure', path: ['diastolic'] })
      .refine((v) => v.systolic === null || v.diastolic === null || v.systolic > v.diastolic, { message: 'must be below the systolic pressure', path: ['diastolic'] })
      .refine((v) => Object.entries(v).some(([k, x]) => k !== 'takenAt' && x !== null), { message: 'enter at least one measurement', path: ['systolic'] }),
  );
export type VitalsEntry = z.input<typeof VitalsEntry>;
export type VitalsValues = z.output<typeof VitalsEntry>;
