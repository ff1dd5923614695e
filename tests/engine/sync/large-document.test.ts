// A large document never stops a workstation's sync (electron/engine/sync/sync-round.ts): after
// a 13 MiB PDF, a patient registered next still reaches the other workstation, and whatever the
// cloud would not take is listed for the admin with its reason instead of blocking the rest.
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, setUpClinic, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A PDF of `mib` MiB that does not compress (as a scan does not). */
const pdf = (mib: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(mib * 1024 * 1024 - 9)]).toString('base64');

it('keeps syncing after a 13 MiB PDF: the patient registered next reaches the other workstation', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { setupCode } = await createTenant(cloud.store, 'Maple Street');
  const a = await setUpClinic({ username: 'ada' });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  value(await syncA.enroll(cloud.url, setupCode, 'Front desk'));
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const syncB = new SyncClient(b.engine.syncHost);

  const holder = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Scanwell', givenNames: 'Iris' }) }));
  if (holder.status !== 'created') throw new Error('setup');
  value(await a.api.call('documents.upload', { patientId: holder.patient.id, title: 'Outside records', mime: 'application/pdf', data: pdf(13) }));
  const next = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Afterward', givenNames: 'Lena', dateOfBirth: '1991-03-04', phone: '555-010-2020' }) }));
  if (next.status !== 'created') throw new Error('setup');

  const round = await syncA.syncOnce();
  expect(round.ok).toBe(true);
  expect(value(await a.api.call('sync.status', {})).pending).toBe(0);
  value(await syncB.syncOnce());
  expect(value(await b.api.call('patients.search', { query: 'afterward' })).results.map((r) => r.id)).toEqual([next.patient.id]);
  // What the cloud would not take is listed for the admin, with why; the badge says so too.
  expect(value(await a.api.call('sync.refused', {})).map((r) => [r.kind, r.reason])).toEqual([['unsent-change-set', expect.stringMatching(/^too large to send \(\d+ MB sealed\)$/)]]);
}, 120_000);
