// The one IPC contract: every call and event the UI may use, declared once. The engine's
// handlers, the Electron IPC binding, the preload bridge, the browser host and the renderer's
// typed client are all derived from this table; nothing outside it can be called. It stays one
// file over 300 lines on purpose: every call, its access and whether it is audited, read in one place.
import { z } from 'zod';
import { AuditEntry, AuditExport, AuditFilter, AuditQuery, AuditVerification } from '../domain/audit';
import { BackupStatus, BackupWritten, DrillReport, DrillSource } from '../domain/backup';
import {
  AllergyInput, ChartSummary, CorrectionReason, DocumentInfo, DocumentUpload, EmergencyAccess, Encounter, Immunization, ImmunizationInput,
  LabInput, LabResult, Medication, MedicationInput, MedicationOutcome, Note, NoteTemplate, NoteTemplateInput, Problem,
  ProblemInput, Soap, Vitals, Allergy,
} from '../domain/chart';
import { AppointmentId, AppointmentTypeId, ChartItemId, EncounterId, NoteId, NoteTemplateId, PatientId, UserId } from '../domain/ids';
import { Lockdown } from '../domain/lockdown';
import { UndoApplied, UndoInput, UndoPreview } from '../domain/undo';
import { UpdateStatus } from '../updates/status';
import { DeviceGroupBody, PolicyChangeBody, PolicyRecordView, UpdatesAnswer } from '../updates/wire';
import { CloudRestored, CloudRestoreInput, KeptAside } from '../domain/restore';
import {
  Appointment, AppointmentType, AppointmentTypeInput, BookAppointment, BookingOutcome, ClinicHours, LocalDateTime, Provider, ScheduleQuery,
} from '../domain/scheduling';
import { DeviceInfo, EnrollInput, RefusedMessage, SyncConflict, SyncStatus } from '../domain/sync';
import { CallRecord, IceSettingsView, VisitJoined, VisitLinkInfo, VisitUpdate } from '../domain/video';
import { CallAttempt, IceSettings, SignalData } from '../video/wire';
import { VitalsEntry } from '../domain/vitals';
import { Password, PasswordAttempt } from '../domain/password';
import { BeginUpload, DocumentChunk, UploadChunk, UploadId } from '../domain/documents';
import {
  Patient,
  PatientFields,
  PatientList,
  PatientPage,
  PatientSearch,
  RegisterMany,
  RegisterOutcome,
  RegisterPatient,
  SearchResults,
} from '../domain/patient';
import type { Permission } from '../domain/roles';
import { ClinicSettings } from '../domain/settings';
import { DisplayName, NewUser, Roles, SessionInfo, User, Username } from '../domain/user';

/**
 * Who may call: `public` needs no session (setup, sign-in); `session` needs a signed-in user,
 * even a locked one (unlock, sign out); everything else needs an active session holding the
 * named permission.
 */
export type Access = 'public' | 'session' | Permission;

export interface CallSpec<I extends z.ZodType, O extends z.ZodType, A extends Access = Access> {
  readonly input: I;
  readonly output: O;
  readonly access: A;
  /** Reads or writes protected health information: every call is audited. */
  readonly phi: boolean;
  /** Allowed while the session is locked (unlock, sign out, asking who is signed in). */
  readonly whileLocked?: boolean;
  /**
   * A chart read that an unexpired emergency-access grant for `input.patientId` also allows,
   * for users whose role lacks the permission.
   */
  readonly emergency?: boolean;
  /** Asked by the UI on its own (status polls): does not count as the user being active. */
  readonly passive?: boolean;
}

/** One call's declaration; its access stays a literal, so a public call's handler is typed as one. */
function call<I extends z.ZodType, O extends z.ZodType, const A extends Access>(spec: CallSpec<I, O, A>): CallSpec<I, O, A> {
  return spec;
}

const Empty = z.object({}).strict();
const Done = z.object({ done: z.literal(true) });

/** `lockdown`: the clinic-wide lockdown holding this workstation (nobody signs in until IT lifts it). */
export const SetupStatus = z.object({ initialized: z.boolean(), clinicName: z.string().nullable(), lockdown: Lockdown.nullable() });

