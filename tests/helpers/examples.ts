// One valid input for every contract call, for tests that sweep the whole contract.
import type { CallInput, CallName } from '../../shared/api/contract';
import type { PatientId, UserId } from '../../shared/domain/ids';
import { patient } from './engine';

export function validInputs(ids: { patientId: PatientId; userId: UserId; password: string }): { [K in CallName]: CallInput<K> } {
  return {
    'setup.status': {},
    'setup.initialize': {
      clinicName: 'Another Clinic',
      admin: { username: 'other', displayName: 'Other', roles: ['admin'], password: 'another-long-passphrase' },
    },
    'session.current': {},
    'session.signIn': { username: 'nobody-here', password: 'whatever-it-is' },
    'session.unlock': { password: ids.password },
    'session.lock': {},
    'session.signOut': {},
    'session.activity': {},
    'session.changePassword': { currentPassword: ids.password, newPassword: ids.password },
    'users.list': {},
    'users.create': { username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: 'New Person', roles: ['nurse'], password: 'new-person-passphrase' },
    'users.update': { userId: ids.userId, displayName: 'Victor Victim', roles: ['nurse'] },
    'users.disable': { userId: ids.userId },
    'users.resetPassword': { userId: ids.userId, newPassword: 'victim-passphrase-2' },
    'settings.get': {},
    'settings.update': { autoLockSeconds: 900 },
    'patients.search': { query: 'okafor', limit: 10 },
    'patients.get': { patientId: ids.patientId },
    'patients.register': { fields: patient({ familyName: 'Register', givenNames: 'Example', dateOfBirth: '2001-01-01', phone: '' }) },
    'patients.update': { patientId: ids.patientId, fields: patient({ preferredName: 'Chi' }) },
    'audit.query': { limit: 10 },
    'audit.verify': {},
  };
}
