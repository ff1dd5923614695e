// Someone with access to the cloud's database alters one stored message and slips in another
// tenant's: every workstation refuses both, sets them aside for the admin with a reason, says so
// in its status, and applies everything else, before and after.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('a tampered or foreign message is refused by every workstation and reported; nothing else is lost', async () => {
  const { url, store, file, close } = await startTestCloud();
  cleanups.push(close);

  // Another clinic on the same service, with a message of its own.
  const other = await setUpClinic({ username: 'otto' });
  cleanups.push(other.cleanup);
  const otherSync = new SyncClient(other.engine.syncHost);
  value(await otherSync.enroll(url, (await createTenant(store, 'Elsewhere')).setupCode, 'Desk'));
  value(await other.api.call('patients.register', { fields: patient({ familyName: 'Foreignson', phone: '' }) }));
  value(await otherSync.syncOnce());

  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(url, (await createTenant(store, 'Maple Street')).setupCode, 'Front desk'));
  const stations = [];
  for (let i = 0; i < 2; i++) {
    const w = await joinClinic(url, value(await syncA.createEnrollCode()).code, [syncA]);
    cleanups.push(w.cleanup);
    value(await w.api.call('session.signIn', { username: 'ada', password: adminPassword }));
    stations.push({ w, sync: new SyncClient(w.engine.syncHost) });
  }
  const tenantId = (await syncA.identity())!.tenantId;
  const names = ['Firstling', 'Tamperton', 'Lastly'];
  for (const familyName of names) value(await a.api.call('patients.register', { fields: patient({ familyName, phone: '', dateOfBirth: '1960-01-01' }) }));
  value(await syncA.syncOnce());

  // Behind the service's back: flip one byte of Tamperton's message, and copy the other
  // clinic's message into this clinic's history.
  // Tamperton's change set, by its message id (audit batches travel in the history too).
  const tampertonMsg = (await clinicOf(a.engine).db.get<{ msg_id: string }>("SELECT msg_id FROM changes WHERE tbl = 'patients' AND col = 'family_name' AND value = ?", [JSON.stringify('Tamperton')]))?.msg_id;
  const raw = new Database(file);
  raw.exec('DROP TRIGGER messages_append_only_update');
  const target = raw.prepare('SELECT seq, ciphertext FROM messages WHERE tenant_id = ? AND msg_id = ?').get(tenantId, tampertonMsg) as { seq: number; ciphertext: string };
  const bytes = Buffer.from(target.ciphertext, 'base64');
  bytes[20] = (bytes[20] as number) ^ 0x01;
  raw.prepare('UPDATE messages SET ciphertext = ? WHERE tenant_id = ? AND seq = ?').run(bytes.toString('base64'), tenantId, target.seq);
  const foreign = raw.prepare("SELECT * FROM messages WHERE tenant_id <> ? ORDER BY seq DESC LIMIT 1").get(tenantId) as Record<string, unknown>;
  const next = (raw.prepare('SELECT max(seq) + 1 AS n FROM messages WHERE tenant_id = ?').get(tenantId) as { n: number }).n;
  raw.prepare('INSERT INTO messages (tenant_id, seq, msg_id, device_id, kid, nonce, ciphertext, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(tenantId, next, foreign.msg_id, foreign.device_id, foreign.kid, foreign.nonce, foreign.ciphertext, foreign.received_at);
  raw.prepare('UPDATE tenants SET next_seq = ? WHERE id = ?').run(next + 1, tenantId);
  raw.close();
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterward', phone: '', dateOfBirth: '1961-01-01' }) }));
  value(await syncA.syncOnce());

  for (const { w, sync } of stations) {
    const round = value(await sync.syncOnce());
    expect(round.refused).toBe(2);
    const found = (await clinicOf(w.engine).db.all<{ family_name: string }>('SELECT family_name FROM patients ORDER BY family_name')).map((r) => r.family_name);
    expect(found).toEqual(['Afterward', 'Firstling', 'Lastly']);
    const set = await clinicOf(w.engine).db.all<{ seq: number; reason: string }>('SELECT seq, reason FROM sync_quarantine ORDER BY seq');
    expect(set.map((q) => q.seq)).toEqual([target.seq, next]);
    expect(set.map((q) => q.reason)).toEqual(['not-authentic', 'unknown-key']);
    expect((await w.engine.syncService.status()).quarantined).toBe(2);
    // The admin sees them, with the workstation the foreign one pretends to come from unknown.
    const listed = value(await w.api.call('sync.refused', {}));
    expect(listed.map((r) => [r.seq, r.reason, r.fromWorkstation])).toEqual([[next, 'unknown-key', null], [target.seq, 'not-authentic', 1]]);
    value(await w.api.call('sync.acknowledgeRefused', { msgId: listed[0]!.msgId, seq: listed[0]!.seq }));
    expect((await w.engine.syncService.status()).quarantined).toBe(1);
  }
});
