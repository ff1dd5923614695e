// Undo benchmark: one workstation's 1,000 change sets (one patient's name and phone each)
// undone on another, through the tenant service as its own process (`cloud serve`, SQLite).
// Side by side: the ordinary sync round that pulled those same 1,000 change sets there (the
// baseline), the undo's preview (the whole history read and opened, the plan), and the undo
// itself (the plan again, then the new change sets written and pushed).
import { rm } from 'node:fs/promises';
import { SyncClient } from '../../electron/engine/sync/client';
import { type CloudProcess, createTenantInDir, startCloudProcess } from '../helpers/cloud-process';
import { adminPassword, joinClinic, patient, setUpClinic, tempDir, value, patientFields } from '../helpers/engine';

const SETS = 1000;

export async function benchUndo(): Promise<void> {
  const cloudDir = await tempDir('chartroom-bench-undo-');
  const cloud: CloudProcess = await startCloudProcess(cloudDir);
  // Stopped whatever happens: a failed run must not leave a service process behind.
  try {
    const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
    const syncA = new SyncClient(a.engine.syncHost, Number.MAX_SAFE_INTEGER);
    value(await syncA.enroll(cloud.url, await createTenantInDir(cloudDir, 'Undo'), 'Front desk'));
    const people = Array.from({ length: SETS }, (_, i) => patient({ familyName: `Undo${i}`, givenNames: 'Ada', phone: `(555) ${String(100 + (i % 800)).padStart(3, '0')}-${String(1000 + i)}` }));
    value(await a.api.call('patients.registerMany', { patients: people, reason: 'benchmark clinic' }));
    const ids = value(await a.api.call('patients.list', { limit: SETS })).patients.map((p) => p.id);
    value(await syncA.syncOnce());
    const c = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
    value(c.joined);
    value(await c.api.call('session.signIn', { username: 'ada', password: adminPassword }));
    const syncC = new SyncClient(c.engine.syncHost, Number.MAX_SAFE_INTEGER);
    value(await syncC.syncOnce());
    const cId = (await syncC.identity())?.deviceId as string;
    await new Promise((r) => setTimeout(r, 20));
    const after = new Date().toISOString();
    for (const id of ids) {
      const fields = patientFields(value(await c.api.call('patients.get', { patientId: id })));
      value(await c.api.call('patients.update', { patientId: id, fields: { ...fields, familyName: 'ENCRYPTED', phone: '(555) 000-0000' } }));
    }
    value(await syncC.syncOnce());

    let t = performance.now();
    const pulled = value(await syncA.syncOnce());
    const pull = performance.now() - t;
    t = performance.now();
    const preview = value(await a.api.call('undo.preview', { deviceId: cId, after }));
    const previewMs = performance.now() - t;
    t = performance.now();
    const applied = value(await a.api.call('undo.apply', { deviceId: cId, after }));
    value(await syncA.syncOnce());
    const applyMs = performance.now() - t;
    if (preview.changeSets !== SETS || applied.fields !== preview.fields) throw new Error(`undo found ${preview.changeSets} change sets, ${applied.fields} fields`);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\nUndo of ${SETS} change sets of one workstation (${preview.fields} fields of ${preview.patients.length} patients, the whole history read):`);
    console.log(`  baseline: the sync round that pulled and applied them: ${s(pull)} (${pulled.applied} applied)`);
    console.log(`  undo preview (history read and opened, plan):          ${s(previewMs)} (${(previewMs / pull).toFixed(2)}×)`);
    console.log(`  undo (plan again, ${applied.written} change sets written and pushed):   ${s(applyMs)} (${(applyMs / pull).toFixed(2)}×)`);

    await c.cleanup();
    await a.cleanup();
  } finally {
    await cloud.stop();
    await rm(cloudDir, { recursive: true, force: true });
  }
}
