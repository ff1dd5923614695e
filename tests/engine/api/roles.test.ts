// What each role may and may not call. The expected lists are written out here, independently
// of shared/domain/roles.ts, so a change to the permission table must be made twice on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type CallName } from '../../../shared/api/contract';
import type { Role } from '../../../shared/domain/roles';
import { adminPassword, setUpClinic, value } from '../../helpers/engine';
import { buildFixture, validInputs } from '../../helpers/examples';

const everyone: CallName[] = [
  'setup.status', 'setup.initialize', 'setup.join', 'setup.restoreFromCloud', 'session.current', 'session.signIn', 'session.unlock', 'session.lock',
  'session.signOut', 'session.activity', 'session.changePassword', 'settings.get', 'schedule.providers', 'schedule.hours', 'schedule.types',
  'sync.status', 'sync.now', 'updates.status', 'updates.noteEditing',
];
const demographicsRead: CallName[] = ['patients.search', 'patients.get', 'patients.list', 'sync.conflicts', 'sync.resolveConflict'];
const demographicsWrite: CallName[] = ['patients.register', 'patients.registerMany', 'patients.update', 'patients.merge'];
const scheduleRead: CallName[] = ['appointments.list', 'visits.link', 'visits.waiting'];
const frontDeskSchedule: CallName[] = ['visits.createLink', 'visits.revokeLink', 'appointments.book', 'appointments.move', 'appointments.cancel', 'appointments.noShow', 'appointments.undoNoShow', 'appointments.checkIn', 'appointments.checkOut'];
const rooming: CallName[] = ['appointments.room', 'appointments.startVisit'];
const chartRead: CallName[] = ['chart.summary', 'encounters.get', 'notes.templates', 'documents.get', 'documents.chunk'];
const nursing: CallName[] = ['medications.add', 'medications.stop', 'medications.inactivate', 'vitals.markError', 'allergies.add', 'allergies.setNoneKnown', 'allergies.remove', 'vitals.record', 'immunizations.add'];
const clinical: CallName[] = ['visits.join', 'visits.admit', 'visits.signal', 'visits.chat', 'visits.camera', 'visits.end', 'visits.leave', 'encounters.open', 'notes.saveDraft', 'notes.saveTemplate', 'problems.add', 'problems.update', 'labs.add', 'labs.markError', 'documents.upload', 'documents.beginUpload', 'documents.uploadChunk', 'documents.finishUpload'];
const signing: CallName[] = ['notes.sign', 'notes.addAddendum'];
const administration: CallName[] = [
  'users.list', 'users.create', 'users.update', 'users.disable', 'users.resetPassword', 'settings.update', 'audit.query', 'audit.export', 'audit.verify', 'backup.write', 'backup.status', 'backup.setFolder', 'backup.runNow', 'backup.drill',
  'audit.emergencyAccesses', 'schedule.candidates', 'schedule.setProvider', 'schedule.setHours', 'schedule.saveType',
  'sync.enroll', 'sync.takeRecoveryCode', 'devices.list', 'devices.enrollCode', 'devices.revoke', 'sync.lockDown', 'undo.preview', 'undo.apply', 'restore.keptAside', 'restore.reapply', 'sync.refused', 'sync.acknowledgeRefused',
  'visits.iceSettings', 'visits.setIceSettings', 'updates.installNow', 'updates.overview', 'updates.change', 'updates.setGroup',
];
/** Allowed, but on a workstation with no cloud they answer with a clear error, not a result. */
/** Allowed, but with no backup folder chosen: a clear refusal. */
const needsFolder: CallName[] = ['backup.runNow', 'backup.drill'];
const needsCloud: CallName[] = ['backup.write', 'sync.enroll', 'devices.list', 'devices.enrollCode', 'devices.revoke', 'sync.lockDown', 'undo.preview', 'undo.apply', 'visits.iceSettings', 'visits.setIceSettings', 'updates.overview', 'updates.change', 'updates.setGroup'];
/** Allowed, but the fixture's upload was begun by another user: only its own user may go on with it. */
const ownUpload: CallName[] = ['documents.uploadChunk', 'documents.finishUpload'];
/** Allowed, but the fixture's appointment is in person: a clear refusal, not a result. */
const needsVideo: CallName[] = ['visits.createLink', 'visits.revokeLink', 'visits.join', 'visits.admit', 'visits.signal', 'visits.chat', 'visits.camera', 'visits.end'];

