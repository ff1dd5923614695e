// The engine's implementation of every contract call. The mapped type makes a missing or
// mistyped handler a compile error, so the contract and the engine cannot drift apart.
import { v7 as uuidv7 } from 'uuid';
import type { CallName, CallOutput } from '../../../shared/api/contract';
import type { User } from '../../../shared/domain/user';
import { fail, ok, type Result } from '../../../shared/errors';
import { chartHandlers } from '../charting/chart-handlers';
import { documentHandlers } from '../documents/document-handlers';
import { schedulingHandlers } from '../scheduling/scheduling-handlers';
import { backupHandlers } from '../backup/backup-handlers';
import type { BackupService } from '../backup/backup-service';
import { auditHandlers } from '../sync/audit-handlers';
import { syncHandlers } from '../sync/sync-handlers';
import { restoreHandlers } from '../undo/restore-handlers';
import { undoHandlers } from '../undo/undo-handlers';
import { visitHandlers } from '../video/visit-handlers';
import { type UpdatePortsForCalls, updateHandlers } from '../updates/update-handlers';
import { auditOf, type HandlersFor } from '../clinic/call-context';
import type { SessionService } from '../session/session-service';
import { countActiveAdmins, findUser, findUserByName, listUsers } from '../auth/users';
import type { Announce } from '../events';
import type { UserKeys } from '../session/user-wraps';
import type { SyncService } from '../sync/sync-service';
import type { VisitPorts } from '../video/visit-sessions';
import type { SetupService } from '../workstation/setup-service';
import type { CloudRestoreOutcome } from '../workstation/cloud-restore';
import type { CloudRestored } from '../../../shared/domain/restore';
import { mergePatients } from '../patients/merge';
import { findPossibleDuplicates } from '../patients/duplicates';
import { findPatient, insertPatient, insertPatients, listPatients, reserveMrns, updatePatient } from '../patients/patient-repository';

export type Handlers = HandlersFor<CallName>;

const done = { done: true as const };

/** The services the calls are answered with: each feature gets only the ones it uses. */
export interface AppServices {
  readonly setup: Pick<SetupService, 'status' | 'initialize' | 'join' | 'restoreFromCloud'>;
  readonly sessions: Pick<SessionService, 'info' | 'signIn' | 'unlock' | 'lock' | 'signOut' | 'checkOwnPassword' | 'refreshUser'>;
  readonly keys: UserKeys;
  readonly events: Announce;
  readonly sync: SyncService;
  readonly visits: VisitPorts;
  readonly backups: BackupService;
  readonly updates: UpdatePortsForCalls;
}

export function createHandlers(s: AppServices): Handlers {
  return { ...coreHandlers(s), ...schedulingHandlers(s.events), ...chartHandlers(), ...documentHandlers(), ...syncHandlers(s.sync), ...auditHandlers(s.sync), ...backupHandlers(s.backups), ...undoHandlers(s.sync), ...restoreHandlers(s.sync), ...visitHandlers(s.visits), ...updateHandlers(s.updates) };
}

type CoreCall = Extract<CallName, `setup.${string}` | `session.${string}` | `users.${string}` | `settings.${string}` | `patients.${string}`>;

/** The restore's report as the contract has it (the record's hashes and the device stay in the engine). */
function onlyReport(r: Result<CloudRestoreOutcome>): Result<CloudRestored> {
  if (!r.ok) return r;
  const { record: _r, historySeq: _s, deviceId: _d, ...report } = r.value;
  return ok(report);
}

