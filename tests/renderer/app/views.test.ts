// The app's one view table decides, per role, where a user lands, what the navigation offers
// and where a view they may not see sends them; listed here independently, role by role.
import { expect, it } from 'vitest';
import { gate, landingFor, navFor } from '../../../renderer/src/app/views';
import { permissionsOf, type Role } from '../../../shared/domain/roles';

const labels = (roles: Role[]) => navFor(permissionsOf(roles)).map((n) => n.label);

it('gives each role its landing view and navigation', () => {
  expect(landingFor(permissionsOf(['front-desk'])).kind).toBe('queue');
  expect(labels(['front-desk'])).toEqual(['Today', 'Schedule', 'Patients', 'Sync conflicts']);
  expect(landingFor(permissionsOf(['nurse'])).kind).toBe('queue');
  expect(labels(['physician'])).toEqual(['Today', 'Schedule', 'Patients', 'Note templates', 'Sync conflicts']);
  // A pure admin sees no patient records and lands on the users.
  expect(landingFor(permissionsOf(['admin'])).kind).toBe('users');
  expect(labels(['admin'])).toEqual(['Users', 'Schedule set-up', 'Workstations', 'Updates', 'Security', 'Audit log', 'Settings']);
  expect(labels(['admin', 'physician'])).toEqual(['Today', 'Schedule', 'Patients', 'Note templates', 'Users', 'Schedule set-up', 'Workstations', 'Updates', 'Security', 'Sync conflicts', 'Audit log', 'Settings']);
});

it('sends a view the user may not see to their landing view', () => {
  const admin = permissionsOf(['admin']);
  expect(gate({ kind: 'search' }, admin).kind).toBe('users');
  expect(gate({ kind: 'print-patient', patientId: 'p' as never }, admin).kind).toBe('users');
  expect(gate({ kind: 'audit' }, permissionsOf(['front-desk'])).kind).toBe('queue');
  expect(gate({ kind: 'updates' }, permissionsOf(['physician'])).kind).toBe('queue');
  expect(gate({ kind: 'patient', id: 'p' as never }, permissionsOf(['nurse']))).toEqual({ kind: 'patient', id: 'p' });
});
