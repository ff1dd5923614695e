// Restore drills from the cloud (issue 12, point 7): the whole clinic restored from its cloud
// with the recovery code into a temporary folder, through the same restore a clean machine uses,
// timed and removed; the device it enrolled is cut off; the result is compared with the live
// record at the place in the history it reached, kept for the Security page, and audited. A
// wrong code fails the drill in words; an unreachable cloud is said, and nothing is recorded.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const drillDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('chartroom-cloud-drill-'));

it('restores the clinic from its cloud into a temporary folder, compares it with the live record, and cuts its device off', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync: syncA, recoveryCode } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  value(await a.api.call('patients.register', { fields: patient({ familyName: 'Cloudsworth' }) }));
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  // B's patient reaches the cloud; A takes it in the drill's own round first.
  value(await b.api.call('patients.register', { fields: patient({ familyName: 'Fromexam', dateOfBirth: '1991-02-03', phone: '(555) 420-1000' }) }));
  value(await new SyncClient(b.engine.syncHost).syncOnce());
  const before = await drillDirs();

  const d = value(await a.api.call('backup.drill', { recoveryCode, from: 'cloud' }));
  expect(d).toMatchObject({ ok: true, source: 'cloud', file: cloud.url, changedSince: [] });
  expect(d.message).toMatch(/^Restored 2 patients and \d+ audit rows from the cloud as of place \d+ in its history; integrity, audit chains and every table's count and hash checked against the whole history\. It equals the record on this workstation\./);
  expect(d.seq).toBe((await cloud.store.pull((await syncA.identity())!.tenantId, 0, 10_000)).at(-1)?.seq);
  expect(await drillDirs()).toEqual(before);
  expect(value(await a.api.call('patients.search', { query: 'Fromexam' })).results).toHaveLength(1);
  // The drill's device is in the list, cut off.
  const drillDevice = value(await a.api.call('devices.list', {})).find((w) => w.name.startsWith('Restore drill'));
  expect(drillDevice?.revokedAt).not.toBeNull();
  expect(value(await a.api.call('backup.status', {}))).toMatchObject({ lastCloudDrill: { ok: true, at: d.at, source: 'cloud' }, lastDrill: null, drillOverdue: false });
  expect(value(await a.api.call('audit.query', { limit: 50 })).find((r) => r.action === 'backup.drill')).toMatchObject({ outcome: 'success', detail: expect.stringMatching(/from the cloud, at place \d+ in its history/) });

  // A wrong code fails the drill, in words, and the admin is warned again.
  const wrong = value(await a.api.call('backup.drill', { recoveryCode: 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789', from: 'cloud' }));
  expect(wrong).toMatchObject({ ok: false, source: 'cloud' });
  expect(wrong.message).toMatch(/recovery code/i);
  expect(value(await a.api.call('backup.status', {})).drillOverdue).toBe(true);

  // No cloud: said, and nothing recorded.
  await cloud.close();
  cleanups = cleanups.filter((c) => c !== cloud.close);
  const offline = await a.api.call('backup.drill', { recoveryCode, from: 'cloud' });
  expect(offline.ok ? 'drilled' : offline.error.code).toBe('cloud-unreachable');
  expect(value(await a.api.call('backup.status', {})).lastCloudDrill).toMatchObject({ ok: false, at: wrong.at });
}, 90_000);
