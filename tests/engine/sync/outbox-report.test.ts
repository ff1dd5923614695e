// Each workstation tells the cloud what it has not sent yet (electron/engine/sync/outbox-report.ts),
// so an admin elsewhere sees the clinic's recovery point: how many change sets and since when.
// Counts and a time only; said again when it changes, and after every round.
import { afterEach, expect, it } from 'vitest';
import { CloudSession } from '../../../electron/engine/sync/cloud-session';
import { SyncClient } from '../../../electron/engine/sync/client';
import { OutboxReporter } from '../../../electron/engine/sync/outbox-report';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, clinicOf, joinClinic, patient, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('shows each workstation what another has not sent yet, and since when', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync: syncA } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const aOnB = async () => value(await b.api.call('devices.list', {})).find((d) => d.name === 'Front desk')?.outbox;
  expect(await aOnB()).toMatchObject({ unsent: 0, oldestAt: null });

  // Two registrations wait on A (its round has not run); A says so.
  const firstAt = Date.now();
  for (const [i, family] of ['Waiting', 'Stillwaiting'].entries()) {
    value(await a.api.call('patients.register', { fields: patient({ familyName: family, dateOfBirth: `198${i}-01-01`, phone: `(555) 430-100${i}` }) }));
  }
  expect(value(await a.api.call('devices.list', {})).find((d) => d.thisWorkstation)?.outbox).toMatchObject({ unsent: 2 });
  const id = (await syncA.identity())!;
  await new OutboxReporter().report(clinicOf(a.engine), id, await new CloudSession(a.engine.syncHost).token());
  const waiting = await aOnB();
  expect(waiting?.unsent).toBe(2);
  expect(Date.parse(waiting?.oldestAt ?? '')).toBeGreaterThanOrEqual(firstAt - 1000);
  expect(Date.parse(waiting?.oldestAt ?? '')).toBeLessThanOrEqual(Date.now());

  // A's round sends them, and says nothing waits.
  value(await new SyncClient(a.engine.syncHost).syncOnce());
  expect(await aOnB()).toMatchObject({ unsent: 0, oldestAt: null });
}, 60_000);
