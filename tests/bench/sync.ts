// Sync benchmarks, against the tenant service running as its own process (`cloud serve`, SQLite):
//  - throughput: change sets per second pushed through the service, encryption included, side by
//    side with the same envelopes posted already sealed (the service's own share), and pulled,
//    opened and applied on a second workstation;
//  - joining: a new workstation joins a clinic of 20,000 patients with a year of visits, once by
//    replaying the whole history and once from the newest snapshot;
//  - propagation: from a write on one online workstation to the row on another (median of 20).
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { v7 as uuidv7 } from 'uuid';
import { insertPatients } from '../../electron/engine/patients/patient-repository';
import { syntheticPatients } from '../../electron/engine/patients/synthetic';
import { pendingChangeSets } from '../../electron/engine/sync/apply';
import { SyncClient } from '../../electron/engine/sync/client';
import { sealChangeSet } from '../../electron/engine/sync/envelope';
import type { RowValues } from '../../electron/engine/db/mutation';
import type { Engine } from '../../electron/engine/engine';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { adminPassword, joinClinic, setUpClinic, tempDir, value, clinicOf } from '../helpers/engine';
import { percentile } from './stats';
import { CloudSession } from '../../electron/engine/sync/cloud-session';

const JOIN_PATIENTS = Number(process.env.BENCH_JOIN_PATIENTS ?? 20_000);
const THROUGHPUT_SETS = 2000;
const PROVIDERS = 5;
const VISITS_PER_DAY = 16; // per provider
export const DAYS = 250;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function enrolledClinic(cloud: CloudProcess, setupCode: string, opts: { autoSync?: boolean } = {}) {
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  const sync = new SyncClient(a.engine.syncHost, Number.MAX_SAFE_INTEGER);
  value(await sync.enroll(cloud.url, setupCode, 'Front desk'));
  if (opts.autoSync) a.engine.syncService.start();
  return { a, sync };
}

