// Restoring the clinic of the sync benchmark (20,000 patients, a year of visits) onto a clean
// machine from its cloud with the recovery code, through the tenant service as its own process
// (`cloud serve`, SQLite): from the newest snapshot, and to a point one month back (the newest
// snapshot made before it, the month after it pulled, checked, then taken back). Side by side:
// an ordinary join from the newest snapshot (the baseline: enroll by code, copy the record, no
// check). The month holds 21 clinic days of visits and 2,000 patients' phone numbers changed, so
// going back has something to take back.
import { rm } from 'node:fs/promises';
import { recordFingerprints } from '../../electron/engine/db/record-fingerprints';
import { SyncClient } from '../../electron/engine/sync/client';
import { createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { adminPassword, clinicOf, joinClinic, openEngine, setUpClinic, tempDir, value } from '../helpers/engine';
import { addVisits, DAYS, loadClinic } from './sync';

const MONTH = 21; // clinic days
const EDITED = 2000;
const s = (ms: number) => (ms / 1000).toFixed(1);

export async function benchRestore(): Promise<void> {
  const cloudDir = await tempDir('chartroom-bench-restore-');
  const cloud = await startCloudProcess(cloudDir);
  const dirs: string[] = [cloudDir];
  try {
    const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
    const sync = new SyncClient(a.engine.syncHost, Number.MAX_SAFE_INTEGER);
    const enrolled = value(await sync.enroll(cloud.url, await createTenantInDir(cloudDir, 'Restore'), 'Front desk'));
    const recoveryCode = enrolled.recoveryCode as string;
    const clinic = await loadClinic(a.engine, DAYS - MONTH);
    value(await sync.syncOnce());
    const monthBack = value(await sync.uploadSnapshot());
    const atMonthBack = await clinicOf(a.engine).db.read((tx) => recordFingerprints(tx));
    // The month since.
    const visits = clinic.visits + (await addVisits(a.engine, clinic, DAYS - MONTH, DAYS));
    await clinicOf(a.engine).write(async (m) => {
      for (const [i, id] of clinic.ids.slice(0, EDITED).entries()) await m.update('patients', id, { phone: `(555) 777-${String(i).padStart(4, '0')}`, phone_digits: `555777${String(i).padStart(4, '0')}` });
    });
    value(await sync.syncOnce());
    const newest = value(await sync.uploadSnapshot());
    const now = await clinicOf(a.engine).db.read((tx) => recordFingerprints(tx));

    const t = performance.now();
    const joined = await joinClinic(cloud.url, value(await sync.createEnrollCode()).code, [sync]);
    const joinMs = performance.now() - t;
    value(joined.joined);
    await joined.cleanup();

    const restore = async (target?: { kind: 'after-seq'; seq: number }) => {
      const dir = await tempDir('chartroom-bench-restored-');
      dirs.push(dir);
      const fresh = await openEngine(dir);
      const started = performance.now();
      const r = value(await fresh.engine.setup.restoreFromCloud({ cloudUrl: cloud.url, tenantId: enrolled.tenantId, recoveryCode, deviceName: 'Rebuilt', target }));
      const ms = performance.now() - started;
      await fresh.engine.close();
      const reopened = await openEngine(dir);
      value(await reopened.api.call('session.signIn', { username: 'ada', password: adminPassword }));
      const held = await clinicOf(reopened.engine).db.read((tx) => recordFingerprints(tx));
      await reopened.engine.close();
      console.log(`  (restore ${target ? 'to a point' : 'from the newest snapshot'}: ${s(ms)} s)`);
      return { r, ms, held };
    };
    const latest = await restore();
    if (JSON.stringify(latest.held) !== JSON.stringify(now)) throw new Error('the restore from the newest snapshot does not hold the record');
    const back = await restore({ kind: 'after-seq', seq: monthBack.seq });
    if (back.r.snapshotSeq !== monthBack.seq) throw new Error(`the month-back restore started from snapshot ${back.r.snapshotSeq}`);
    // Back in time: the edited fields hold their values of a month ago; the month's new rows stay (nothing is deleted).
    if (JSON.stringify(back.held.patients) !== JSON.stringify(atMonthBack.patients)) throw new Error(`the month-back restore took back ${back.r.takenBack?.fields} fields, and its patients are not those of a month ago`);
    if (back.held.encounters?.rows !== visits) throw new Error('the month-back restore lost the month’s visits');

    console.log(`\n### Restoring the clinic from its cloud with the recovery code: ${clinic.patients.toLocaleString('en-US')} patients, ${visits.toLocaleString('en-US')} visits\n`);
    console.log('| restore onto a clean machine | snapshot at | change sets replayed to check | taken back | time (s) | ratio |');
    console.log('|---|---:|---:|---|---:|---:|');
    console.log(`| baseline: join from the newest snapshot (enroll by code, copy, no check) | ${newest.seq} | 0 | | ${s(joinMs)} | 1.00 |`);
    console.log(`| restore from the newest snapshot (goal ≤ 60 s) | ${latest.r.snapshotSeq} | ${latest.r.messages} | | ${s(latest.ms)} | ${(latest.ms / joinMs).toFixed(2)} |`);
    console.log(`| restore to one month back (goal ≤ 300 s) | ${back.r.snapshotSeq} | ${back.r.messages} | ${back.r.takenBack?.fields} fields; ${back.r.takenBack?.keptAside} change sets kept aside | ${s(back.ms)} | ${(back.ms / joinMs).toFixed(2)} |`);
    await a.cleanup();
  } finally {
    await cloud.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
