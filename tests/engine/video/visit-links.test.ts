// Visit links for video appointments, through the real tenant service: a link per video
// appointment that carries no PHI, opens 30 minutes before the start, is the same link when asked
// again, reaches the physician's workstation by sync, and can be revoked and recreated.
import { afterEach, expect, it } from 'vitest';
import { createTenant } from '../../../cloud/server';
import { SyncClient } from '../../../electron/engine/sync/client';
import type { PatientId, UserId } from '../../../shared/domain/ids';
import { startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, setUpClinic, value } from '../../helpers/engine';
import { localDateTime as local } from '../../helpers/test-clock';
import { useClinicClock } from '../../helpers/vitest-clock';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

it('creates one PHI-free link per video appointment, shares it with the clinic, and revokes it', async () => {
  // Ten minutes from now must be the same day as the appointment's end: the clock reads 10:00.
  const now = useClinicClock();
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const a = await setUpClinic({ username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const syncA = new SyncClient(a.engine.syncHost);
  const reg = value(await a.api.call('patients.register', { fields: patient({ familyName: 'Videoworth', givenNames: 'Ottilie' }) }));
  if (reg.status !== 'created') throw new Error('setup');
  const me = value(await a.api.call('session.current', {}))!.user.id as UserId;
  const types = value(await a.api.call('schedule.types', {}));
  const video = types.find((t) => t.mode === 'video')!;
  const inPerson = types.find((t) => t.mode === 'in-person')!;
  const soon = new Date(now.getTime() + 10 * 60_000);
  const book = async (typeId: typeof video.id, start: string) => {
    const r = value(await a.api.call('appointments.book', { patientId: reg.patient.id as PatientId, providerId: me, typeId, start, confirmWarnings: true }));
    if (r.status !== 'booked') throw new Error('setup');
    return r.appointment;
  };
  const appt = await book(video.id, local(soon));

  // Without the clinic cloud there is no link to give.
  const offline = await a.api.call('visits.createLink', { appointmentId: appt.id });
  expect(!offline.ok && offline.error.code).toBe('not-enrolled');
  value(await syncA.enroll(cloud.url, (await createTenant(cloud.store, 'Maple Street')).setupCode, 'Front desk'));

  const link = value(await a.api.call('visits.createLink', { appointmentId: appt.id }));
  expect(link.url).toMatch(new RegExp(`^${cloud.url}/v/[A-Za-z0-9_-]{22}$`));
  for (const phi of ['Videoworth', 'Ottilie', reg.patient.mrn, appt.id, reg.patient.id]) expect(link.url).not.toContain(phi);
  expect(Date.parse(link.validFrom)).toBe(Date.parse(appt.start) - 30 * 60_000);
  expect(value(await a.api.call('visits.createLink', { appointmentId: appt.id }))).toEqual(link);

  const token = link.url.slice(link.url.lastIndexOf('/') + 1);
  const status = (await (await fetch(`${cloud.url}/v1/visit-links/${token}`)).json()) as { value: { state: string; identityKey: string; clinicName: string; appointmentAt: string } };
  expect(status.value.state).toBe('open');
  // The patient's page names the clinic and the appointment's time (nothing about the patient).
  expect([status.value.clinicName, Date.parse(status.value.appointmentAt)]).toEqual(['Maple Street', Date.parse(appt.start)]);
  const jwk = JSON.parse(status.value.identityKey) as Record<string, string>;
  expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
  expect(jwk.d).toBeUndefined(); // only the public half leaves the workstation

  // The physician's workstation sees the same link.
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(await b.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  expect(value(await b.api.call('visits.link', { appointmentId: appt.id }))).toEqual(link);

  // A link for tomorrow is not open yet; an in-person appointment has none.
  const tomorrow = await book(video.id, local(new Date(now.getTime() + 26 * 3600_000)));
  const later = value(await a.api.call('visits.createLink', { appointmentId: tomorrow.id }));
  const laterState = (await (await fetch(`${cloud.url}/v1/visit-links/${later.url.split('/v/')[1]}`)).json()) as { value: { state: string } };
  expect(laterState.value.state).toBe('not-yet');
  const office = await book(inPerson.id, local(new Date(now.getTime() + 3 * 3600_000)));
  const refused = await a.api.call('visits.createLink', { appointmentId: office.id });
  expect(!refused.ok && refused.error.code).toBe('not-a-video-visit');

  value(await a.api.call('visits.revokeLink', { appointmentId: appt.id }));
  const revoked = (await (await fetch(`${cloud.url}/v1/visit-links/${token}`)).json()) as { value: { state: string } };
  expect(revoked.value.state).toBe('revoked');
  expect(value(await a.api.call('visits.link', { appointmentId: appt.id }))?.state).toBe('revoked');
  // With the clinic's public address set, a new link points there (the cloud as patients reach it).
  value(await a.api.call('settings.update', { publicAddress: 'https://visits.maplestreet.example/' }));
  expect(value(await a.api.call('settings.get', {}))).toMatchObject({ publicAddress: 'https://visits.maplestreet.example/', autoLockSeconds: 600 });
  const fresh = value(await a.api.call('visits.createLink', { appointmentId: appt.id }));
  expect(fresh.url).toMatch(/^https:\/\/visits\.maplestreet\.example\/v\/[A-Za-z0-9_-]{22}$/);
  expect(fresh.state).toBe('active');
  const bad = await a.api.call('settings.update', { publicAddress: 'visits maplestreet' });
  expect(!bad.ok && bad.error.message).toBe("The clinic's public address must be an address like https://visits.example.org");
  const audit = value(await a.api.call('audit.query', { limit: 50 }));
  expect(audit.filter((e) => e.action === 'visits.createLink')).toHaveLength(3);
  expect(audit.find((e) => e.action === 'visits.revokeLink')?.patientId).toBe(reg.patient.id);
});