export const calls = {
  'setup.status': call({ input: Empty, output: SetupStatus, access: 'public', phi: false }),
  'setup.initialize': call({
    input: z.object({
      clinicName: z.string().trim().min(1, 'is required').max(120),
      admin: NewUser,
    }).strict(),
    output: SessionInfo,
    access: 'public',
    phi: false,
  }),

  /** An empty workstation joins an existing clinic with a one-time code; users then sign in. */
  'setup.join': call({
    input: EnrollInput,
    output: z.object({ clinicName: z.string(), users: z.number().int(), workstationNumber: z.number().int() }),
    access: 'public',
    phi: false,
  }),

  /** Every workstation lost: the clinic rebuilt on this empty one from its cloud with the recovery code. */
  'setup.restoreFromCloud': call({ input: CloudRestoreInput, output: CloudRestored, access: 'public', phi: false }),

  'session.current': call({ input: Empty, output: SessionInfo.nullable(), access: 'public', phi: false, whileLocked: true, passive: true }),
  'session.signIn': call({
    input: z.object({ username: Username, password: PasswordAttempt }).strict(),
    output: SessionInfo,
    access: 'public',
    phi: false,
  }),
  'session.unlock': call({
    input: z.object({ password: PasswordAttempt }).strict(),
    output: SessionInfo,
    access: 'session',
    phi: false,
    whileLocked: true,
  }),
  'session.lock': call({ input: Empty, output: Done, access: 'session', phi: false, whileLocked: true }),
  'session.signOut': call({ input: Empty, output: Done, access: 'session', phi: false, whileLocked: true }),
  /** The UI reports keyboard and pointer activity so a long edit does not lock the session. */
  'session.activity': call({ input: Empty, output: Done, access: 'session', phi: false }),
  'session.changePassword': call({
    input: z.object({ currentPassword: PasswordAttempt, newPassword: Password }).strict(),
    output: Done,
    access: 'session',
    phi: false,
  }),

  'users.list': call({ input: Empty, output: z.array(User), access: 'users.manage', phi: false }),
  'users.create': call({ input: NewUser.strict(), output: User, access: 'users.manage', phi: false }),
  'users.update': call({
    input: z.object({ userId: UserId, displayName: DisplayName, roles: Roles }).strict(),
    output: User,
    access: 'users.manage',
    phi: false,
  }),
  'users.disable': call({ input: z.object({ userId: UserId }).strict(), output: User, access: 'users.manage', phi: false }),
  /** Sets a new password (re-wrapping the database key) and re-enables a disabled user. */
  'users.resetPassword': call({
    input: z.object({ userId: UserId, newPassword: Password }).strict(),
    output: User,
    access: 'users.manage',
    phi: false,
  }),

  'settings.get': call({ input: Empty, output: ClinicSettings, access: 'session', phi: false }),
  // Each form sends its own settings; the rest stay as they are.
  'settings.update': call({ input: ClinicSettings.partial().strict(), output: ClinicSettings, access: 'settings.manage', phi: false }),

  'patients.search': call({ input: PatientSearch.strict(), output: SearchResults, access: 'patients.read', phi: true }),
  'patients.get': call({ input: z.object({ patientId: PatientId }).strict(), output: Patient, access: 'patients.read', phi: true }),
  'patients.register': call({ input: RegisterPatient.strict(), output: RegisterOutcome, access: 'patients.write', phi: true }),
  'patients.registerMany': call({ input: RegisterMany.strict(), output: z.object({ registered: z.number().int() }), access: 'patients.write', phi: true }),
  'patients.list': call({ input: PatientPage.strict(), output: PatientList, access: 'patients.read', phi: true }),
  'patients.update': call({
    input: z.object({ patientId: PatientId, fields: PatientFields }).strict(),
    output: Patient,
    access: 'patients.write',
    phi: true,
  }),

  /** Two records of one person become one, by a person's decision, with a reason for the audit log. */
  'patients.merge': call({
    input: z.object({ keepId: PatientId, mergeId: PatientId, reason: z.string().trim().min(3, 'is required').max(500) }).strict(),
    output: Patient,
    access: 'patients.write',
    phi: true,
  }),

  // ---- scheduling -------------------------------------------------------------------------
  'schedule.providers': call({ input: Empty, output: z.array(Provider), access: 'session', phi: false }),
  'schedule.candidates': call({ input: Empty, output: z.array(Provider), access: 'schedule.manage', phi: false }),
  'schedule.setProvider': call({ input: z.strictObject({ userId: UserId, active: z.boolean() }), output: Provider, access: 'schedule.manage', phi: false }),
  'schedule.hours': call({ input: Empty, output: ClinicHours, access: 'session', phi: false }),
  'schedule.setHours': call({ input: z.strictObject({ hours: ClinicHours }), output: ClinicHours, access: 'schedule.manage', phi: false }),
  'schedule.types': call({ input: Empty, output: z.array(AppointmentType), access: 'session', phi: false }),
  'schedule.saveType': call({
    input: z.strictObject({ id: AppointmentTypeId.optional(), type: AppointmentTypeInput.strict() }),
    output: AppointmentType,
    access: 'schedule.manage',
    phi: false,
  }),
  'appointments.list': call({ input: ScheduleQuery, output: z.array(Appointment), access: 'schedule.read', phi: true }),
  'appointments.book': call({ input: BookAppointment, output: BookingOutcome, access: 'schedule.write', phi: true }),
  'appointments.move': call({
    input: z.strictObject({
      appointmentId: AppointmentId,
      start: LocalDateTime,
      providerId: UserId.optional(),
      durationMinutes: z.number().int().min(5).max(480).optional(),
      confirmWarnings: z.boolean().default(false),
    }),
    output: BookingOutcome,
    access: 'schedule.write',
    phi: true,
  }),
  'appointments.cancel': call({
    input: z.strictObject({ appointmentId: AppointmentId, reason: z.string().trim().min(3, 'give a reason').max(300) }),
    output: Appointment,
    access: 'schedule.write',
    phi: true,
  }),
  'appointments.noShow': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'schedule.write', phi: true }),
  'appointments.undoNoShow': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'schedule.write', phi: true }),
  'appointments.checkIn': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'schedule.write', phi: true }),
  'appointments.room': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'visit.flow', phi: true }),
  'appointments.startVisit': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'visit.flow', phi: true }),
  'appointments.checkOut': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Appointment, access: 'schedule.write', phi: true }),

  // ---- the chart ---------------------------------------------------------------------------
  'chart.summary': call({ input: z.strictObject({ patientId: PatientId }), output: ChartSummary, access: 'chart.read', phi: true, emergency: true }),
  'encounters.open': call({
    input: z.strictObject({ patientId: PatientId, appointmentId: AppointmentId.optional() }),
    output: Encounter,
    access: 'chart.clinical',
    phi: true,
  }),
  'encounters.get': call({
    input: z.strictObject({ patientId: PatientId, encounterId: EncounterId }),
    output: Encounter,
    access: 'chart.read',
    phi: true,
    emergency: true,
  }),
  'notes.saveDraft': call({ input: z.strictObject({ patientId: PatientId, noteId: NoteId, soap: Soap }), output: Note, access: 'chart.clinical', phi: true }),
  'notes.sign': call({ input: z.strictObject({ patientId: PatientId, noteId: NoteId }), output: Note, access: 'notes.sign', phi: true }),
  'notes.addAddendum': call({
    input: z.strictObject({ patientId: PatientId, noteId: NoteId, text: z.string().trim().min(1, 'is required').max(20_000) }),
    output: Note,
    access: 'notes.sign',
    phi: true,
  }),
  'notes.templates': call({ input: Empty, output: z.array(NoteTemplate), access: 'chart.read', phi: false }),
  'notes.saveTemplate': call({
    input: z.strictObject({ id: NoteTemplateId.optional(), template: NoteTemplateInput }),
    output: NoteTemplate,
    access: 'chart.clinical',
    phi: false,
  }),
  'problems.add': call({ input: z.strictObject({ patientId: PatientId, problem: ProblemInput }), output: Problem, access: 'chart.clinical', phi: true }),
  'problems.update': call({
    input: z.strictObject({ patientId: PatientId, problemId: ChartItemId, problem: ProblemInput }),
    output: Problem,
    access: 'chart.clinical',
    phi: true,
  }),
  'medications.add': call({
    // Without an override, a medication an allergy speaks against comes back as a warning, unrecorded.
    input: z.strictObject({ patientId: PatientId, medication: MedicationInput, allergyOverride: z.strictObject({ reason: CorrectionReason }).optional() }),
    output: MedicationOutcome,
    access: 'chart.nursing',
    phi: true,
  }),
  'medications.inactivate': call({
    input: z.strictObject({ patientId: PatientId, medicationId: ChartItemId, reason: CorrectionReason }),
    output: Done,
    access: 'chart.nursing',
    phi: true,
  }),
  'medications.stop': call({
    input: z.strictObject({ patientId: PatientId, medicationId: ChartItemId, stop: z.iso.date() }),
    output: Medication,
    access: 'chart.nursing',
    phi: true,
  }),
  'allergies.add': call({ input: z.strictObject({ patientId: PatientId, allergy: AllergyInput }), output: Allergy, access: 'chart.nursing', phi: true }),
  'allergies.setNoneKnown': call({ input: z.strictObject({ patientId: PatientId }), output: Done, access: 'chart.nursing', phi: true }),
  'allergies.remove': call({
    input: z.strictObject({ patientId: PatientId, allergyId: ChartItemId, reason: CorrectionReason }),
    output: Done,
    access: 'chart.nursing',
    phi: true,
  }),
  'vitals.record': call({
    input: z.strictObject({ patientId: PatientId, encounterId: EncounterId.optional(), vitals: VitalsEntry }),
    output: Vitals,
    access: 'chart.nursing',
    phi: true,
  }),
  'vitals.markError': call({
    input: z.strictObject({ patientId: PatientId, vitalsId: ChartItemId, reason: CorrectionReason }),
    output: Done,
    access: 'chart.nursing',
    phi: true,
  }),
  'immunizations.add': call({ input: z.strictObject({ patientId: PatientId, immunization: ImmunizationInput }), output: Immunization, access: 'chart.nursing', phi: true }),
  'labs.add': call({ input: z.strictObject({ patientId: PatientId, lab: LabInput }), output: LabResult, access: 'chart.clinical', phi: true }),
  'labs.markError': call({
    input: z.strictObject({ patientId: PatientId, labId: ChartItemId, reason: CorrectionReason }),
    output: Done,
    access: 'chart.clinical',
    phi: true,
  }),
  'documents.upload': call({ input: DocumentUpload, output: DocumentInfo, access: 'chart.clinical', phi: true }),
  /** A document in chunks: begin (size and SHA-256), each chunk, then finish (checked whole). */
  'documents.beginUpload': call({ input: BeginUpload, output: z.object({ uploadId: UploadId, chunkBytes: z.number().int() }), access: 'chart.clinical', phi: true }),
  'documents.uploadChunk': call({ input: UploadChunk, output: z.object({ received: z.number().int() }), access: 'chart.clinical', phi: true }),
  'documents.finishUpload': call({ input: z.strictObject({ uploadId: UploadId }), output: DocumentInfo, access: 'chart.clinical', phi: true }),
  'documents.get': call({
    input: z.strictObject({ patientId: PatientId, documentId: ChartItemId }),
    output: DocumentInfo,
    access: 'chart.read',
    phi: true,
    emergency: true,
  }),
  /** One chunk (base64) of a document that is here; a viewer reads them in order, with its progress shown. */
  'documents.chunk': call({ input: DocumentChunk, output: z.object({ data: z.string() }), access: 'chart.read', phi: true, emergency: true }),
  'emergency.open': call({
    input: z.strictObject({ patientId: PatientId, reason: z.string().trim().min(10, 'describe the emergency in at least 10 characters').max(500) }),
    output: z.object({ expiresAt: z.string() }),
    access: 'emergency.access',
    phi: true,
  }),

  // ---- sync and workstations -------------------------------------------------------------
  'sync.status': call({ input: Empty, output: SyncStatus, access: 'session', phi: false, passive: true }),
  'sync.now': call({ input: Empty, output: SyncStatus, access: 'session', phi: false }),
  'sync.enroll': call({
    input: EnrollInput,
    output: z.object({ number: z.number().int(), recoveryCode: z.string().nullable() }),
    access: 'users.manage',
    phi: false,
  }),
  /** The recovery code of a clinic set up with the embedded cloud, handed out exactly once. */
  'sync.takeRecoveryCode': call({ input: Empty, output: z.object({ code: z.string().nullable() }), access: 'users.manage', phi: false }),
  /** Messages from the cloud refused here (tampered, foreign, unreadable), for the admin. */
  'sync.refused': call({ input: Empty, output: z.array(RefusedMessage), access: 'users.manage', phi: false }),
  'sync.acknowledgeRefused': call({ input: z.object({ msgId: z.string().max(64), seq: z.number().int() }).strict(), output: Done, access: 'users.manage', phi: false }),
  /** A conflict a person has looked at (e.g. "not the same person") leaves the list. */
  'sync.resolveConflict': call({ input: z.object({ id: z.number().int().positive() }).strict(), output: Done, access: 'patients.read', phi: false }),
  'sync.conflicts': call({ input: Empty, output: z.array(SyncConflict), access: 'patients.read', phi: true }),
  'devices.list': call({ input: Empty, output: z.array(DeviceInfo), access: 'users.manage', phi: false }),
  'devices.enrollCode': call({ input: Empty, output: z.object({ code: z.string(), expiresAt: z.string(), cloudUrl: z.string() }), access: 'users.manage', phi: false }),
  'devices.revoke': call({ input: z.strictObject({ deviceId: z.uuid() }), output: Done, access: 'users.manage', phi: false }),
  /** What undoing one workstation's changes after a time would do (from the clinic's history at the cloud). */
  'undo.preview': call({ input: UndoInput, output: UndoPreview, access: 'users.manage', phi: true }),
  /** Undoes them, as new change sets (the history stays append-only); changes made again since are left and listed. */
  'undo.apply': call({ input: UndoInput, output: UndoApplied, access: 'users.manage', phi: true }),
  /** The change sets a restore to a point in time kept aside here, newest first. */
  'restore.keptAside': call({ input: Empty, output: z.array(KeptAside), access: 'users.manage', phi: false }),
  /** Writes one kept-aside change set's values again, as a new change set. */
  'restore.reapply': call({ input: z.strictObject({ msgId: z.string().min(1).max(64) }), output: z.object({ fields: z.number().int() }), access: 'users.manage', phi: true }),
  /** Locks every workstation of the clinic at once, this one too (ransomware); IT lifts it. */
  'sync.lockDown': call({ input: Empty, output: Lockdown, access: 'users.manage', phi: false }),

  // ---- updates ---------------------------------------------------------------------------
  /** This workstation's version and its update, for the banner, the Updates page and the browser host; asked before sign-in too. */
  'updates.status': call({ input: Empty, output: UpdateStatus, access: 'public', phi: false, passive: true }),
  /** A note editor opened or closed here: no update installs while one is open. */
  'updates.noteEditing': call({ input: z.strictObject({ encounterId: EncounterId, editing: z.boolean() }), output: Done, access: 'session', phi: false, passive: true }),
  /** An admin's *Install now* (still never during a note or a call). */
  'updates.installNow': call({ input: Empty, output: z.object({ installing: z.boolean(), message: z.string() }), access: 'users.manage', phi: false }),
  /** IT's Updates page: the clinic's and the groups' policies, and the releases published. */
  'updates.overview': call({ input: Empty, output: UpdatesAnswer, access: 'users.manage', phi: false }),
  /** Stages, halts, pins or rolls back a release for the clinic or a group (audited). */
  'updates.change': call({ input: PolicyChangeBody, output: PolicyRecordView, access: 'users.manage', phi: false }),
  'updates.setGroup': call({ input: DeviceGroupBody, output: Done, access: 'users.manage', phi: false }),

  // ---- video visits ----------------------------------------------------------------------
  /** The patient's one-time link for a video appointment (the existing one if still active). */
  'visits.createLink': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: VisitLinkInfo, access: 'schedule.write', phi: true }),
  /** Today's video appointments whose patient is in the waiting room (or in the call) now. */
  'visits.waiting': call({ input: Empty, output: z.array(AppointmentId), access: 'schedule.read', phi: false, passive: true }),
  'visits.link': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: VisitLinkInfo.nullable(), access: 'schedule.read', phi: true }),
  'visits.revokeLink': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Done, access: 'schedule.write', phi: true }),
  /** The clinic's STUN/TURN servers for video visits (kept at the clinic cloud). */
  'visits.iceSettings': call({ input: Empty, output: IceSettingsView, access: 'settings.manage', phi: false }),
  /** Without `turnSecret`, the secret already kept stays. */
  'visits.setIceSettings': call({ input: IceSettings.partial({ turnSecret: true }), output: IceSettingsView, access: 'settings.manage', phi: false }),
  /** The physician opens the visit's clinic side: who is waiting, and their identity answer. */
  'visits.join': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: VisitJoined, access: 'chart.clinical', phi: true }),
  'visits.admit': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Done, access: 'chart.clinical', phi: true }),
  'visits.signal': call({ input: z.strictObject({ appointmentId: AppointmentId, call: CallAttempt, data: SignalData }), output: Done, access: 'chart.clinical', phi: false }),
  'visits.chat': call({ input: z.strictObject({ appointmentId: AppointmentId, text: z.string().trim().min(1).max(2000) }), output: Done, access: 'chart.clinical', phi: true }),
  /** Tells the patient's page the physician's camera went off or on. */
  'visits.camera': call({ input: z.strictObject({ appointmentId: AppointmentId, on: z.boolean() }), output: Done, access: 'chart.clinical', phi: false }),
  /** Ends the call for both sides; its start, end and duration go on the encounter and in the audit log. */
  'visits.end': call({ input: z.strictObject({ appointmentId: AppointmentId, encounterId: EncounterId }), output: CallRecord, access: 'chart.clinical', phi: true }),
  'visits.leave': call({ input: z.strictObject({ appointmentId: AppointmentId }), output: Done, access: 'chart.clinical', phi: false }),

  'audit.emergencyAccesses': call({ input: Empty, output: z.array(EmergencyAccess), access: 'audit.read', phi: true }),
  /** The whole clinic's trail, with patients named: a read of PHI, audited like one. */
  'audit.query': call({ input: AuditQuery.strict(), output: z.array(AuditEntry), access: 'audit.read', phi: true }),
  'audit.export': call({ input: AuditFilter.strict(), output: AuditExport, access: 'audit.read', phi: true }),
  'audit.verify': call({ input: Empty, output: AuditVerification, access: 'audit.read', phi: false }),
  /**
   * Writes an offline backup, sealed to the recovery key, to a new file (a full path ending in
   * .chartroom-backup; never over an existing file) and checks it reads back.
   */
  'backup.write': call({ input: z.strictObject({ file: z.string().min(1).max(4096) }), output: BackupWritten, access: 'users.manage', phi: true }),
  /** This workstation's daily backup to a folder an admin chose. */
  'backup.status': call({ input: Empty, output: BackupStatus, access: 'users.manage', phi: false }),
  'backup.setFolder': call({ input: z.strictObject({ folder: z.string().trim().min(1).max(4096).nullable() }), output: BackupStatus, access: 'users.manage', phi: false }),
  'backup.runNow': call({ input: Empty, output: BackupWritten, access: 'users.manage', phi: true }),
  /** A restore drill from the newest backup in the folder (or `file`), or from the clinic's cloud, with the recovery code IT gives. */
  'backup.drill': call({ input: z.strictObject({ recoveryCode: z.string().trim().min(16).max(80), file: z.string().min(1).max(4096).optional(), from: DrillSource.default('backup') }), output: DrillReport, access: 'users.manage', phi: false }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export type CallAccess<K extends CallName> = Calls[K]['access'];
/** Calls anyone may make before signing in (setup, sign-in, asking who is signed in). */
export type PublicCallName = { [K in CallName]: CallAccess<K> extends 'public' ? K : never }[CallName];
export const callNames = Object.keys(calls) as readonly CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export const events = {
  /** The session locked itself after inactivity, or the user locked it. */
  'session.locked': z.object({ reason: z.enum(['inactivity', 'user']) }),
  /** Sync state changed (online, offline, pending count): the status indicator refreshes. */
  'sync.status': SyncStatus,
  /** Appointments changed on these days: schedules and queues showing them refresh. */
  'schedule.changed': z.object({ dates: z.array(z.string()) }),
  /** A patient joined or left a video visit: the schedule asks who is waiting. */
  'visits.changed': z.object({}),
  /** Something happened in a video visit this workstation has joined. */
  'visit.update': z.object({ appointmentId: AppointmentId, update: VisitUpdate }),
  /** The session ended: signed out, or another user signed in on this workstation. */
  'session.ended': z.object({ reason: z.enum(['signed-out', 'other-user', 'user-disabled', 'workstation-revoked', 'clinic-locked-down']) }),
  /** The lockdown holding this workstation was learnt of, changed or lifted: the lock screen asks again. */
  'lockdown.changed': z.object({}),
  /**
   * IT changed the update policy (`policy`: the desktop app asks the feed now), or an update was
   * verified or refused here: the banner and the Updates page ask again.
   */
  'updates.changed': z.object({ policy: z.boolean() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export const eventNames = Object.keys(events) as readonly EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
