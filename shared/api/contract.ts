// The one IPC contract: every call and event the UI may use, declared once. The engine's
// handlers, the Electron IPC binding, the preload bridge, the browser host and the renderer's
// typed client are all derived from this table; nothing outside it can be called.
import { z } from 'zod';
import { AuditEntry, AuditQuery, AuditVerification } from '../domain/audit';
import { PatientId, UserId } from '../domain/ids';
import { Password, PasswordAttempt } from '../domain/password';
import {
  Patient,
  PatientFields,
  PatientSearch,
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

export interface CallSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** Reads or writes protected health information: every call is audited. */
  readonly phi: boolean;
  /** Allowed while the session is locked (unlock, sign out, asking who is signed in). */
  readonly whileLocked?: boolean;
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

const Empty = z.object({}).strict();
const Done = z.object({ done: z.literal(true) });

export const SetupStatus = z.object({ initialized: z.boolean(), clinicName: z.string().nullable() });

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

  'session.current': call({ input: Empty, output: SessionInfo.nullable(), access: 'public', phi: false, whileLocked: true }),
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
  'settings.update': call({ input: ClinicSettings.strict(), output: ClinicSettings, access: 'settings.manage', phi: false }),

  'patients.search': call({ input: PatientSearch.strict(), output: SearchResults, access: 'patients.read', phi: true }),
  'patients.get': call({ input: z.object({ patientId: PatientId }).strict(), output: Patient, access: 'patients.read', phi: true }),
  'patients.register': call({ input: RegisterPatient.strict(), output: RegisterOutcome, access: 'patients.write', phi: true }),
  'patients.update': call({
    input: z.object({ patientId: PatientId, fields: PatientFields }).strict(),
    output: Patient,
    access: 'patients.write',
    phi: true,
  }),

  'audit.query': call({ input: AuditQuery.strict(), output: z.array(AuditEntry), access: 'audit.read', phi: false }),
  'audit.verify': call({ input: Empty, output: AuditVerification, access: 'audit.read', phi: false }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export const callNames = Object.keys(calls) as readonly CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export const events = {
  /** The session locked itself after inactivity, or the user locked it. */
  'session.locked': z.object({ reason: z.enum(['inactivity', 'user']) }),
  /** The session ended: signed out, or another user signed in on this workstation. */
  'session.ended': z.object({ reason: z.enum(['signed-out', 'other-user', 'user-disabled']) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export const eventNames = Object.keys(events) as readonly EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