const allowed: Record<Role, CallName[]> = {
  admin: [...everyone, ...administration, 'emergency.open'],
  physician: [...everyone, ...demographicsRead, ...demographicsWrite, ...scheduleRead, ...frontDeskSchedule, ...rooming, ...chartRead, ...nursing, ...clinical, ...signing],
  nurse: [...everyone, ...demographicsRead, ...scheduleRead, ...rooming, ...chartRead, ...nursing],
  'front-desk': [...everyone, ...demographicsRead, ...demographicsWrite, ...scheduleRead, ...frontDeskSchedule, 'emergency.open'],
};

let c: Awaited<ReturnType<typeof setUpClinic>>;
const password = 'role-user-passphrase';

beforeAll(async () => {
  c = await setUpClinic({ roles: ['admin', 'physician', 'nurse', 'front-desk'] });
  for (const role of Object.keys(allowed) as Role[]) {
    value(await c.api.call('users.create', { username: `only-${role}`, displayName: role, roles: [role], password }));
  }
});
afterAll(async () => c.cleanup());

describe.each(Object.keys(allowed) as Role[])('%s', (role) => {
  it('may call exactly its calls; every other call is permission-denied', async () => {
    value(await c.api.call('session.signIn', { username: 'admin', password: adminPassword }));
    const inputs = validInputs(await buildFixture(c.api), password);
    const outcome: Record<string, string> = {};
    for (const name of callNames) {
      value(await c.api.call('session.signIn', { username: `only-${role}`, password }));
      const r = await c.invoke(name, inputs[name]);
      outcome[name] = r.ok ? 'ok' : r.error.code;
    }
    const permitted = callNames.filter((n) => outcome[n] !== 'permission-denied');
    expect(permitted.sort()).toEqual([...new Set(allowed[role])].sort());
    // Allowed calls really ran (no other refusal hiding behind "not denied").
    const refused = allowed[role].filter((n) => !['setup.initialize', 'setup.join', 'setup.restoreFromCloud', 'session.signIn', 'sync.resolveConflict', 'sync.acknowledgeRefused', 'restore.reapply', 'updates.installNow', ...needsCloud, ...needsFolder, ...needsVideo, ...ownUpload].includes(n) && outcome[n] !== 'ok');
    expect(refused.map((n) => `${n}: ${outcome[n]}`)).toEqual([]);
    for (const n of needsCloud.filter((x) => allowed[role].includes(x))) expect(['not-enrolled', 'cloud-unreachable']).toContain(outcome[n]);
    for (const n of needsFolder.filter((x) => allowed[role].includes(x))) expect(outcome[n]).toBe('no-backup-folder');
    expect(outcome['setup.initialize']).toBe('already-initialized');
    expect(outcome['setup.join']).toBe('already-initialized');
    expect(outcome['setup.restoreFromCloud']).toBe('already-initialized');
    // The fixture has no open conflict: allowed, and answered as such.
    if (allowed[role].includes('sync.resolveConflict')) expect(outcome['sync.resolveConflict']).toBe('not-found');
    if (allowed[role].includes('sync.acknowledgeRefused')) expect(outcome['sync.acknowledgeRefused']).toBe('not-found');
    if (allowed[role].includes('restore.reapply')) expect(outcome['restore.reapply']).toBe('not-found');
    // No update is waiting here: allowed, and answered as such.
    if (allowed[role].includes('updates.installNow')) expect(outcome['updates.installNow']).toBe('not-found');
    for (const n of ownUpload.filter((x) => allowed[role].includes(x))) expect(outcome[n]).toBe('not-found');
    for (const n of needsVideo.filter((x) => allowed[role].includes(x))) expect(['not-a-video-visit', 'not-found', 'cloud-unreachable']).toContain(outcome[n]);
  });
});

it('audits a refused attempt to read patient data', async () => {
  value(await c.api.call('session.signIn', { username: 'only-admin', password }));
  const r = await c.api.call('patients.search', { query: 'okafor' });
  expect(!r.ok && r.error.code).toBe('permission-denied');
  const rows = value(await c.api.call('audit.query', { limit: 5 }));
  expect(rows.find((x) => x.action === 'patients.search')).toMatchObject({ username: 'only-admin', outcome: 'denied' });
});
