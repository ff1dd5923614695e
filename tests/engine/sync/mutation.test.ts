// The one mutation path: each write records field-level change rows with a hybrid logical
// clock in the same transaction; a failed transaction leaves neither rows nor changes.
import { afterEach, expect, it } from 'vitest';
import { parseHlc } from '../../../shared/sync/hlc';
import { adminPassword, openEngine, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

interface ChangeRow { msg_id: string; hlc: string; tbl: string; row_id: string; col: string; value: string | null }

it('records one change row per written field, all stamped with the transaction’s clock reading', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const before = (await clinicOf(c.engine).db.get<{ n: number }>('SELECT max(seq) AS n FROM changes'))!.n;
  const r = value(await c.api.call('patients.register', { fields: patient({ email: 'chi@example.org' }) }));
  if (r.status !== 'created') throw new Error('setup');
  const rows = await clinicOf(c.engine).db.all<ChangeRow>('SELECT * FROM changes WHERE seq > ? ORDER BY seq', [before]);
  expect(new Set(rows.map((x) => x.msg_id)).size).toBe(1);
  expect(rows.every((x) => x.tbl === 'patients' && x.row_id === r.patient.id)).toBe(true);
  const byCol = Object.fromEntries(rows.map((x) => [x.col, x.value === null ? null : JSON.parse(x.value)]));
  expect(byCol).toMatchObject({ family_name: 'Okafor', given_names: 'Chidinma Grace', email: 'chi@example.org', date_of_birth: '1984-06-02', mrn: r.patient.mrn });
  const hlcs = rows.map((x) => x.hlc);
  // One reading per transaction, so fields written together win or lose together.
  expect(new Set(hlcs).size).toBe(1);
  expect(parseHlc(hlcs[0]!).node).toBe(c.engine.workstationId);

  // An edit records only what changed.
  const { id, mrn: _m, createdAt: _c, updatedAt: _u, ...fields } = r.patient;
  const last = (await clinicOf(c.engine).db.get<{ n: number }>('SELECT max(seq) AS n FROM changes'))!.n;
  value(await c.api.call('patients.update', { patientId: id, fields: { ...fields, city: 'Springfield' } }));
  const edit = await clinicOf(c.engine).db.all<ChangeRow>('SELECT * FROM changes WHERE seq > ? ORDER BY seq', [last]);
  expect(edit.map((x) => x.col).sort()).toEqual(['city', 'updated_at']);
  expect(edit[0]!.hlc > hlcs[0]!).toBe(true);
  expect(edit[0]!.msg_id).not.toBe(rows[0]!.msg_id);
});

it('a transaction that fails leaves no rows, no change rows and no audit rows', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  const count = async () => clinicOf(c.engine).db.get<{ p: number; ch: number; a: number }>(
    'SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM changes) AS ch, (SELECT count(*) FROM audit_log) AS a',
  );
  const before = await count();
  await expect(
    clinicOf(c.engine).write(async (m) => {
      await m.insert('patients', 'p-1', { mrn: '1000017', family_name: 'Ghost', given_names: 'G', date_of_birth: '1990-01-01', sex_at_birth: 'unknown', created_at: 'x', updated_at: 'x' });
      m.audit({ userId: null, username: null, action: 'test', patientId: 'p-1', outcome: 'success', detail: null });
      throw new Error('crash mid-transaction');
    }),
  ).rejects.toThrow('crash mid-transaction');
  expect(await count()).toEqual(before);
});

it('refuses to write a column that is not a synced column', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  await expect(clinicOf(c.engine).write((m) => m.update('patients', 'x', { 'family_name = 1; --': 'x' } as never))).rejects.toThrow(/not a synced column/);
});

it('keeps the clock ahead of every earlier change after a restart', async () => {
  const c = await setUpClinic();
  cleanup = c.cleanup;
  value(await c.api.call('patients.register', { fields: patient() }));
  const lastBefore = (await clinicOf(c.engine).db.get<{ h: string }>('SELECT max(hlc) AS h FROM changes'))!.h;
  await c.engine.close();
  const again = await openEngine(c.dataDir);
  value(await again.api.call('session.signIn', { username: 'admin', password: adminPassword }));
  value(await again.api.call('patients.register', { fields: patient({ familyName: 'Later', givenNames: 'One', phone: '', dateOfBirth: '2000-01-01' }) }));
  const after = await clinicOf(again.engine).db.all<{ hlc: string }>('SELECT hlc FROM changes WHERE hlc > ?', [lastBefore]);
  expect(after.length).toBeGreaterThan(3);
  await again.engine.close();
});
