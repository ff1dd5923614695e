// Break the glass: a user without a clinical role opens one chart for one hour after giving a
// reason; the access is marked in the audit log, listed for admins, and ends on time.
import { afterEach, expect, it } from 'vitest';
import { adminPassword, patient, setUpClinic, value, clinicOf } from '../../helpers/engine';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

it('grants read-only access to one chart for an hour, audited, listed for admins, and then ends', async () => {
  const c = await setUpClinic({ roles: ['admin', 'physician'] });
  cleanup = c.cleanup;
  const reg = value(await c.api.call('patients.register', { fields: patient() }));
  const other = value(await c.api.call('patients.register', { fields: patient({ familyName: 'Other', givenNames: 'One', phone: '', dateOfBirth: '1999-01-01' }) }));
  if (reg.status !== 'created' || other.status !== 'created') throw new Error('setup');
  const patientId = reg.patient.id;
  value(await c.api.call('allergies.add', { patientId, allergy: { substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe' } }));
  value(await c.api.call('users.create', { username: 'desk', displayName: 'Fran Desk', roles: ['front-desk'], password: 'front-desk-passphrase' }));

  value(await c.api.call('session.signIn', { username: 'desk', password: 'front-desk-passphrase' }));
  const before = await c.api.call('chart.summary', { patientId });
  expect(!before.ok && before.error.code).toBe('permission-denied');
  const noReason = await c.api.call('emergency.open', { patientId, reason: 'because' });
  expect(!noReason.ok && noReason.error.code).toBe('invalid-input');

  const grant = value(await c.api.call('emergency.open', { patientId, reason: 'Patient collapsed at the front desk; EMS asking about allergies' }));
  const minutes = (Date.parse(grant.expiresAt) - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(59);
  expect(minutes).toBeLessThanOrEqual(60);
  const summary = value(await c.api.call('chart.summary', { patientId }));
  expect(summary.allergies.map((a) => a.substance)).toEqual(['Penicillin']);
  expect(summary.emergencyAccessUntil).toBe(grant.expiresAt);
  // Only that patient, and only reading.
  const otherChart = await c.api.call('chart.summary', { patientId: other.patient.id });
  expect(!otherChart.ok && otherChart.error.code).toBe('permission-denied');
  const write = await c.api.call('allergies.add', { patientId, allergy: { substance: 'Latex', reaction: '' } });
  expect(!write.ok && write.error.code).toBe('permission-denied');

  value(await c.api.call('session.signIn', { username: 'admin', password: adminPassword }));
  const log = value(await c.api.call('audit.query', { patientId, limit: 10 }));
  expect(log.find((r) => r.action === 'emergency.open')).toMatchObject({ username: 'desk', outcome: 'success' });
  expect(log.find((r) => r.action === 'chart.summary' && r.username === 'desk')?.detail).toContain('emergency access');
  const accesses = value(await c.api.call('audit.emergencyAccesses', {}));
  expect(accesses).toMatchObject([{ username: 'desk', patientName: 'Okafor, Chidinma Grace', reason: 'Patient collapsed at the front desk; EMS asking about allergies' }]);

  // An hour later the grant has run out.
  await clinicOf(c.engine).write((m) => m.update('emergency_access', accesses[0]!.id, { expires_at: new Date(Date.now() - 1000).toISOString() }));
  value(await c.api.call('session.signIn', { username: 'desk', password: 'front-desk-passphrase' }));
  const after = await c.api.call('chart.summary', { patientId });
  expect(!after.ok && after.error.code).toBe('permission-denied');
});
