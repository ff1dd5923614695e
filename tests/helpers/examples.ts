// A clinic with something of everything, and one valid input for every contract call built on
// it, for tests that sweep the whole contract. Each state-changing call gets its own target
// (an appointment already at the right step, a note in the right state) so every call can run.
import type { CallInput, CallName } from '../../shared/api/contract';
import { createHash } from 'node:crypto';
import type { ChartroomClient as ChartClient } from '../../shared/api/transport';
import { patient, value } from './engine';

export interface Fixture {
  patientId: string;
  otherPatientId: string;
  /** A second record of the first patient, for the merge. */
  twinId: string;
  userId: string;
  providerId: string;
  typeId: string;
  appointments: Record<'move' | 'cancel' | 'noShow' | 'checkIn' | 'room' | 'startVisit' | 'checkOut' | 'undoNoShow', string>;
  encounterId: string;
  draftNoteId: string;
  noteToSignId: string;
  signedNoteId: string;
  problemId: string;
  medicationId: string;
  otherMedicationId: string;
  vitalsId: string;
  labId: string;
  allergyId: string;
  documentId: string;
  /** An upload begun by the fixture's user, with no chunk sent yet. */
  uploadId: string;
  templateId: string;
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');

/** Builds the fixture; `api` must be signed in as a user holding every role. */
export async function buildFixture(api: ChartClient, day = '2030-06-03'): Promise<Fixture> {
  const reg = value(await api.call('patients.register', { fields: patient(), duplicateOverride: { reason: 'fixture patient' } }));
  const other = value(await api.call('patients.register', { fields: patient({ familyName: 'Other', givenNames: 'Person', dateOfBirth: '1970-07-07', phone: '' }), duplicateOverride: { reason: 'fixture patient' } }));
  const twin = value(await api.call('patients.register', { fields: patient({ givenNames: 'Chidinma', phone: '' }), duplicateOverride: { reason: 'fixture twin' } }));
  if (reg.status !== 'created' || other.status !== 'created' || twin.status !== 'created') throw new Error('fixture patients');
  const patientId = reg.patient.id;
  const victim = value(await api.call('users.create', { username: `victim${Math.random().toString(36).slice(2, 7)}`, displayName: 'Victim', roles: ['nurse'], password: 'victim-passphrase-1' }));
  const doc = value(await api.call('users.create', { username: `doc${Math.random().toString(36).slice(2, 7)}`, displayName: 'Dr Fixture', roles: ['physician'], password: 'doctor-passphrase-1' }));
  const typeId = value(await api.call('schedule.types', {}))[0]!.id;
  let hour = 8;
  const book = async () => {
    const r = value(await api.call('appointments.book', { patientId, providerId: doc.id, typeId, start: `${day}T${String(hour++).padStart(2, '0')}:00`, durationMinutes: 30, confirmWarnings: true }));
    if (r.status !== 'booked') throw new Error('fixture booking');
    return r.appointment.id;
  };
  const appointments = {
    move: await book(), cancel: await book(), noShow: await book(), checkIn: await book(), room: await book(), startVisit: await book(), checkOut: await book(),
    undoNoShow: await book(),
  };
  value(await api.call('appointments.noShow', { appointmentId: appointments.undoNoShow }));
  for (const id of [appointments.room, appointments.startVisit, appointments.checkOut]) value(await api.call('appointments.checkIn', { appointmentId: id }));
  for (const id of [appointments.startVisit, appointments.checkOut]) value(await api.call('appointments.room', { appointmentId: id }));
  value(await api.call('appointments.startVisit', { appointmentId: appointments.checkOut }));

  const soap = { subjective: 'Cough for 3 days', objective: 'Clear lungs', assessment: 'Viral URI', plan: 'Fluids, rest' };
  const e1 = value(await api.call('encounters.open', { patientId, appointmentId: appointments.checkOut }));
  const e2 = value(await api.call('encounters.open', { patientId }));
  const e3 = value(await api.call('encounters.open', { patientId }));
  value(await api.call('notes.saveDraft', { patientId, noteId: e2.note.id, soap }));
  value(await api.call('notes.saveDraft', { patientId, noteId: e3.note.id, soap }));
  value(await api.call('notes.sign', { patientId, noteId: e3.note.id }));

  const problem = value(await api.call('problems.add', { patientId, problem: { description: 'Hypertension', icd10: 'I10' } }));
  const allergy = value(await api.call('allergies.add', { patientId, allergy: { substance: 'Latex', reaction: 'Rash', severity: 'mild' } }));
  const med = value(await api.call('medications.add', { patientId, medication: { name: 'Lisinopril', dose: '10 mg', route: 'oral', frequency: 'daily' } }));
  const med2 = value(await api.call('medications.add', { patientId, medication: { name: 'Atorvastatin', dose: '20 mg', route: 'oral', frequency: 'nightly' } }));
  if (med.status !== 'added' || med2.status !== 'added') throw new Error('fixture medication');
  const vitals = value(await api.call('vitals.record', { patientId, vitals: { systolic: 150, diastolic: 95, heartRate: 88 } }));
  const lab = value(await api.call('labs.add', { patientId, lab: { test: 'Potassium', loinc: '2823-3', value: 9.9, unit: 'mmol/L', refLow: 3.5, refHigh: 5.1, collectedOn: '2026-10-01' } }));
  const document = value(await api.call('documents.upload', { patientId, title: 'Referral letter', mime: 'application/pdf', data: pdf }));
  const tiny = Buffer.from(pdf, 'base64');
  const upload = value(await api.call('documents.beginUpload', { patientId, title: 'Scan', mime: 'application/pdf', bytes: tiny.length, sha256: createHash('sha256').update(tiny).digest('hex') }));
  const template = value(await api.call('notes.saveTemplate', { template: { name: 'Cold', subjective: 'Symptoms:', objective: '', assessment: '', plan: '' } }));
  return {
    patientId, otherPatientId: other.patient.id, twinId: twin.patient.id, userId: victim.id, providerId: doc.id, typeId, appointments, encounterId: e1.id,
    draftNoteId: e1.note.id, noteToSignId: e2.note.id, signedNoteId: e3.note.id, problemId: problem.id, medicationId: med.medication.id,
    otherMedicationId: med2.medication.id, vitalsId: vitals.id, labId: lab.id,
    allergyId: allergy.id, documentId: document.id, uploadId: upload.uploadId, templateId: template.id,
  };
}

export function validInputs(f: Fixture, password: string): { [K in CallName]: CallInput<K> } {
  const p = f.patientId as never;
  const soap = { subjective: 'Better today', objective: '', assessment: 'Improving', plan: 'Review in a week' };
  return {
    'setup.status': {},
    'setup.initialize': { clinicName: 'Another Clinic', admin: { username: 'other', displayName: 'Other', roles: ['admin'], password: 'another-long-passphrase' } },
    'patients.merge': { keepId: p, mergeId: f.twinId as never, reason: 'same person registered twice' },
    'sync.resolveConflict': { id: 999_999 },
    'sync.refused': {},
    'visits.createLink': { appointmentId: f.appointments.move as never },
    'visits.link': { appointmentId: f.appointments.move as never },
    'visits.revokeLink': { appointmentId: f.appointments.move as never },
    'visits.waiting': {},
    'visits.iceSettings': {},
    'visits.setIceSettings': { stunUrls: ['stun:stun.example.org:3478'], turnUrls: [], turnSecret: '' },
    'visits.join': { appointmentId: f.appointments.move as never },
    'visits.admit': { appointmentId: f.appointments.move as never },
    'visits.signal': { appointmentId: f.appointments.move as never, call: 1, data: { type: 'offer', sdp: 'v=0' } },
    'visits.chat': { appointmentId: f.appointments.move as never, text: 'hello' },
    'visits.camera': { appointmentId: f.appointments.move as never, on: false },
    'visits.end': { appointmentId: f.appointments.move as never, encounterId: f.encounterId as never },
    'visits.leave': { appointmentId: f.appointments.move as never },
    'sync.acknowledgeRefused': { msgId: '00000000-0000-0000-0000-000000000000', seq: 1 },
    'setup.join': { cloudUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKMN-PQRS', deviceName: 'Exam room 2' },
    'session.current': {},
    'session.signIn': { username: 'nobody-here', password: 'whatever-it-is' },
    'session.unlock': { password },
    'session.lock': {},
    'session.signOut': {},
    'session.activity': {},
    'session.changePassword': { currentPassword: password, newPassword: password },
    'users.list': {},
    'users.create': { username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: 'New Person', roles: ['nurse'], password: 'new-person-passphrase' },
    'users.update': { userId: f.userId as never, displayName: 'Victor Victim', roles: ['nurse'] },
    'users.disable': { userId: f.userId as never },
    'users.resetPassword': { userId: f.userId as never, newPassword: 'victim-passphrase-2' },
    'settings.get': {},
    'settings.update': { autoLockSeconds: 900 },
    'patients.search': { query: 'okafor', limit: 10 },
    'patients.get': { patientId: p },
    'patients.register': { fields: patient({ familyName: 'Register', givenNames: 'Example', dateOfBirth: '2001-01-01', phone: '' }) },
    'patients.registerMany': { patients: [patient({ familyName: 'Many', givenNames: 'Example', dateOfBirth: '2002-02-02', phone: '' })], reason: 'example bulk registration' },
    'patients.list': { after: null, limit: 10 },
    'patients.update': { patientId: p, fields: patient({ preferredName: 'Chi' }) },
    'schedule.providers': {},
    'schedule.candidates': {},
    'schedule.setProvider': { userId: f.providerId as never, active: true },
    'schedule.hours': {},
    'schedule.setHours': { hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, open: weekday > 0 && weekday < 6, opens: '08:00', closes: '18:00' })) },
    'schedule.types': {},
    'schedule.saveType': { type: { name: 'Procedure', durationMinutes: 60, mode: 'in-person', active: true } },
    'appointments.list': { from: '2030-06-03', to: '2030-06-09' },
    'appointments.book': { patientId: p, providerId: f.providerId as never, typeId: f.typeId as never, start: '2030-06-04T10:00', confirmWarnings: true },
    'appointments.move': { appointmentId: f.appointments.move as never, start: '2030-06-05T11:00', confirmWarnings: true },
    'appointments.cancel': { appointmentId: f.appointments.cancel as never, reason: 'Patient called to cancel' },
    'appointments.noShow': { appointmentId: f.appointments.noShow as never },
    'appointments.undoNoShow': { appointmentId: f.appointments.undoNoShow as never },
    'appointments.checkIn': { appointmentId: f.appointments.checkIn as never },
    'appointments.room': { appointmentId: f.appointments.room as never },
    'appointments.startVisit': { appointmentId: f.appointments.startVisit as never },
    'appointments.checkOut': { appointmentId: f.appointments.checkOut as never },
    'chart.summary': { patientId: p },
    'encounters.open': { patientId: p },
    'encounters.get': { patientId: p, encounterId: f.encounterId as never },
    'notes.saveDraft': { patientId: p, noteId: f.draftNoteId as never, soap },
    'notes.sign': { patientId: p, noteId: f.noteToSignId as never },
    'notes.addAddendum': { patientId: p, noteId: f.signedNoteId as never, text: 'Correction: plan review in 5 days.' },
    'notes.templates': {},
    'notes.saveTemplate': { template: { name: 'Follow-up', subjective: '', objective: '', assessment: '', plan: 'Return if worse' } },
    'problems.add': { patientId: p, problem: { description: 'Type 2 diabetes', icd10: 'E11.9' } },
    'problems.update': { patientId: p, problemId: f.problemId as never, problem: { description: 'Hypertension', icd10: 'I10', status: 'resolved' } },
    'medications.add': { patientId: p, medication: { name: 'Metformin', dose: '500 mg', route: 'oral', frequency: 'twice daily' } },
    'medications.stop': { patientId: p, medicationId: f.medicationId as never, stop: '2030-06-04' },
    'medications.inactivate': { patientId: p, medicationId: f.otherMedicationId as never, reason: 'Entered for the wrong patient' },
    'allergies.add': { patientId: p, allergy: { substance: 'Peanuts', reaction: 'Hives', severity: 'moderate' } },
    'allergies.setNoneKnown': { patientId: f.otherPatientId as never },
    'allergies.remove': { patientId: p, allergyId: f.allergyId as never, reason: 'Entered in error' },
    'vitals.record': { patientId: p, vitals: { systolic: 128, diastolic: 82, heartRate: 72 } },
    'vitals.markError': { patientId: p, vitalsId: f.vitalsId as never, reason: 'Taken on the wrong patient' },
    'immunizations.add': { patientId: p, immunization: { vaccine: 'Influenza', cvx: '158', date: '2026-10-01' } },
    'labs.add': { patientId: p, lab: { test: 'HbA1c', loinc: '4548-4', value: 6.1, unit: '%', refLow: 4, refHigh: 5.6, collectedOn: '2026-10-01' } },
    'labs.markError': { patientId: p, labId: f.labId as never, reason: 'Haemolysed sample' },
    'documents.upload': { patientId: p, title: 'Scan', mime: 'application/pdf', data: Buffer.from('%PDF-1.4 tiny').toString('base64') },
    'documents.get': { patientId: p, documentId: f.documentId as never },
    'documents.chunk': { patientId: p, documentId: f.documentId as never, index: 0 },
    'documents.beginUpload': { patientId: p, title: 'Scan', mime: 'application/pdf', bytes: 13, sha256: 'a'.repeat(64) },
    'documents.uploadChunk': { uploadId: f.uploadId, index: 0, data: Buffer.from('%PDF-1.4 tiny').toString('base64') },
    'documents.finishUpload': { uploadId: f.uploadId },
    'emergency.open': { patientId: p, reason: 'Unconscious patient in the waiting room' },
    'sync.status': {},
    'sync.now': {},
    'sync.enroll': { cloudUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKMN-PQRS', deviceName: 'Exam 3' },
    'sync.takeRecoveryCode': {},
    'sync.conflicts': {},
    'devices.list': {},
    'devices.enrollCode': {},
    'devices.revoke': { deviceId: '00000000-0000-4000-8000-000000000000' },
    'sync.lockDown': {},
    'restore.keptAside': {},
    'restore.reapply': { msgId: 'no-such-change-set' },
    'setup.restoreFromCloud': { cloudUrl: 'http://127.0.0.1:9', clinicId: '00000000-0000-4000-8000-000000000000', recoveryCode: 'AAAAAAAA-BBBBBBBB-CCCCCCCC-DDDDDDDD', deviceName: 'Rebuilt' },
    'undo.preview': { deviceId: '00000000-0000-4000-8000-000000000000', after: '2026-12-01T09:00:00.000Z' },
    'undo.apply': { deviceId: '00000000-0000-4000-8000-000000000000', after: '2026-12-01T09:00:00.000Z' },
    'audit.emergencyAccesses': {},
    'audit.query': { limit: 10 },
    'audit.export': {},
    'backup.write': { file: '/nowhere/roles-test.chartroom-backup' },
    'backup.status': {},
    'backup.setFolder': { folder: null },
    'backup.runNow': {},
    'backup.drill': { recoveryCode: 'ABCD-EFGH-JKMN-PQRS-TVWX' },
    'audit.verify': {},
    'updates.status': {},
    'updates.noteEditing': { encounterId: f.encounterId as never, editing: false },
    'updates.installNow': {},
    'updates.overview': {},
    'updates.change': { group: null, change: { kind: 'halt' }, expectSeq: 0 },
    'updates.setGroup': { deviceId: '00000000-0000-4000-8000-000000000000', group: 'front desk' },
  };
}
