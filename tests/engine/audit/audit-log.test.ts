// The audit log: opening a patient is recorded; any hand edit or deletion of a row makes
// `npm run admin -- verify` exit non-zero and name the row; a clean store verifies.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../../electron/engine/db/connection';
import { adminPassword, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';
import { useClinicClock } from '../../helpers/vitest-clock';

const run = promisify(execFile);
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function verifyCli(dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'electron/engine/cli/admin.ts', 'verify', '--data-dir', dataDir], {
      env: { ...process.env, CHARTROOM_PASSWORD: adminPassword },
    });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

/** A clinic with some history, signed out, and the database key to tamper with by hand. */
async function clinicWithHistory() {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  if (reg.status !== 'created') throw new Error('setup');
  value(await c.api.call('patients.get', { patientId: reg.patient.id }));
  value(await c.api.call('patients.search', { query: 'okafor' }));
  const key = Buffer.from(clinicOf(c.engine).databaseKey);
  value(await c.api.call('session.signOut', {}));
  const tamper = async (sql: string) => {
    const db = await Db.open({ file: join(c.dataDir, 'chartroom.db'), key });
    await db.transaction((tx) => tx.exec(sql));
    await db.close();
  };
  return { c, patientId: reg.patient.id, tamper };
}

describe('audit trail', () => {
  it('records who opened which patient, from which workstation, and answers queries by user, patient and date', async () => {
    useClinicClock(); // "today" stays one day for the whole test
    const c = await setUpClinic();
    cleanup = c.cleanup;
    const reg = value(await c.api.call('patients.register', { fields: patient() }));
    if (reg.status !== 'created') throw new Error('setup');
    const gets = (rows: readonly { action: string }[]) => rows.filter((r) => r.action === 'patients.get').length;
    const before = gets(value(await c.api.call('audit.query', { patientId: reg.patient.id })));
    value(await c.api.call('patients.get', { patientId: reg.patient.id }));
    const rows = value(await c.api.call('audit.query', { patientId: reg.patient.id })).filter((r) => r.action !== 'audit.query');
    expect(gets(rows)).toBe(before + 1);
    const me = value(await c.api.call('session.current', {}))!;
    expect(rows[0]).toMatchObject({ action: 'patients.get', patientId: reg.patient.id, userId: me.user.id, username: 'admin', outcome: 'success', workstationId: me.workstationId });
    const today = new Date().toISOString().slice(0, 10);
    expect(value(await c.api.call('audit.query', { userId: me.user.id, from: today, to: today })).length).toBeGreaterThan(2);
    expect(value(await c.api.call('audit.query', { from: '2001-01-01', to: '2001-12-31' }))).toEqual([]);
  });
});

describe('npm run admin -- verify', () => {
  it('passes on a clean store', async () => {
    const { c } = await clinicWithHistory();
    const r = await verifyCli(c.dataDir);
    expect(r.out).toContain('ok    audit log hash chain');
    expect(r.code).toBe(0);
  });

  it('fails and names the row when an audit row is edited', async () => {
    const { c, tamper } = await clinicWithHistory();
    await tamper("UPDATE audit_log SET username = 'someone-else' WHERE seq = 3");
    const r = await verifyCli(c.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+audit log/);
    expect(r.out).toContain('audit row 3 was altered');
  });

  it('fails and names the gap when a middle row is deleted', async () => {
    const { c, tamper } = await clinicWithHistory();
    await tamper('DELETE FROM audit_log WHERE seq = 2');
    const r = await verifyCli(c.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('audit rows 2–2 are missing');
  });

  it('fails when the newest rows are deleted', async () => {
    const { c, tamper } = await clinicWithHistory();
    await tamper('DELETE FROM audit_log WHERE seq >= (SELECT max(seq) - 1 FROM audit_log)');
    const r = await verifyCli(c.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/missing \(deleted\)/);
  });

  it('fails when a row is rewritten with a recomputed-looking hash but the chain breaks', async () => {
    const { c, tamper } = await clinicWithHistory();
    await tamper("UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE seq = 1) WHERE seq = 2");
    const r = await verifyCli(c.dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('audit row 3 does not link to the row before it');
  });

  it('exits non-zero with a clear message on a wrong password or a missing store', async () => {
    const { c } = await clinicWithHistory();
    const wrong = await run(process.execPath, ['--import', 'tsx', 'electron/engine/cli/admin.ts', 'verify', '--data-dir', c.dataDir], {
      env: { ...process.env, CHARTROOM_PASSWORD: 'not the password' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in wrong && wrong.code).toBe(1);
    expect('stderr' in wrong && wrong.stderr).toContain('wrong-password');
    const missing = await verifyCli(join(c.dataDir, 'nothing-here'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('is not set up');
  });
});
