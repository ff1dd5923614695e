// A workstation with a backlog (electron/engine/sync/sync-service.ts, db/mutation.ts): 20,000
// patients written and not yet sent (not enrolled, as when offline). The badge's status costs
// the same as with nothing waiting, and audited reads (searches, charts opened) start no sync
// round at once: their audit rows go together, with one round a few seconds later.
import { afterEach, expect, it } from 'vitest';
import { adminPassword, clinicOf, openEngine, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? 0;

it('answers the sync status as fast with 20,000 patients waiting as with none, and reads start no round at once', async () => {
  const first = await setUpClinic({ username: 'ada' });
  await first.engine.close();
  const t = await openEngine(first.dataDir, { autoSync: true });
  cleanups.push(async () => { await t.engine.close(); await first.cleanup(); });
  value(await t.api.call('session.signIn', { username: 'ada', password: adminPassword }));

  const statusTimes = async () => {
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const at = performance.now();
      value(await t.api.call('sync.status', {}));
      ms.push(performance.now() - at);
    }
    return p95(ms);
  };
  const empty = await statusTimes();
  for (let batch = 0; batch < 10; batch++) {
    const patients = Array.from({ length: 2000 }, (_, i) => patient({ familyName: `Backlog${batch}x${i}`, givenNames: 'Test', phone: `555${String(batch * 2000 + i).padStart(7, '0')}` }));
    value(await t.api.call('patients.registerMany', { patients, reason: 'synthetic backlog for a test' }));
  }
  const counted = await clinicOf(t.engine).db.get<{ sets: number; rows: number }>('SELECT count(DISTINCT msg_id) AS sets, count(*) AS rows FROM changes WHERE pushed = 0');
  expect(counted?.rows).toBeGreaterThan(150_000);
  const status = value(await t.api.call('sync.status', {}));
  expect(status.pending).toBe(counted?.sets);
  const backlog = await statusTimes();
  expect(backlog).toBeLessThan(Math.max(10, empty * 3));

  // Searching and opening charts writes audit rows only: no round at once; one round for all of them, seconds later.
  let rounds = 0;
  const stop = t.engine.on('sync.status', () => { rounds++; });
  await new Promise((r) => setTimeout(r, 500));
  rounds = 0;
  for (let i = 0; i < 20; i++) {
    const hits = value(await t.api.call('patients.search', { query: `Backlog${i % 10}x1` }));
    const firstHit = hits.results[0];
    if (firstHit) value(await t.api.call('patients.get', { patientId: firstHit.id }));
  }
  await new Promise((r) => setTimeout(r, 800));
  expect(rounds).toBe(0);
  await new Promise((r) => setTimeout(r, 3_000));
  stop();
  expect(rounds).toBeLessThanOrEqual(2);
}, 180_000);
