// The clinic-wide audit trail through the real tenant service on loopback: a physician's reads
// on one workstation are in the other's log, with user, patient and workstation named;
// filters by patient name or MRN, user, workstation and local date; CSV export; each
// workstation's chain verified, against the head the cloud keeps, so rows rewritten after they
// were sent are found, here and on the workstation that receives them again.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Db } from '../../../electron/engine/db/connection';
import { rowHash } from '../../../electron/engine/audit/audit-log';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, joinClinic, patient, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function clinic() {
  const c = await startTestCloud();
  cleanups.push(c.close);
  const { a, sync: syncA } = await firstWorkstation(c, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Quillfeather', givenNames: 'Odile' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  value(await syncA.syncOnce());
  const b = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);
  return { c, a, b, syncA, syncB, patient: reg.patient };
}

it('shows every workstation’s rows on every workstation, named, filtered and exported', async () => {
  const { a, b, syncA, syncB, patient: p } = await clinic();
  value(await a.api.call('patients.get', { patientId: p.id }));
  value(await a.api.call('chart.summary', { patientId: p.id }));
  value(await syncA.syncOnce());
  value(await syncB.syncOnce());

  const onB = value(await b.api.call('audit.query', { patient: 'quillfeather', limit: 200 }));
  const read = onB.find((r) => r.action === 'chart.summary');
  expect(read).toMatchObject({ userName: 'Ada Admin', username: 'ada', patientName: 'Quillfeather, Odile', patientMrn: p.mrn, workstationName: 'Front desk', workstationId: a.engine.workstationId });
  // By MRN without its leading zero, by the workstation, and by today's local date.
  const byMrn = value(await b.api.call('audit.query', { patient: p.mrn.replace(/^0+/, ''), limit: 200 }));
  expect(byMrn.map((r) => r.action)).toEqual(expect.arrayContaining(['patients.get', 'chart.summary']));
  const fromA = value(await b.api.call('audit.query', { workstationId: a.engine.workstationId, limit: 1000 }));
  expect(new Set(fromA.map((r) => r.workstationName))).toEqual(new Set(['Front desk']));
  expect(value(await b.api.call('audit.query', { workstationId: b.engine.workstationId, limit: 1000 })).every((r) => r.workstationName === 'Exam room 1')).toBe(true);
  const d = new Date();
  const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  expect(value(await b.api.call('audit.query', { from: today, to: today, patient: 'Odile Quillfeather', limit: 200 })).some((r) => r.action === 'chart.summary')).toBe(true);
  expect(value(await b.api.call('audit.query', { from: '2001-01-01', to: '2001-12-31', limit: 200 }))).toEqual([]);

  const exported = value(await b.api.call('audit.export', { patient: 'quillfeather' }));
  const lines = exported.csv.trim().split('\n');
  expect(lines[0]).toBe('Local time,UTC,User,Username,Action,Patient,MRN,Workstation,Outcome,Detail');
  expect(lines.some((l) => l.includes(',chart.summary,"Quillfeather, Odile",') && l.includes(',Front desk,success,'))).toBe(true);
  expect(exported.rows).toBe(lines.length - 1);
  // The export is itself in the trail, without the name typed into the filter.
  const exports = value(await b.api.call('audit.query', { limit: 50 })).filter((r) => r.action === 'audit.export');
  expect(exports).toHaveLength(1);
  expect(exports[0]?.detail).not.toMatch(/quillfeather/i);

  // Both chains check out on both workstations, against the heads the cloud keeps.
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  for (const w of [a, b]) {
    const v = value(await w.api.call('audit.verify', {}));
    expect(v).toMatchObject({ ok: true, headsChecked: true, problems: [] });
    expect(v.chains.map((x) => x.workstationName).sort()).toEqual(['Exam room 1', 'Front desk']);
  }
});