function coreHandlers({ setup, sessions, keys }: AppServices): HandlersFor<CoreCall> {
  return {
    'setup.status': async () => ok(setup.status()),
    'setup.initialize': async (input) => setup.initialize(input.clinicName, input.admin),
    'setup.join': async (input) => setup.join(input.cloudUrl, input.code, input.deviceName),
    'setup.restoreFromCloud': async (input) => onlyReport(await setup.restoreFromCloud({
      cloudUrl: input.cloudUrl, tenantId: input.clinicId, recoveryCode: input.recoveryCode, deviceName: input.deviceName,
      ...(input.seq !== undefined ? { target: { kind: 'after-seq' as const, seq: input.seq } } : input.asOf ? { target: { kind: 'after-time' as const, at: Date.parse(input.asOf) } } : {}),
    })),

    'session.current': async () => ok(sessions.info()),
    'session.signIn': async (input) => sessions.signIn(input.username, input.password),
    'session.unlock': async (input) => sessions.unlock(input.password),
    'session.lock': async () => {
      sessions.lock('user');
      return ok(done);
    },
    'session.signOut': async () => {
      await sessions.signOut();
      return ok(done);
    },
    'session.activity': async () => ok(done),
    'session.changePassword': async (input, ctx) => {
      const u = ctx.user;
      const checked = await sessions.checkOwnPassword(input.currentPassword);
      if (!checked.ok) return checked;
      // A new key record travels to the other workstations, where the new password then works.
      const key = await keys.newKeyRecord(u.id, input.newPassword);
      await ctx.clinic.write(async (m) => {
        await m.update('users', u.id, { key_record: key.text });
        m.audit(auditOf(ctx, 'session.changePassword', null));
      });
      await keys.wrap({ userId: u.id, username: u.username }, input.newPassword, key.stamp);
      return ok(done);
    },

    'users.list': async (_input, ctx) => ok(await ctx.clinic.db.read(listUsers)),
    'users.create': async (input, ctx) => {
      const id = uuidv7();
      const key = await keys.newKeyRecord(id, input.password);
      const created = await ctx.clinic.write(async (m) => {
        if (await findUserByName(m.tx, input.username)) return null;
        await m.insert('users', id, {
          username: input.username, display_name: input.displayName, roles: JSON.stringify(input.roles), disabled: 0,
          created_at: new Date().toISOString(), key_record: key.text,
        });
        // Physicians and nurses take appointments unless an admin turns that off.
        if (input.roles.some((r) => r === 'physician' || r === 'nurse')) await m.insert('providers', id, { active: 1 });
        m.audit(auditOf(ctx, 'users.create', null, `user=${input.username} roles=${input.roles.join(',')}`));
        return findUser(m.tx, id);
      });
      if (!created) return fail('username-taken', 'That username is already in use.');
      await keys.wrap({ userId: id, username: input.username }, input.password, key.stamp);
      return ok(created);
    },
    'users.update': async (input, ctx) => {
      const result = await ctx.clinic.write(async (m): Promise<Result<User>> => {
        const user = await findUser(m.tx, input.userId);
        if (!user) return fail('user-not-found', 'No such user.');
        if (user.roles.includes('admin') && !input.roles.includes('admin') && (await countActiveAdmins(m.tx, user.id)) === 0) {
          return fail('last-admin', 'The clinic needs at least one active admin.');
        }
        await m.update('users', user.id, { display_name: input.displayName, roles: JSON.stringify(input.roles) });
        m.audit(auditOf(ctx, 'users.update', null, `user=${user.username} roles=${input.roles.join(',')}`));
        const updated = await findUser(m.tx, user.id);
        return updated ? ok(updated) : fail('user-not-found', 'No such user.');
      });
      if (result.ok) sessions.refreshUser(result.value);
      return result;
    },
    'users.disable': async (input, ctx) => {
      if (input.userId === ctx.user.id) return fail('permission-denied', 'You cannot disable your own account.');
      const result = await ctx.clinic.write(async (m): Promise<Result<User>> => {
        const user = await findUser(m.tx, input.userId);
        if (!user) return fail('user-not-found', 'No such user.');
        if (user.roles.includes('admin') && (await countActiveAdmins(m.tx, user.id)) === 0) {
          return fail('last-admin', 'The clinic needs at least one active admin.');
        }
        await m.update('users', user.id, { disabled: 1 });
        m.audit(auditOf(ctx, 'users.disable', null, `user=${user.username}`));
        return ok({ ...user, disabled: true });
      });
      // Without its wrapped key the account cannot sign in here even if the flag were edited.
      if (result.ok) await keys.remove(result.value.id);
      return result;
    },
    'users.resetPassword': async (input, ctx) => {
      const key = await keys.newKeyRecord(input.userId, input.newPassword);
      const result = await ctx.clinic.write(async (m): Promise<Result<User>> => {
        const user = await findUser(m.tx, input.userId);
        if (!user) return fail('user-not-found', 'No such user.');
        await m.update('users', user.id, { disabled: 0, key_record: key.text });
        m.audit(auditOf(ctx, 'users.resetPassword', null, `user=${user.username}`));
        return ok({ ...user, disabled: false });
      });
      if (result.ok) {
        await keys.wrap({ userId: result.value.id, username: result.value.username }, input.newPassword, key.stamp);
      }
      return result;
    },

    'settings.get': async (_input, ctx) => ok(ctx.clinic.settings),
    'settings.update': async (input, ctx) => {
      const next = { ...ctx.clinic.settings, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
      await ctx.clinic.write(async (m) => {
        await m.upsert('settings', 'clinic', { value: JSON.stringify(next) });
        m.audit(auditOf(ctx, 'settings.update', null, Object.keys(input).map((k) => `${k}=${String(next[k as keyof typeof next])}`).join('; ')));
      });
      ctx.clinic.applySettings(next);
      return ok(next);
    },

    'patients.search': async (input, ctx) => {
      const results = await ctx.clinic.search.search(input.query, input.limit);
      await ctx.clinic.write(async (m) => m.audit(auditOf(ctx, 'patients.search', null, `results=${results.results.length}`)));
      return ok(results);
    },
    'patients.get': async (input, ctx) => {
      const patient = await ctx.clinic.db.read((tx) => findPatient(tx, input.patientId));
      if (!patient) return fail('patient-not-found', 'No patient with that id.');
      const into = await ctx.clinic.db.get<{ mrn: string }>('SELECT k.mrn FROM patients p JOIN patients k ON k.id = p.merged_into WHERE p.id = ?', [patient.id]);
      if (into) return fail('patient-merged', `This record was merged into MRN ${into.mrn}; open that one.`);
      await ctx.clinic.write(async (m) => m.audit(auditOf(ctx, 'patients.get', patient.id)));
      return ok(patient);
    },
    'patients.register': async (input, ctx) => {
      const id = uuidv7();
      const outcome = await ctx.clinic.write(async (m): Promise<CallOutput<'patients.register'>> => {
        const candidates = await findPossibleDuplicates(m.tx, input.fields);
        if (candidates.length > 0 && !input.duplicateOverride) {
          m.audit(auditOf(ctx, 'patients.duplicate-warning', null, `candidates=${candidates.map((c) => c.mrn).join(',')}`));
          return { status: 'possible-duplicates', candidates };
        }
        const [mrn] = await reserveMrns(m.local, 1);
        await insertPatient(m, id, mrn as string, input.fields, new Date().toISOString());
        const detail = candidates.length > 0
          ? `registered despite possible duplicates ${candidates.map((c) => c.mrn).join(',')}; reason: ${input.duplicateOverride?.reason ?? ''}`
          : null;
        m.audit(auditOf(ctx, candidates.length > 0 ? 'patients.register-duplicate-override' : 'patients.register', id, detail));
        const patient = await findPatient(m.tx, id);
        if (!patient) throw new Error('registered patient not found');
        return { status: 'created', patient };
      });
      if (outcome.status === 'created') ctx.clinic.search.noteNames(input.fields.familyName, input.fields.givenNames, input.fields.preferredName);
      return ok(outcome);
    },
    'patients.registerMany': async (input, ctx) => {
      const ids = await ctx.clinic.write(async (m) => {
        const made = await insertPatients(m, input.patients, uuidv7, new Date().toISOString());
        m.audit(auditOf(ctx, 'patients.registerMany', null, `count=${made.length}; reason: ${input.reason}`));
        return made;
      });
      ctx.clinic.search.forgetVocabulary();
      return ok({ registered: ids.length });
    },
    'patients.list': async (input, ctx) => {
      const page = await ctx.clinic.db.read((tx) => listPatients(tx, input.after, input.limit));
      await ctx.clinic.write((m) => m.audit(auditOf(ctx, 'patients.list', null, `results=${page.patients.length}`)));
      return ok(page);
    },
    'patients.update': async (input, ctx) => {
      const result = await ctx.clinic.write(async (m): Promise<Result<CallOutput<'patients.update'>>> => {
        if (!(await findPatient(m.tx, input.patientId))) return fail('patient-not-found', 'No patient with that id.');
        const changed = await updatePatient(m, input.patientId, input.fields, new Date().toISOString());
        m.audit(auditOf(ctx, 'patients.update', input.patientId, changed.length ? `fields=${changed.join(',')}` : 'no changes'));
        const patient = await findPatient(m.tx, input.patientId);
        return patient ? ok(patient) : fail('patient-not-found', 'No patient with that id.');
      });
      if (result.ok) ctx.clinic.search.noteNames(input.fields.familyName, input.fields.givenNames, input.fields.preferredName);
      return result;
    },

    'patients.merge': async (input, ctx) => {
      const now = new Date().toISOString();
      const result = await ctx.clinic.write(async (m): Promise<Result<CallOutput<'patients.merge'>>> => {
        const merged = await mergePatients(m, input.keepId, input.mergeId, now);
        if (!merged.ok) return merged;
        const detail = `merged MRN ${merged.value.mergedMrn} into MRN ${merged.value.keptMrn}; moved ${merged.value.moved} records; reason: ${input.reason}`;
        m.audit(auditOf(ctx, 'patients.merge', input.keepId, detail));
        m.audit(auditOf(ctx, 'patients.merged-away', input.mergeId, detail));
        const kept = await findPatient(m.tx, input.keepId);
        return kept ? ok(kept) : fail('patient-not-found', 'No patient with that id.');
      });
      if (result.ok) ctx.clinic.search.forgetVocabulary();
      return result;
    },

  };
}
