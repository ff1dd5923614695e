// Clinic-day reads: opening a chart with 200 encounters (signed notes) and 2,000 observations
// (1,000 vitals sets, 1,000 lab results), and the day view of a clinic with 10 providers over a
// year of appointments; each on SQLCipher and plain SQLite side by side, through the engine's
// own queries, with the data written through the mutation path.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { chartSummary, findEncounter } from '../../electron/engine/charting/chart-repository';
import { insertPatients } from '../../electron/engine/patients/patient-repository';
import { syntheticPatients } from '../../electron/engine/patients/synthetic';
import { listAppointments } from '../../electron/engine/scheduling/scheduling-repository';
import { mutate, type RowValues } from '../../electron/engine/db/mutation';
import { benchNode, openPair, percentile, printTable, sideBySide, type Store } from './stats';

const PROVIDERS = 10;
const PER_DAY = 20;
const DAYS = 250;
const ENCOUNTERS = 200;
const VITALS = 1000;
const LABS = 1000;

function isoDay(offset: number): string {
  const d = new Date(Date.UTC(2026, 0, 5));
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

export async function loadClinicDay(s: Store): Promise<{ chartPatient: string; encounterIds: string[]; busiestDay: string }> {
  const now = new Date().toISOString();
  const providers = Array.from({ length: PROVIDERS }, () => uuidv7());
  const typeId = uuidv7();
  let patientIds: string[] = [];
  await mutate(s.db, s.clock, benchNode, async (m) => {
    await m.insertMany('users', providers.map((id, i) => ({ id, values: { username: `dr${i}`, display_name: `Dr ${i}`, roles: '["physician"]', disabled: 0, created_at: now } })));
    await m.insertMany('providers', providers.map((id) => ({ id, values: { active: 1 } })));
    await m.insert('appointment_types', typeId, { name: 'Follow-up', duration_minutes: 20, mode: 'in-person', active: 1 });
    patientIds = await insertPatients(m, syntheticPatients(5000, 99), uuidv7, now);
  });
  // A year of appointments: 10 providers × 20 a day × 250 days = 50,000.
  for (let day = 0; day < DAYS; day += 10) {
    await mutate(s.db, s.clock, benchNode, async (m) => {
      const rows: { id: string; values: RowValues<'appointments'> }[] = [];
      for (let d = day; d < Math.min(day + 10, DAYS); d++) {
        for (const [pi, provider] of providers.entries()) {
          for (let k = 0; k < PER_DAY; k++) {
            const minute = 8 * 60 + k * 25;
            rows.push({
              id: uuidv7(),
              values: {
                patient_id: patientIds[(d * 997 + pi * 31 + k) % patientIds.length] as string, provider_id: provider, type_id: typeId,
                start: `${isoDay(d)}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
                duration_minutes: 20, reason: 'Follow-up', status: 'scheduled', cancel_reason: '', created_at: now, updated_at: now,
              },
            });
          }
        }
      }
      await m.insertMany('appointments', rows);
    });
  }
  // One patient with a long history.
  const chartPatient = patientIds[0] as string;
  const encounterIds = Array.from({ length: ENCOUNTERS }, () => uuidv7());
  await mutate(s.db, s.clock, benchNode, async (m) => {
    await m.insertMany('encounters', encounterIds.map((id, i) => ({
      id, values: { patient_id: chartPatient, appointment_id: null, provider_id: providers[i % PROVIDERS] as string, kind: 'walk-in', started_at: `${isoDay(i)}T10:00:00.000Z` },
    })));
    await m.insertMany('notes', encounterIds.map((encounterId, i) => ({
      id: uuidv7(),
      values: {
        encounter_id: encounterId, author_id: providers[i % PROVIDERS] as string, subjective: 'Follow-up of chronic conditions. '.repeat(8),
        objective: 'BP and weight reviewed. '.repeat(8), assessment: `Visit ${i}: hypertension, type 2 diabetes, stable`, plan: 'Continue. '.repeat(10),
        status: 'signed', signed_by: providers[i % PROVIDERS] as string, signed_at: now, updated_at: now,
      },
    })));
    await m.insertMany('vitals', Array.from({ length: VITALS }, (_, i) => ({
      id: uuidv7(),
      values: {
        patient_id: chartPatient, encounter_id: null, taken_at: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString(),
        systolic: 120 + (i % 25), diastolic: 75 + (i % 15), heart_rate: 60 + (i % 30), respiratory_rate: 14, temperature_c: 36.8,
        spo2: 97, height_cm: 172, weight_kg: 80 + (i % 10) / 2, recorded_by: providers[0] as string,
      },
    })));
    await m.insertMany('lab_results', Array.from({ length: LABS }, (_, i) => ({
      id: uuidv7(),
      values: {
        patient_id: chartPatient, test: ['HbA1c', 'Potassium', 'Creatinine', 'LDL'][i % 4] as string, loinc: '4548-4', value: 5 + (i % 20) / 10,
        unit: '%', ref_low: 4, ref_high: 5.6, collected_on: isoDay(i % 365), recorded_by: providers[0] as string,
      },
    })));
    for (let i = 0; i < 20; i++) {
      await m.insert('problems', uuidv7(), { patient_id: chartPatient, description: `Problem ${i}`, icd10: 'I10', onset: '', status: i % 3 ? 'active' : 'resolved', recorded_by: providers[0] as string, recorded_at: now });
      await m.insert('medications', uuidv7(), { patient_id: chartPatient, name: `Medication ${i}`, dose: '10 mg', route: 'oral', frequency: 'daily', rxnorm: '', start: '2020-01-01', stop: '', recorded_by: providers[0] as string, recorded_at: now });
    }
  });
  return { chartPatient, encounterIds, busiestDay: isoDay(100) };
}

export async function benchClinicDay(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-bench-day-'));
  try {
    const stores = await openPair(dir, 'clinic-day');
    console.log(`Loading: ${PROVIDERS} providers, ${PROVIDERS * PER_DAY * DAYS} appointments, a chart with ${ENCOUNTERS} encounters and ${VITALS + LABS} observations…`);
    const fixtures = [await loadClinicDay(stores[0]), await loadClinicDay(stores[1])];
    const today = '2026-11-29';
    const [summaryC, summaryP] = await sideBySide(stores, 100, 10, (s, _i) => s.db.read((tx) => chartSummary(tx, fixtures[s.name === 'sqlcipher' ? 0 : 1]!.chartPatient, today, null)));
    const check = await stores[0].db.read((tx) => chartSummary(tx, fixtures[0]!.chartPatient, today, null));
    if (check.encounters.length !== ENCOUNTERS || check.vitals.length !== VITALS || check.labs.length !== LABS) throw new Error('chart fixture is incomplete');
    const [encC, encP] = await sideBySide(stores, 100, 10, (s, i) => s.db.read((tx) => findEncounter(tx, fixtures[s.name === 'sqlcipher' ? 0 : 1]!.encounterIds[i % ENCOUNTERS] as string)));
    const [dayC, dayP] = await sideBySide(stores, 100, 10, (s, i) => s.db.read((tx) => listAppointments(tx, { from: isoDay(i % DAYS), to: isoDay(i % DAYS) })));
    const day = await stores[0].db.read((tx) => listAppointments(tx, { from: fixtures[0]!.busiestDay, to: fixtures[0]!.busiestDay }));
    if (day.length !== PROVIDERS * PER_DAY) throw new Error(`day view returned ${day.length}`);
    const [weekC, weekP] = await sideBySide(stores, 50, 5, (s, i) => s.db.read((tx) => listAppointments(tx, { from: isoDay(i % 200), to: isoDay((i % 200) + 6), providerId: undefined })));
    printTable(`Clinic day (${PROVIDERS} providers, ${PROVIDERS * PER_DAY} appointments a day; chart of ${ENCOUNTERS} encounters, ${VITALS + LABS} observations)`, [
      ['open chart (summary) p50 (ms)', percentile(summaryC, 50), percentile(summaryP, 50)],
      ['open chart (summary) p95 (ms)', percentile(summaryC, 95), percentile(summaryP, 95)],
      ['open an encounter p50 (ms)', percentile(encC, 50), percentile(encP, 50)],
      ['open an encounter p95 (ms)', percentile(encC, 95), percentile(encP, 95)],
      ['clinic day view, 10 providers, p50 (ms)', percentile(dayC, 50), percentile(dayP, 50)],
      ['clinic day view, 10 providers, p95 (ms)', percentile(dayC, 95), percentile(dayP, 95)],
      ['clinic week view, 1,400 appointments, p50 (ms)', percentile(weekC, 50), percentile(weekP, 50)],
      ['clinic week view, 1,400 appointments, p95 (ms)', percentile(weekC, 95), percentile(weekP, 95)],
    ]);
    for (const s of stores) await s.db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
