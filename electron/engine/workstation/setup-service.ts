// Making this workstation the clinic's: setting up a new clinic (the first admin, default
// appointment types, enrolment with the embedded cloud when there is one), joining an
// existing one with a one-time code (the clinic key from another workstation, the newest
// snapshot, then the rest of the history), or restoring the clinic from an offline backup with
// the recovery code (no cloud needed). The keyring is written last: its presence is what
// marks the workstation as set up, so an interrupted setup leaves nothing half-made.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import type { Lockdown } from '../../../shared/domain/lockdown';
import { defaultSettings } from '../../../shared/domain/settings';
import type { NewUser, SessionInfo } from '../../../shared/domain/user';
import { fail, ok, type Result } from '../../../shared/errors';
import type { SessionService } from '../session/session-service';
import { findUser } from '../auth/users';
import type { OpenClinic } from '../clinic/open-clinic';
import type { KeyProtector } from '../keys/key-protector';
import { Keyring } from '../keys/keyring';
import type { UserWraps } from '../session/user-wraps';
import type { Logger } from '../logger';
import { openBackup } from '../backup/backup-file';
import { checkRestored } from '../backup/restore-checks';
import { restoreSnapshot, SnapshotRefused } from '../sync/snapshot';
import { type CloudPlace, type CloudRestoreOutcome, type PointInTime, restoreClinicFromCloud, type RestoreSync } from './cloud-restore';
import type { DataDir } from './data-dir';
import type { WorkstationState } from './workstation-state';

/** Appointment types a new clinic starts with; admins edit them under Schedule set-up. */
export const defaultAppointmentTypes = [
  { name: 'New patient visit', durationMinutes: 40, mode: 'in-person' },
  { name: 'Follow-up', durationMinutes: 20, mode: 'in-person' },
  { name: 'Annual physical', durationMinutes: 40, mode: 'in-person' },
  { name: 'Video visit', durationMinutes: 20, mode: 'video' },
] as const;

/** The cloud steps of setting up and joining (the sync client and service answer them). */
export interface SetupSync extends RestoreSync {
  enroll(cloudUrl: string, code: string, deviceName: string, kind: 'setup' | 'enroll'): Promise<Result<{ number: number; tenantName: string; recoveryCode: string | null }>>;
  refreshKeys(): Promise<Result<number>>;
  /** Holds the recovery code until the admin's UI takes it. */
  keepRecoveryCode(code: string): void;
  /** A round soon, in the background. */
  runNow(): Promise<unknown>;
}

export interface SetupDeps {
  readonly dataDir: DataDir;
  readonly keyProtector: KeyProtector;
  readonly state: WorkstationState;
  readonly wraps: UserWraps;
  readonly sessions: SessionService;
  readonly sync: SetupSync;
  readonly logger: Logger;
  /** Opens a new clinic's database under `dk` as this workstation's open clinic (sync not started). */
  openClinic(dk: Buffer): Promise<Result<OpenClinic>>;
  closeClinic(): Promise<void>;
  startSync(): void;
  readonly enrollAfterSetup?: (clinicName: string) => Promise<{ cloudUrl: string; code: string }>;
  readonly joinKeyWaitMs?: number;
  /** The clinic-wide lockdown holding this workstation, if any (lockdown/lockdown-watch.ts). */
  readonly lockdown: { current(): Lockdown | null };
}

export class SetupService {
  constructor(private readonly deps: SetupDeps) {}

  status(): { initialized: boolean; clinicName: string | null; lockdown: Lockdown | null } {
    const keyring = this.deps.state.keyring;
    return { initialized: keyring !== null, clinicName: keyring?.clinicName ?? null, lockdown: this.deps.lockdown.current() };
  }

  /** A new keyring (in memory until saved) and a new database under a fresh key, opened. */
  private async fresh(clinicName: string): Promise<Result<{ keyring: Keyring; clinic: OpenClinic; dk: Buffer }>> {
    const { state, dataDir } = this.deps;
    if (state.keyring) return fail('already-initialized', 'This workstation is already set up.');
    await dataDir.setAsideOrphanedDatabase();
    const keyring = await Keyring.create(dataDir.keyring, this.deps.keyProtector, clinicName);
    // Held in memory only: until the keyring is saved, this workstation is not set up.
    state.keyring = keyring;
    const dk = randomBytes(32);
    const opened = await this.deps.openClinic(dk);
    if (!opened.ok) {
      state.keyring = null;
      return opened;
    }
    return ok({ keyring, clinic: opened.value, dk });
  }

