// kill -9 of a PostgreSQL-backed service process in the middle of pushes, 30 times: every change
// set the service acknowledged is kept at the sequence number it was given, none is stored
// twice, and two workstations that went on syncing through the restarts converge to the same
// record.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SyncClient } from '../../electron/engine/sync/client';
import { type CloudProcess, startCloudProcess } from '../helpers/cloud-process';
import { adminPassword, clinicOf, joinClinic, patient, setUpClinic, tempDir, value } from '../helpers/engine';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

const run = promisify(execFile);
const TRIALS = 30;
let pg: TestPostgres;
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => pg?.stop(), 60_000);

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

it(`keeps every acknowledged change set through ${TRIALS} kill -9s of the service mid-push, and the workstations converge`, async () => {
  const url = await pg.database('crash_trials');
  const secret = randomBytes(32).toString('base64');
  const logs = await tempDir('chartroom-crash-logs-');
  const created = (await run(process.execPath, ['--import', 'tsx', 'cloud/cli.ts', 'tenant', 'create', '--name', 'Maple Street', '--database-url', url])).stdout;
  const setupCode = /setup code (\S+)/.exec(created)?.[1] as string;
  const port = await freePort();
  let cloud: CloudProcess = await startCloudProcess(logs, port, { postgres: { url, secret } });
  const cloudUrl = cloud.url;
  const a = await setUpClinic({ username: 'ada' });
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(cloudUrl, setupCode, 'Front desk'));
  const b = await joinClinic(cloudUrl, value(await syncA.createEnrollCode()).code, [syncA]);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  const tenantId = (await clinicOf(a.engine).db.get<{ tenant_id: string }>('SELECT tenant_id FROM sync_identity'))?.tenant_id as string;

  /** The history as the service holds it: message id → sequence number, read straight from PostgreSQL. */
  const history = async () => {
    const { stdout } = await run('node', ['-e', `
      const pg = require('pg'); const c = new pg.Client(${JSON.stringify(url)});
      c.connect().then(() => c.query("SELECT set_config('chartroom.tenant', $1, false)", [${JSON.stringify(tenantId)}]))
        .then(() => c.query('SELECT msg_id, seq FROM messages WHERE tenant_id = $1 ORDER BY seq', [${JSON.stringify(tenantId)}]))
        .then((r) => { process.stdout.write(JSON.stringify(r.rows)); return c.end(); });`]);
    return new Map((JSON.parse(stdout) as { msg_id: string; seq: number }[]).map((r) => [r.msg_id, Number(r.seq)]));
  };

  const acknowledged = new Map<string, number>();
  let killedMidPush = 0;
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      // A batch big enough that its push takes a while, from both workstations.
      const batch = (w: string) => Array.from({ length: 200 }, (_, i) => patient({ familyName: `Crash${w}${trial}x${i}`, givenNames: 'Trial', phone: `55${trial}${i}`.padEnd(10, '7') }));
      value(await a.api.call('patients.registerMany', { patients: batch('a'), reason: 'kill -9 trial data' }));
      value(await b.api.call('patients.registerMany', { patients: batch('b'), reason: 'kill -9 trial data' }));
      const rounds = [syncA.syncOnce(), syncB.syncOnce()];
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      await cloud.kill();
      const outcomes = await Promise.all(rounds);
      if (outcomes.some((o) => !o.ok)) killedMidPush++;
      cloud = await startCloudProcess(logs, port, { postgres: { url, secret } });
      // What the workstations were told is stored must be stored, at the same place.
      const now = await history();
      for (const w of [a, b]) {
        // Only a workstation's own change sets are in its change log, marked pushed once acknowledged.
        for (const { msg_id: m } of await clinicOf(w.engine).db.all<{ msg_id: string }>('SELECT DISTINCT msg_id FROM changes WHERE pushed = 1')) {
          const seq = now.get(m);
          expect(seq, `acknowledged change set ${m} lost after trial ${trial}`).toBeDefined();
          if (acknowledged.has(m)) expect(seq, `change set ${m} moved`).toBe(acknowledged.get(m));
          acknowledged.set(m, seq as number);
        }
      }
    }
    // Once the service stays up, both finish and agree.
    for (let i = 0; i < 3; i++) { value(await syncA.syncOnce()); value(await syncB.syncOnce()); }
    const final = await history();
    expect([...final.values()]).toEqual(Array.from({ length: final.size }, (_, i) => i + 1));
    for (const [m, seq] of acknowledged) expect(final.get(m)).toBe(seq);
    expect(value(await a.api.call('sync.status', {})).pending).toBe(0);
    expect(value(await b.api.call('sync.status', {})).pending).toBe(0);
    const count = async (w: typeof a) => (await clinicOf(w.engine).db.get<{ n: number }>("SELECT count(*) AS n FROM patients WHERE family_name LIKE 'Crash%'"))?.n;
    expect(await count(a)).toBe(TRIALS * 400);
    expect(await count(b)).toBe(TRIALS * 400);
    // Most kills land in the middle of a round (a workstation's round fails).
    expect(killedMidPush, `${killedMidPush} of ${TRIALS} kills cut a round short`).toBeGreaterThan(TRIALS / 2);
    // Same rows on both (the record, not each one's local tables).
    const rows = async (w: typeof a) => (await clinicOf(w.engine).db.all<{ id: string; family_name: string }>("SELECT id, family_name FROM patients ORDER BY id")).map((r) => `${r.id}:${r.family_name}`).join('\n');
    expect(await rows(a)).toBe(await rows(b));
  } finally {
    await cloud.stop();
    await a.cleanup();
    await b.cleanup();
    await rm(logs, { recursive: true, force: true });
  }
}, 600_000);
