// Child process for the crash test: registers patients as fast as it can and prints
// "ack <id>" after each registration the engine has acknowledged, until it is killed.
import { adminPassword, openEngine, patient } from './engine';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer DATA_DIR');
const { api } = await openEngine(dataDir);
const signIn = await api.call('session.signIn', { username: 'admin', password: adminPassword });
if (!signIn.ok) throw new Error(signIn.error.code);
for (let i = 0; ; i++) {
  const r = await api.call('patients.register', {
    fields: patient({ familyName: `Crash${i.toString(36)}x`, givenNames: 'Kay', dateOfBirth: '1990-01-01', phone: '' }),
    duplicateOverride: { reason: 'crash test series' },
  });
  if (!r.ok || r.value.status !== 'created') throw new Error('register failed');
  process.stdout.write(`ack ${r.value.patient.id}\n`);
}
