// kill -9 in the middle of writing: every registration the engine acknowledged is still there
// afterwards, with its change rows and audit rows, and every integrity check passes.
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { verifyOwnChain } from '../../../electron/engine/audit/audit-log';
import { adminPassword, openEngine, setUpClinic, tempDir, value, clinicOf } from '../../helpers/engine';
import { rm } from 'node:fs/promises';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

it('loses no acknowledged write when the process is killed mid-write', async () => {
  dir = await tempDir();
  const c = await setUpClinic({ dataDir: dir });
  await c.engine.close();

  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/crash-writer.ts', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (acked.length >= 40) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}`))));
  });
  await new Promise((r) => child.once('close', r));
  expect(acked.length).toBeGreaterThanOrEqual(40);

  const { engine, api } = await openEngine(dir);
  value(await api.call('session.signIn', { username: 'admin', password: adminPassword }));
  for (const id of acked) {
    const p = await api.call('patients.get', { patientId: id as never });
    expect(p.ok, `acknowledged patient ${id} lost`).toBe(true);
    const changes = await clinicOf(engine).db.get<{ n: number }>("SELECT count(*) AS n FROM changes WHERE tbl = 'patients' AND row_id = ?", [id]);
    expect(changes?.n).toBeGreaterThan(5);
  }
  expect(await clinicOf(engine).db.all('PRAGMA cipher_integrity_check')).toEqual([]);
  expect(await clinicOf(engine).db.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  expect((await verifyOwnChain(clinicOf(engine).db)).problems).toEqual([]);
  // Rows and change log agree: no patient without its change set, none half-written.
  const orphans = await clinicOf(engine).db.get<{ n: number }>(
    "SELECT count(*) AS n FROM patients p WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.tbl = 'patients' AND c.row_id = p.id AND c.col = 'family_name')",
  );
  expect(orphans?.n).toBe(0);
  await engine.close();
});