  async initialize(clinicName: string, admin: NewUser): Promise<Result<SessionInfo>> {
    const made = await this.fresh(clinicName);
    if (!made.ok) return made;
    const { keyring, clinic, dk } = made.value;
    const { wraps, sessions, sync, logger } = this.deps;
    const userId = uuidv7();
    const now = new Date().toISOString();
    try {
      const adminKey = await wraps.newKeyRecord(userId, admin.password);
      await clinic.write(async (m) => {
        await m.insert('clinic', uuidv7(), { name: clinicName, created_at: now });
        await m.insert('settings', 'clinic', { value: JSON.stringify(defaultSettings) });
        await m.insert('users', userId, {
          username: admin.username, display_name: admin.displayName, roles: JSON.stringify(admin.roles), disabled: 0, created_at: now,
          key_record: adminKey.text,
        });
        for (const t of defaultAppointmentTypes) {
          await m.insert('appointment_types', uuidv7(), { name: t.name, duration_minutes: t.durationMinutes, mode: t.mode, active: 1 });
        }
        if (admin.roles.some((r) => r === 'physician' || r === 'nurse')) await m.insert('providers', userId, { active: 1 });
        m.audit({ userId, username: admin.username, action: 'setup.initialize', patientId: null, outcome: 'success', detail: null });
      });
      // The keyring is written last: its presence is what marks the workstation as set up.
      await wraps.wrapWith(keyring, dk, { userId, username: admin.username }, admin.password, adminKey.stamp);
    } catch (e) {
      // Nothing half-made stays, held or on disk: the next try starts afresh.
      this.deps.state.keyring = null;
      await this.deps.closeClinic();
      await this.deps.dataDir.discardDatabase();
      throw e;
    }
    this.deps.startSync();
    const user = await clinic.db.read((tx) => findUser(tx, userId));
    if (!user) throw new Error('admin user missing after setup');
    const session = sessions.begin(user);
    logger.info({ event: 'setup.initialize' }, 'workstation set up');
    if (this.deps.enrollAfterSetup) {
      const target = await this.deps.enrollAfterSetup(clinicName);
      const enrolled = await sync.enroll(target.cloudUrl, target.code, 'Workstation 1', 'setup');
      if (enrolled.ok) {
        if (enrolled.value.recoveryCode) sync.keepRecoveryCode(enrolled.value.recoveryCode);
        void sync.runNow();
      } else logger.warn({ event: 'sync.auto-enroll-failed', code: enrolled.error.code }, 'could not enroll with the embedded cloud');
    }
    return ok(session);
  }

  /**
   * Joins this (empty) workstation to an existing clinic with an enrollment code: registers with
   * the cloud, waits for an enrolled workstation to share the clinic key, starts from the newest
   * snapshot and pulls the rest, then seals the database key to every user's public key. Nobody
   * is signed in afterwards: each user signs in with the password they use elsewhere.
   */
  async join(cloudUrl: string, code: string, deviceName: string): Promise<Result<{ clinicName: string; users: number; workstationNumber: number }>> {
    const made = await this.fresh('');
    if (!made.ok) return made;
    const { keyring, clinic } = made.value;
    const { state, sync, logger } = this.deps;
    const abandon = async <T>(r: Result<T>): Promise<Result<never>> => {
      state.keyring = null;
      await this.deps.closeClinic();
      await this.deps.dataDir.discardDatabase();
      logger.warn({ event: 'setup.join-failed', code: r.ok ? 'unknown' : r.error.code }, 'joining the clinic failed');
      return r.ok ? fail('internal-error', 'Joining failed.') : (r as Result<never>);
    };
    const enrolled = await sync.enroll(cloudUrl, code, deviceName, 'enroll');
    if (!enrolled.ok) return abandon(enrolled);
    const deadline = Date.now() + (this.deps.joinKeyWaitMs ?? 60_000);
    for (;;) {
      const keys = await sync.refreshKeys();
      if (!keys.ok) return abandon(keys);
      if (keys.value > 0) break;
      if (Date.now() > deadline) {
        return abandon(fail('no-tenant-key', 'No workstation of the clinic shared the clinic key in time. Keep Chartroom open and signed in on another workstation, then join again with a new code.'));
      }
      await sleep(500);
    }
    const restored = await sync.restoreLatestSnapshot();
    if (!restored.ok) return abandon(restored);
    const pulled = await sync.syncOnce();
    if (!pulled.ok) return abandon(pulled);
    await this.deps.wraps.reconcile();
    const users = keyring.userCount;
    if (users === 0) {
      return abandon(fail('no-users-yet', 'No user of this clinic can sign in here yet: sign in once on a workstation that is already set up, then join again with a new code.'));
    }
    const row = await clinic.db.get<{ name: string }>('SELECT name FROM clinic ORDER BY created_at LIMIT 1');
    keyring.clinicName = row?.name ?? enrolled.value.tenantName;
    await keyring.save();
    await this.deps.closeClinic();
    logger.info({ event: 'setup.join', workstation: enrolled.value.number, snapshot: restored.value?.seq ?? null }, 'workstation joined its clinic');
    return ok({ clinicName: keyring.clinicName, users, workstationNumber: enrolled.value.number });
  }

