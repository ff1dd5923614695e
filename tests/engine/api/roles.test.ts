// What each role may and may not call. The expected lists are written out here, independently
// of shared/domain/roles.ts, so a change to the permission table must be made twice on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type CallName } from '../../../shared/api/contract';
import type { Role } from '../../../shared/domain/roles';
import { patient, setUpClinic, value } from '../../helpers/engine';
import { validInputs } from '../../helpers/examples';

const everyone: CallName[] = [
  'setup.status', 'setup.initialize', 'session.current', 'session.signIn', 'session.unlock', 'session.lock',
  'session.signOut', 'session.activity', 'session.changePassword', 'settings.get',
];
const patientsRead: CallName[] = ['patients.search', 'patients.get'];
const patientsWrite: CallName[] = ['patients.register', 'patients.update'];
const admin: CallName[] = ['users.list', 'users.create', 'users.update', 'users.disable', 'users.resetPassword', 'settings.update', 'audit.query', 'audit.verify'];

const allowed: Record<Role, CallName[]> = {
  admin: [...everyone, ...admin],
  physician: [...everyone, ...patientsRead, ...patientsWrite],
  nurse: [...everyone, ...patientsRead],
  'front-desk': [...everyone, ...patientsRead, ...patientsWrite],
};

let c: Awaited<ReturnType<typeof setUpClinic>>;
let inputs: ReturnType<typeof validInputs>;
const password = 'role-user-passphrase';

beforeAll(async () => {
  c = await setUpClinic({ roles: ['admin', 'front-desk'] });
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  if (reg.status !== 'created') throw new Error('setup');
  const victim = value(await c.api.call('users.create', { username: 'victim', displayName: 'Victim', roles: ['nurse'], password: 'victim-passphrase-1' }));
  for (const role of Object.keys(allowed) as Role[]) {
    value(await c.api.call('users.create', { username: `only-${role}`, displayName: role, roles: [role], password }));
  }
  inputs = validInputs({ patientId: reg.patient.id, userId: victim.id, password });
});
afterAll(async () => c.cleanup());

describe.each(Object.keys(allowed) as Role[])('%s', (role) => {
  it('may call exactly its calls; every other call is permission-denied', async () => {
    const outcome: Record<string, string> = {};
    for (const name of callNames) {
      value(await c.api.call('session.signIn', { username: `only-${role}`, password }));
      const r = await c.invoke(name, inputs[name]);
      outcome[name] = r.ok ? 'ok' : r.error.code;
    }
    const permitted = callNames.filter((n) => outcome[n] !== 'permission-denied');
    expect(permitted.sort()).toEqual([...allowed[role]].sort());
    // Allowed calls really ran (no other refusal hiding behind "not denied").
    for (const n of allowed[role].filter((x) => !['setup.initialize', 'session.signIn'].includes(x))) {
      expect(outcome[n], `${role} → ${n}`).toBe('ok');
    }
    expect(outcome['setup.initialize']).toBe('already-initialized');
  });
});

it('audits a refused attempt to read patient data', async () => {
  value(await c.api.call('session.signIn', { username: 'only-admin', password }));
  const r = await c.api.call('patients.search', { query: 'okafor' });
  expect(!r.ok && r.error.code).toBe('permission-denied');
  const rows = value(await c.api.call('audit.query', { limit: 5 }));
  expect(rows.find((x) => x.action === 'patients.search')).toMatchObject({ username: 'only-admin', outcome: 'denied' });
});