it('finds audit rows rewritten after they were sent: on the workstation that rewrote them, and where they arrive again', async () => {
  const { a, b, syncA, syncB, patient: p } = await clinic();
  value(await a.api.call('chart.summary', { patientId: p.id }));
  value(await syncA.syncOnce());
  value(await syncB.syncOnce());
  // Malware on A rewrites its own trail (the read of the chart becomes a search), recomputes every
  // hash so the chain is consistent again, and marks it all unsent so it travels once more.
  const key = Buffer.from(clinicOf(a.engine).databaseKey);
  const db = await Db.open({ file: join(a.dataDir, 'chartroom.db'), key });
  const rows = await db.all<{ seq: number; at: string; user_id: string | null; username: string | null; workstation_id: string; action: string; patient_id: string | null; outcome: string; detail: string | null }>(
    'SELECT seq, at, user_id, username, workstation_id, action, patient_id, outcome, detail FROM audit_log ORDER BY seq',
  );
  await db.transaction(async (tx) => {
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const row = r.action === 'chart.summary' ? { ...r, action: 'patients.search', patient_id: null } : r;
      const hash = rowHash(prev, row);
      await tx.run('UPDATE audit_log SET action = ?, patient_id = ?, prev_hash = ?, hash = ? WHERE seq = ?', [row.action, row.patient_id, prev, hash, r.seq]);
      prev = hash;
    }
    await tx.run('UPDATE sync_identity SET audit_sent_seq = 0');
  });
  await db.close();

  const onA = value(await a.api.call('audit.verify', {}));
  expect(onA.ok).toBe(false);
  expect(onA.problems.join('\n')).toMatch(/audit rows up to \d+ were changed after they were sent/);
  // Sent again: B keeps what it first had, and lists the batch for the admin.
  value(await syncA.syncOnce());
  const round = value(await syncB.syncOnce());
  expect(round.refused).toBeGreaterThan(0);
  const refused = value(await b.api.call('sync.refused', {}));
  expect(refused.find((r) => r.kind === 'audit-rows')?.reason).toMatch(/audit rows of Front desk: row \d+ came again with other content/);
  expect(value(await b.api.call('audit.query', { patientId: p.id, limit: 50 })).some((r) => r.action === 'chart.summary' && r.workstationName === 'Front desk')).toBe(true);
  expect(value(await b.api.call('audit.verify', {})).ok).toBe(true);
});

it('a workstation that joins from a snapshot has the trail from before it, its workstations named', async () => {
  const { c, a, syncA, syncB, patient: p } = await clinic();
  value(await a.api.call('chart.summary', { patientId: p.id }));
  value(await syncA.syncOnce());
  value(await syncB.syncOnce());
  value(await syncA.syncOnce());
  const snapshot = value(await syncA.uploadSnapshot());
  const d = await joinClinic(c.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(d.cleanup);
  value(d.joined);
  value(await d.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  // Nothing up to the snapshot was pulled: what D has of that time came in the snapshot.
  expect(await clinicOf(d.engine).db.get('SELECT count(*) AS n FROM applied_messages WHERE seq <= ?', [snapshot.seq])).toEqual({ n: 0 });
  const rows = value(await d.api.call('audit.query', { patientId: p.id, limit: 50 }));
  expect(rows.find((r) => r.action === 'chart.summary')).toMatchObject({ workstationName: 'Front desk', patientName: 'Quillfeather, Odile' });
  expect(value(await d.api.call('audit.query', { limit: 1000 })).some((r) => r.workstationName === 'Exam room 1')).toBe(true);
  expect(value(await d.api.call('audit.verify', {})).ok).toBe(true);
});

it('a read alone reaches the cloud within seconds, not at the next 15-second round', async () => {
  const c = await startTestCloud();
  cleanups.push(c.close);
  const { a, sync, tenantId } = await firstWorkstation(c);
  cleanups.push(a.cleanup);
  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Readalone' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  value(await sync.syncOnce());
  const deviceId = (await sync.identity())?.deviceId;
  const headSeq = async () => (await c.store.auditHeads(tenantId)).find((h) => h.deviceId === deviceId)?.seq ?? 0;
  // The background sync's first round (at its start) is over before the read.
  a.engine.syncService.start();
  await expect.poll(async () => (await a.engine.syncService.status()).lastSyncAt, { timeout: 10_000, interval: 50 }).not.toBeNull();
  await new Promise((r) => setTimeout(r, 200));
  const before = await headSeq();
  const started = Date.now();
  value(await a.api.call('chart.summary', { patientId: reg.patient.id }));
  await expect.poll(headSeq, { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
  // The read's round waited for others to join it (3 s), and came long before the 15-second one.
  expect(Date.now() - started).toBeGreaterThan(2_500);
  expect(Date.now() - started).toBeLessThan(8_000);
});