  /** Restores the clinic onto this empty machine from its cloud with the recovery code (cloud-restore.ts). */
  async restoreFromCloud(place: CloudPlace & { target?: PointInTime }): Promise<Result<CloudRestoreOutcome>> {
    const made = await this.fresh('');
    if (!made.ok) return made;
    const { state, sync, logger, wraps } = this.deps;
    const done = await restoreClinicFromCloud({ sync, wraps, logger, workstationId: state.workstationId }, made.value, place);
    if (!done.ok) {
      state.keyring = null;
      await this.deps.closeClinic();
      await this.deps.dataDir.discardDatabase();
      logger.warn({ event: 'setup.cloud-restore-failed', code: done.error.code }, 'restoring from the cloud failed');
      return done;
    }
    await made.value.keyring.save();
    await this.deps.closeClinic();
    logger.info({ event: 'setup.cloud-restore', patients: done.value.patients }, 'clinic restored from its cloud');
    return done;
  }

  /**
   * Restores the clinic onto this empty workstation from an offline backup, opened with the
   * recovery code, and checks what it built (integrity, audit chains, per-table counts and
   * hashes against the backup's) before keeping it. Each user then signs in with their own
   * password. The workstation is not connected to a cloud afterwards; MRNs made here continue
   * after the ones in the backup.
   */
  async restoreBackup(bytes: Buffer, recoveryCode: string): Promise<Result<{ clinicName: string; users: number; patients: number; backupAt: string; auditRows: number }>> {
    const opened = await openBackup(bytes, recoveryCode);
    if (!opened.ok) return opened;
    const { header, snapshot } = opened.value;
    const made = await this.fresh('');
    if (!made.ok) return made;
    const { keyring, clinic } = made.value;
    const abandon = async (r: Result<never>): Promise<Result<never>> => {
      this.deps.state.keyring = null;
      await this.deps.closeClinic();
      await this.deps.dataDir.discardDatabase();
      this.deps.logger.warn({ event: 'setup.restore-failed', code: r.ok ? 'unknown' : r.error.code }, 'restoring from a backup failed');
      return r;
    };
    try {
      await clinic.replicate(async (tx) => {
        await restoreSnapshot(tx, snapshot);
        // New patients registered here must not take an MRN the backup already holds.
        const ws = await tx.get<{ number: number }>('SELECT number FROM workstation WHERE id = 1');
        const used = await tx.get<{ n: number | null }>("SELECT max(CAST(substr(mrn, 3, 6) AS INTEGER)) AS n FROM patients WHERE substr(mrn, 1, 2) = printf('%02d', ?)", [ws?.number ?? 1]);
        await tx.run('UPDATE mrn_sequence SET next = max(next, ?) WHERE id = 1', [(used?.n ?? 0) + 1]);
      });
    } catch (e) {
      if (e instanceof SnapshotRefused) return abandon(fail('backup-damaged', `The backup opened but its content cannot be restored: ${e.message}.`));
      throw e;
    }
    const checked = await checkRestored(clinic.db, header.tables);
    if (!checked.ok) return abandon(checked);
    await this.deps.wraps.reconcile();
    if (keyring.userCount === 0) return abandon(fail('no-users-yet', 'The backup holds no user who can sign in.'));
    await clinic.write((m) => m.audit({ userId: null, username: null, action: 'setup.restoreBackup', patientId: null, outcome: 'success', detail: `backup of ${header.createdAt} from workstation ${header.workstationNumber}; ${checked.value.rows} rows and ${checked.value.auditRows} audit rows checked` }));
    keyring.clinicName = header.clinicName;
    await keyring.save();
    await this.deps.closeClinic();
    this.deps.logger.info({ event: 'setup.restore-backup', rows: checked.value.rows }, 'clinic restored from a backup');
    return ok({ clinicName: header.clinicName, users: keyring.userCount, patients: header.tables.patients?.rows ?? 0, backupAt: header.createdAt, auditRows: checked.value.auditRows });
  }
}
