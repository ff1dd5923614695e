// Undoing one user's changes after a time, on every workstation they used (issue 12, point 4):
// each change set carries its author sealed inside it (envelope v2, the signed-in user of the
// call that wrote it). A user whose password was taken rewrites patients' names on two
// workstations; another user edits one of those patients after, on the same workstation. The
// undo takes back only the first user's changes, from both workstations, keeps the other user's
// edit, and says whose changes it undid.
import { afterEach, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/engine/sync/client';
import { firstWorkstation, startTestCloud } from '../../helpers/cloud';
import { adminPassword, joinClinic, patient, patientFields, value } from '../../helpers/engine';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const mal = { username: 'mal', password: 'mal-own-password-2026' };

it('undoes one user’s changes after a time on every workstation, and keeps everyone else’s', async () => {
  const cloud = await startTestCloud();
  cleanups.push(cloud.close);
  const { a, sync: syncA } = await firstWorkstation(cloud, { username: 'ada', roles: ['admin', 'physician', 'front-desk'] });
  cleanups.push(a.cleanup);
  const malUser = value(await a.api.call('users.create', { username: mal.username, displayName: 'Mal Front', roles: ['front-desk'], password: mal.password }));
  const ids: string[] = [];
  for (const [i, family] of ['Eckhart', 'Fairweather', 'Goodall'].entries()) {
    const r = value(await a.api.call('patients.register', { fields: patient({ familyName: family, givenNames: 'Iris', dateOfBirth: `197${i}-04-0${i + 1}`, phone: `(555) 440-100${i}` }) }));
    if (r.status !== 'created') throw new Error('setup');
    ids.push(r.patient.id);
  }
  value(await syncA.syncOnce());
  const b = await joinClinic(cloud.url, value(await syncA.createEnrollCode()).code, [syncA]);
  cleanups.push(b.cleanup);
  value(b.joined);
  const syncB = new SyncClient(b.engine.syncHost);
  await new Promise((r) => setTimeout(r, 20));
  const after = new Date().toISOString();

  // Mal on A rewrites two names; on B, the third.
  const rename = async (w: Pick<typeof a, 'api'>, id: string, familyName: string) => {
    const fields = patientFields(value(await w.api.call('patients.get', { patientId: id })));
    value(await w.api.call('patients.update', { patientId: id, fields: { ...fields, familyName } }));
  };
  value(await a.api.call('session.signOut', {}));
  value(await a.api.call('session.signIn', mal));
  await rename(a, ids[0]!, 'WIPED');
  await rename(a, ids[1]!, 'WIPED');
  value(await b.api.call('session.signIn', mal));
  await rename(b, ids[2]!, 'WIPED');
  value(await syncB.syncOnce());
  // Then Ada, on A, corrects another field of the first patient: hers stays.
  value(await a.api.call('session.signOut', {}));
  value(await a.api.call('session.signIn', { username: 'ada', password: adminPassword }));
  const first = patientFields(value(await a.api.call('patients.get', { patientId: ids[0]! })));
  value(await a.api.call('patients.update', { patientId: ids[0]!, fields: { ...first, phone: '(555) 440-9999' } }));
  value(await syncA.syncOnce());

  const preview = value(await a.api.call('undo.preview', { userId: malUser.id, after }));
  expect(preview).toMatchObject({ whose: 'Mal Front (mal)', changeSets: 3 });
  expect(preview.patients.map((p) => p.name).sort()).toEqual(['WIPED, Iris', 'WIPED, Iris', 'WIPED, Iris']);
  expect(await a.api.call('undo.preview', { after })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

  const applied = value(await a.api.call('undo.apply', { userId: malUser.id, after }));
  expect(applied.changeSets).toBe(3);
  const names = async (w: Pick<typeof a, 'api'>) => Promise.all(ids.map(async (id) => value(await w.api.call('patients.get', { patientId: id })).familyName));
  expect(await names(a)).toEqual(['Eckhart', 'Fairweather', 'Goodall']);
  expect(value(await a.api.call('patients.get', { patientId: ids[0]! })).phone).toBe('(555) 440-9999');
  // B takes the undo like any change.
  value(await syncA.syncOnce());
  value(await syncB.syncOnce());
  expect(await names(b)).toEqual(['Eckhart', 'Fairweather', 'Goodall']);
  const audit = value(await a.api.call('audit.query', { limit: 50 })).filter((r) => r.action === 'undo.apply');
  expect(audit.map((r) => r.detail).join(' | ')).toMatch(/undo of Mal Front \(mal\) after .*: 3 change sets/);
}, 60_000);