async function throughput(cloud: CloudProcess, cloudDir: string): Promise<void> {
  const { a, sync } = await enrolledClinic(cloud, await createTenantInDir(cloudDir, 'Throughput'));
  // A second workstation, already holding the key, to time the pull on.
  const b = await joinClinic(cloud.url, value(await sync.createEnrollCode()).code, [sync]);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const bSync = new SyncClient(b.engine.syncHost, Number.MAX_SAFE_INTEGER);
  value(await sync.syncOnce());
  value(await bSync.syncOnce());
  // 2,000 change sets, one per registration, as the front desk makes them.
  const people = syntheticPatients(THROUGHPUT_SETS, 7);
  for (const p of people) await clinicOf(a.engine).write(async (m) => { await insertPatients(m, [p], uuidv7, new Date().toISOString()); });
  const pending = await clinicOf(a.engine).db.read((tx) => pendingChangeSets(tx, 10_000));
  // Baseline: the same number of envelopes, sealed beforehand, posted to another tenant of the
  // same service; only transport and storage are timed.
  const other = await enrolledClinic(cloud, await createTenantInDir(cloudDir, 'Baseline'));
  const id = (await other.sync.identity())!;
  const key = (await clinicOf(other.a.engine).db.get<{ kid: string; key: Buffer }>('SELECT kid, key FROM tenant_keys'))!;
  const sealed = pending.map((s) => sealChangeSet(key, { tenantId: id.tenantId, deviceId: id.deviceId, msgId: randomUUID() }, s.rows));
  const token = await new CloudSession(other.a.engine.syncHost).token();
  let t = performance.now();
  for (let i = 0; i < sealed.length; i += 200) {
    const res = await fetch(`${id.cloudUrl}/v1/tenants/${id.tenantId}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ messages: sealed.slice(i, i + 200) }),
    });
    if (!res.ok) throw new Error(`baseline push ${res.status}`);
  }
  const baselineMs = performance.now() - t;

  t = performance.now();
  const pushed = value(await sync.syncOnce());
  const pushMs = performance.now() - t;
  if (pushed.pushed !== pending.length) throw new Error(`pushed ${pushed.pushed} of ${pending.length}`);

  t = performance.now();
  const pulled = value(await bSync.syncOnce());
  const pullMs = performance.now() - t;
  if (pulled.applied !== pushed.pushed) throw new Error(`applied ${pulled.applied} of ${pushed.pushed}`);

  console.log('\n### Sync throughput (one service process, SQLite store, loopback)\n');
  console.log('| measure | change sets | time (s) | change sets / s | ratio to baseline |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| baseline: post pre-sealed envelopes (transport + store only) | ${sealed.length} | ${seconds(baselineMs)} | ${(sealed.length / (baselineMs / 1000)).toFixed(0)} | 1.00 |`);
  console.log(`| push: read outbox, seal (AES-256-GCM), post, mark pushed | ${pushed.pushed} | ${seconds(pushMs)} | ${(pushed.pushed / (pushMs / 1000)).toFixed(0)} | ${(pushMs / baselineMs).toFixed(2)} |`);
  console.log(`| pull on a second workstation: fetch, open, apply field by field | ${pushed.pushed} | ${seconds(pullMs)} | ${(pushed.pushed / (pullMs / 1000)).toFixed(0)} | ${(pullMs / baselineMs).toFixed(2)} |`);
  await b.cleanup();
  await other.a.cleanup();
  await a.cleanup();
}

function isoDay(offset: number): string {
  const d = new Date(Date.UTC(2025, 11, 1));
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

/** A loaded clinic's people, to write more visits for. */
export interface LoadedClinic { readonly patients: number; readonly visits: number; readonly ids: readonly string[]; readonly providers: readonly string[]; readonly typeId: string }

/** 20,000 patients and (by default) a year of visits (appointment, encounter, signed note, vitals), through the mutation path. */
export async function loadClinic(engine: Engine, days = DAYS): Promise<LoadedClinic> {
  const now = new Date().toISOString();
  const providers = Array.from({ length: PROVIDERS }, () => uuidv7());
  const typeId = uuidv7();
  const ids: string[] = [];
  await clinicOf(engine).write(async (m) => {
    await m.insertMany('users', providers.map((id, i) => ({ id, values: { username: `dr${i}`, display_name: `Dr ${i}`, roles: '["physician"]', disabled: 0, created_at: now } })));
    await m.insertMany('providers', providers.map((id) => ({ id, values: { active: 1 } })));
    await m.insert('appointment_types', typeId, { name: 'Follow-up', duration_minutes: 20, mode: 'in-person', active: 1 });
  });
  for (let done = 0; done < JOIN_PATIENTS; done += 1000) {
    await clinicOf(engine).write(async (m) => { ids.push(...(await insertPatients(m, syntheticPatients(Math.min(1000, JOIN_PATIENTS - done), 100 + done), uuidv7, now))); });
  }
  const clinic = { patients: JOIN_PATIENTS, visits: 0, ids, providers, typeId };
  return { ...clinic, visits: await addVisits(engine, clinic, 0, days) };
}

/** Clinic days `from` to `to` (exclusive) of visits, five days to a transaction; answers how many. */
export async function addVisits(engine: Engine, clinic: LoadedClinic, from: number, to: number): Promise<number> {
  const now = new Date().toISOString();
  const { ids, providers, typeId } = clinic;
  let visits = 0;
  for (let day = from; day < to; day += 5) {
    await clinicOf(engine).write(async (m) => {
      const appts: { id: string; values: RowValues<'appointments'> }[] = [];
      const encs: { id: string; values: RowValues<'encounters'> }[] = [];
      const notes: { id: string; values: RowValues<'notes'> }[] = [];
      const vitals: { id: string; values: RowValues<'vitals'> }[] = [];
      for (let d = day; d < Math.min(day + 5, to); d++) {
        for (const [pi, provider] of providers.entries()) {
          for (let k = 0; k < VISITS_PER_DAY; k++) {
            const patient = ids[(d * 997 + pi * 31 + k * 7) % ids.length] as string;
            const minute = 8 * 60 + k * 25;
            const start = `${isoDay(d)}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
            const appt = uuidv7();
            const enc = uuidv7();
            appts.push({ id: appt, values: { patient_id: patient, provider_id: provider, type_id: typeId, start, duration_minutes: 20, reason: 'Follow-up', status: 'checked-out', cancel_reason: '', created_at: now, updated_at: now } });
            encs.push({ id: enc, values: { patient_id: patient, appointment_id: appt, provider_id: provider, kind: 'appointment', started_at: `${start}:00.000Z` } });
            notes.push({ id: uuidv7(), values: {
              encounter_id: enc, author_id: provider, subjective: 'Follow-up; feels well, no new symptoms.', objective: 'BP 128/82, HR 72, lungs clear.',
              assessment: 'Hypertension, stable.', plan: 'Continue current medication; review in three months.', status: 'signed', signed_by: provider, signed_at: now, updated_at: now,
            } });
            vitals.push({ id: uuidv7(), values: {
              patient_id: patient, encounter_id: enc, taken_at: `${start}:00.000Z`, systolic: 120 + (k % 20), diastolic: 78, heart_rate: 72, respiratory_rate: 14,
              temperature_c: 36.8, spo2: 98, height_cm: 170, weight_kg: 78, recorded_by: provider,
            } });
            visits++;
          }
        }
      }
      await m.insertMany('appointments', appts);
      await m.insertMany('encounters', encs);
      await m.insertMany('notes', notes);
      await m.insertMany('vitals', vitals);
    });
  }
  return visits;
}

async function joinTimes(cloud: CloudProcess, cloudDir: string): Promise<void> {
  const { a, sync } = await enrolledClinic(cloud, await createTenantInDir(cloudDir, 'Big clinic'));
  let t = performance.now();
  const size = await loadClinic(a.engine);
  const loadMs = performance.now() - t;
  t = performance.now();
  const first = value(await sync.syncOnce());
  const pushMs = performance.now() - t;

  // Baseline: no snapshot yet, the newcomer replays the whole history.
  t = performance.now();
  const full = await joinClinic(cloud.url, value(await sync.createEnrollCode()).code, [sync]);
  const fullMs = performance.now() - t;
  value(full.joined);

  t = performance.now();
  const snap = value(await sync.uploadSnapshot());
  const snapMs = performance.now() - t;
  t = performance.now();
  const fromSnap = await joinClinic(cloud.url, value(await sync.createEnrollCode()).code, [sync]);
  const snapJoinMs = performance.now() - t;
  value(fromSnap.joined);
  // It holds the same record: sign in and count.
  value(await fromSnap.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const counts = await clinicOf(fromSnap.engine).db.get<{ p: number; v: number }>('SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM encounters) AS v');
  if (counts?.p !== size.patients + 0 || counts.v !== size.visits) throw new Error(`snapshot join holds ${counts?.p} patients, ${counts?.v} visits`);

  console.log(`\n### A new workstation joins a clinic of ${size.patients.toLocaleString('en')} patients and ${size.visits.toLocaleString('en')} visits (a year)\n`);
  console.log(`Loading the clinic on the first workstation took ${seconds(loadMs)} s; pushing its ${first.pushed} change sets ${seconds(pushMs)} s; sealing and uploading a snapshot (${(snap.bytes / 1e6).toFixed(1)} MB of base64 ciphertext) ${seconds(snapMs)} s.\n`);
  console.log('| join (enroll, wait for the key, copy the record, seal the database key to every user) | time (s) | ratio |');
  console.log('|---|---:|---:|');
  console.log(`| baseline: replay the whole history (${first.pushed} change sets) | ${seconds(fullMs)} | 1.00 |`);
  console.log(`| from the newest snapshot | ${seconds(snapJoinMs)} | ${(snapJoinMs / fullMs).toFixed(2)} |`);
  await full.cleanup();
  await fromSnap.cleanup();
  await a.cleanup();
}

async function propagation(cloud: CloudProcess, cloudDir: string): Promise<void> {
  const { a, sync } = await enrolledClinic(cloud, await createTenantInDir(cloudDir, 'Live'), { autoSync: true });
  const b = await joinClinic(cloud.url, value(await sync.createEnrollCode()).code, [sync], { autoSync: true });
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  await new Promise((r) => setTimeout(r, 1000)); // both sockets open
  const times: number[] = [];
  const people = syntheticPatients(25, 11);
  for (const [i, p] of people.entries()) {
    const t = performance.now();
    const id = (await clinicOf(a.engine).write(async (m) => insertPatients(m, [p], uuidv7, new Date().toISOString())))[0] as string;
    for (;;) {
      if (await clinicOf(b.engine).db.get('SELECT 1 AS x FROM patients WHERE id = ?', [id])) break;
      if (performance.now() - t > 10_000) throw new Error('change did not arrive within 10 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    if (i >= 5) times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 400));
  }
  console.log('\n### A change reaching a second online workstation (write on one, row readable on the other)\n');
  console.log('| samples | median (ms) | p95 (ms) | of which the batching delay after a write (ms) |');
  console.log('|---:|---:|---:|---:|');
  console.log(`| ${times.length} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} | 300 |`);
  await b.cleanup();
  await a.cleanup();
}

export async function benchSync(): Promise<void> {
  const cloudDir = await tempDir('chartroom-bench-cloud-');
  const cloud = await startCloudProcess(cloudDir);
  try {
    await throughput(cloud, cloudDir);
    await propagation(cloud, cloudDir);
    await joinTimes(cloud, cloudDir);
  } finally {
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  }
}
