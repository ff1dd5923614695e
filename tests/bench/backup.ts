// Offline backups, for the clinic of the sync benchmark (20,000 patients and a year of visits):
// Chartroom's backup (snapshot, audit trail, sealed to the recovery key, read back) against a
// file copy of the same encrypted database after a checkpoint, in time and size; and restoring
// it onto an empty data dir (open with the recovery code, rebuild, every check) against opening
// that copy and running SQLite's integrity check.
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createTenant } from '../../cloud/server';
import { Db } from '../../electron/engine/db/connection';
import { SyncClient } from '../../electron/engine/sync/client';
import { startTestCloud } from '../helpers/cloud';
import { clinicOf, openEngine, setUpClinic, tempDir, value } from '../helpers/engine';
import { loadClinic } from './sync';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchBackup(): Promise<void> {
  const cloud = await startTestCloud();
  const { setupCode } = await createTenant(cloud.store, 'Bench Clinic');
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  const dir = await tempDir('chartroom-bench-backup-');
  try {
    const code = value(await new SyncClient(a.engine.syncHost).enroll(cloud.url, setupCode, 'Front desk')).recoveryCode as string;
    const { patients, visits } = await loadClinic(a.engine);
    const db = clinicOf(a.engine).db;
    const key = Buffer.from(clinicOf(a.engine).databaseKey);

    const file = join(dir, 'bench.chartroom-backup');
    let t = performance.now();
    const written = value(await a.api.call('backup.write', { file }));
    const backupMs = performance.now() - t;

    t = performance.now();
    await db.all('PRAGMA wal_checkpoint(TRUNCATE)');
    await copyFile(join(a.dataDir, 'chartroom.db'), join(dir, 'copy.db'));
    const copyMs = performance.now() - t;
    const copyBytes = (await stat(join(dir, 'copy.db'))).size;

    const target = await tempDir('chartroom-bench-restored-');
    const fresh = await openEngine(target);
    t = performance.now();
    const restored = value(await fresh.engine.setup.restoreBackup(await readFile(file), code));
    const restoreMs = performance.now() - t;
    await fresh.engine.close();
    await rm(target, { recursive: true, force: true });

    t = performance.now();
    const copy = await Db.open({ file: join(dir, 'copy.db'), key });
    const check = await copy.all<{ integrity_check: string }>('PRAGMA integrity_check');
    await copy.get('SELECT count(*) AS n FROM patients');
    await copy.close();
    const openMs = performance.now() - t;
    if (check[0]?.integrity_check !== 'ok') throw new Error('copy does not pass integrity_check');

    console.log(`\nOffline backup: ${patients.toLocaleString('en-US')} patients, ${visits.toLocaleString('en-US')} visits (appointment, encounter, signed note, vitals), ${restored.auditRows} audit rows`);
    console.log('| what | Chartroom backup | copy of the encrypted database file | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| write | ${s(backupMs)} (sealed, read back and opened) | ${s(copyMs)} (checkpoint + copy) | ${(backupMs / copyMs).toFixed(1)}× |`);
    console.log(`| size | ${mb(written.bytes)} | ${mb(copyBytes)} | ${(written.bytes / copyBytes).toFixed(2)}× |`);
    console.log(`| restore | ${s(restoreMs)} (recovery code, rebuild, integrity, audit chains, per-table hashes, users' keys) | ${s(openMs)} (open + integrity_check) | ${(restoreMs / openMs).toFixed(1)}× |`);
  } finally {
    await a.cleanup();
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  }
}
