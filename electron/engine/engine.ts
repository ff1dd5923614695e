// The local EHR engine: owns the keyring, the encrypted database and the signed-in session,
// and exposes the services the contract's handlers call. Plain Node; never imports electron.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import type { EventName, EventPayload } from '../../shared/api/contract';
import { defaultSettings, type ClinicSettings } from '../../shared/domain/settings';
import type { NewUser, SessionInfo, User } from '../../shared/domain/user';
import { fail, ok, type Result } from '../../shared/errors';
import { defaultLockoutPolicy, type LockoutPolicy, SignInAttempts } from './auth/sign-in-attempts';
import { findUser } from './auth/users';
import { Db, DbOpenError } from './db/connection';
import { migrate } from './db/migrate';
import { type KdfParams, productionKdf } from './keys/kdf';
import type { KeyProtector } from './keys/key-protector';
import { Keyring, KeyringError } from './keys/keyring';
import { keyStamp, newUserKey, parseUserKey } from './keys/user-keys';
import { type Logger, silentLogger } from './logger';
import { PatientSearchIndex } from './patients/patient-search';
import { HlcClock, mutate, type Mutator } from './sync/mutation';
import { SyncService } from './sync/sync-service';
import type { SyncStatus } from '../../shared/domain/sync';

export interface EngineOptions {
  readonly dataDir: string;
  readonly keyProtector: KeyProtector;
  /** Password KDF cost; production strength unless a test asks for less. */
  readonly kdf?: KdfParams;
  readonly lockout?: LockoutPolicy;
  readonly logger?: Logger;
  /** How often inactivity is checked. */
  readonly autoLockCheckMs?: number;
  /** Keep in step with the cloud in the background (default on; tests that drive sync by hand turn it off). */
  readonly autoSync?: boolean;
  /**
   * A cloud to enroll in as soon as the clinic is set up (the embedded local tenant service):
   * returns its address and the new tenant's setup code.
   */
  readonly enrollAfterSetup?: (clinicName: string) => Promise<{ cloudUrl: string; code: string }>;
  /** Messages between snapshots (tests and benchmarks make it small). */
  readonly snapshotEvery?: number;
  /** How long joining waits for an enrolled workstation to share the clinic key. */
  readonly joinKeyWaitMs?: number;
}

/** Appointment types a new clinic starts with; admins edit them under Schedule set-up. */
export const defaultAppointmentTypes = [
  { name: 'New patient visit', durationMinutes: 40, mode: 'in-person' },
  { name: 'Follow-up', durationMinutes: 20, mode: 'in-person' },
  { name: 'Annual physical', durationMinutes: 40, mode: 'in-person' },
  { name: 'Video visit', durationMinutes: 20, mode: 'video' },
] as const;

export const dataFiles = {
  database: 'chartroom.db',
  keyring: 'keyring.json',
  signInAttempts: 'sign-in-attempts.json',
  deviceKey: 'device.key',
  logs: 'logs',
} as const;

interface Session {
  user: User;
  state: 'active' | 'locked';
  lastActivity: number;
}

interface Open {
  db: Db;
  dk: Buffer;
  clock: HlcClock;
  search: PatientSearchIndex;
}

type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

export class Engine {
  private keyring: Keyring | null = null;
  private open: Open | null = null;
  private session: Session | null = null;
  private settings: ClinicSettings = defaultSettings;
  /** Shown once to the admin who set the clinic up, then forgotten. */
  private recoveryCode: string | null = null;
  private readonly emitter = new EventEmitter();
  private readonly timer: NodeJS.Timeout;
  readonly logger: Logger;
  readonly kdf: KdfParams;
  /** Keeps an enrolled workstation in step with its clinic while the database is open. */
  readonly syncService: SyncService;

  private constructor(readonly options: EngineOptions, private readonly attempts: SignInAttempts) {
    this.logger = options.logger ?? silentLogger;
    this.kdf = options.kdf ?? productionKdf;
    this.timer = setInterval(() => this.checkInactivity(), options.autoLockCheckMs ?? 1000);
    this.timer.unref();
    this.syncService = new SyncService(this);
  }

  static async create(options: EngineOptions): Promise<Engine> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const attempts = await SignInAttempts.load(join(options.dataDir, dataFiles.signInAttempts), options.lockout ?? defaultLockoutPolicy);
    const engine = new Engine(options, attempts);
    const keyringFile = join(options.dataDir, dataFiles.keyring);
    if (await Keyring.exists(keyringFile)) engine.keyring = await Keyring.load(keyringFile, options.keyProtector);
    return engine;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get databaseFile(): string {
    return join(this.options.dataDir, dataFiles.database);
  }

  // ---- events -------------------------------------------------------------------------

  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  private emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.emitter.emit(event, payload);
  }

  /** The recovery code from automatic enrollment, handed out once. */
  takeRecoveryCode(): string | null {
    const code = this.recoveryCode;
    this.recoveryCode = null;
    return code;
  }

  announceSync(status: SyncStatus): void {
    this.emit('sync.status', status);
  }

  /** A patient joined or left a video visit's waiting room (no PHI in the event). */
  announceVisitsChanged(): void {
    this.emit('visits.changed', {});
  }

  /** Tells the open views what happened in a video visit this workstation has joined. */
  announceVisit(payload: EventPayload<'visit.update'>): void {
    this.emit('visit.update', payload);
  }

  /** Tells open schedules and queues that these days changed (no PHI in the event). */
  scheduleChanged(...dates: string[]): void {
    this.emit('schedule.changed', { dates: [...new Set(dates.map((d) => d.slice(0, 10)))] });
  }

  // ---- setup --------------------------------------------------------------------------

  setupStatus(): { initialized: boolean; clinicName: string | null } {
    return { initialized: this.keyring !== null, clinicName: this.keyring?.clinicName ?? null };
  }

  get workstationId(): string {
    return this.keyring?.workstationId ?? 'uninitialised';
  }

  /**
   * A new keyring (in memory until saved) and a new database under a fresh key, for a
   * workstation being set up or joining its clinic.
   */
  private async freshWorkstation(clinicName: string): Promise<Result<{ keyring: Keyring; db: Db; dk: Buffer; clock: HlcClock }>> {
    if (this.keyring) return fail('already-initialized', 'This workstation is already set up.');
    await this.setAsideOrphanedDatabase();
    const keyring = await Keyring.create(join(this.dataDir, dataFiles.keyring), this.options.keyProtector, clinicName);
    const dk = randomBytes(32);
    const db = await Db.open({ file: this.databaseFile, key: dk });
    const migrated = await migrate(db);
    if (!migrated.ok) {
      await db.close();
      return migrated;
    }
    return ok({ keyring, db, dk, clock: await HlcClock.resume(db, keyring.workstationId) });
  }

  async initialize(clinicName: string, admin: NewUser): Promise<Result<SessionInfo>> {
    const fresh = await this.freshWorkstation(clinicName);
    if (!fresh.ok) return fresh;
    const { keyring, db, dk, clock } = fresh.value;
    const userId = uuidv7();
    const now = new Date().toISOString();
    const adminKey = await this.newKeyRecord(userId, admin.password);
    await mutate(db, clock, keyring.workstationId, async (m) => {
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
    await keyring.setUserWrap({ userId, username: admin.username }, admin.password, dk, this.kdf, adminKey.stamp);
    this.keyring = keyring;
    this.open = { db, dk, clock, search: new PatientSearchIndex(db) };
    if (this.options.autoSync !== false) this.syncService.start();
    const user = await db.read((tx) => findUser(tx, userId));
    if (!user) throw new Error('admin user missing after setup');
    this.settings = defaultSettings;
    this.session = { user, state: 'active', lastActivity: Date.now() };
    this.logger.info({ event: 'setup.initialize' }, 'workstation set up');
    if (this.options.enrollAfterSetup) {
      const target = await this.options.enrollAfterSetup(clinicName);
      const enrolled = await this.syncService.sync.enroll(target.cloudUrl, target.code, 'Workstation 1', 'setup');
      if (enrolled.ok) {
        this.recoveryCode = enrolled.value.recoveryCode;
        void this.syncService.runNow();
      } else this.logger.warn({ event: 'sync.auto-enroll-failed', code: enrolled.error.code }, 'could not enroll with the embedded cloud');
    }
    return ok(this.sessionInfo());
  }

  /**
   * Joins this (empty) workstation to an existing clinic with an enrollment code: registers with
   * the cloud, waits for an enrolled workstation to share the clinic key, starts from the newest
   * snapshot and pulls the rest, then seals the database key to every user's public key. Nobody
   * is signed in afterwards: each user signs in with the password they use elsewhere.
   */
  async join(cloudUrl: string, code: string, deviceName: string): Promise<Result<{ clinicName: string; users: number; workstationNumber: number }>> {
    const fresh = await this.freshWorkstation('');
    if (!fresh.ok) return fresh;
    const { keyring, db, dk, clock } = fresh.value;
    // Held in memory only: until the keyring is written at the end, this workstation is not set up.
    this.keyring = keyring;
    this.open = { db, dk, clock, search: new PatientSearchIndex(db) };
    const abandon = async <T>(r: Result<T>): Promise<Result<never>> => {
      this.keyring = null;
      await this.closeDatabase();
      await this.setAsideOrphanedDatabase();
      this.logger.warn({ event: 'setup.join-failed', code: r.ok ? 'unknown' : r.error.code }, 'joining the clinic failed');
      return r.ok ? fail('internal-error', 'Joining failed.') : (r as Result<never>);
    };
    const sync = this.syncService.sync;
    const enrolled = await sync.enroll(cloudUrl, code, deviceName, 'enroll');
    if (!enrolled.ok) return abandon(enrolled);
    const deadline = Date.now() + (this.options.joinKeyWaitMs ?? 60_000);
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
    await this.reconcileUserWraps();
    const users = keyring.userCount;
    if (users === 0) {
      return abandon(fail('no-users-yet', 'No user of this clinic can sign in here yet: sign in once on a workstation that is already set up, then join again with a new code.'));
    }
    const clinic = await db.get<{ name: string }>('SELECT name FROM clinic ORDER BY created_at LIMIT 1');
    keyring.clinicName = clinic?.name ?? enrolled.value.tenantName;
    await keyring.save();
    await this.closeDatabase();
    this.logger.info({ event: 'setup.join', workstation: enrolled.value.number, snapshot: restored.value?.seq ?? null }, 'workstation joined its clinic');
    return ok({ clinicName: keyring.clinicName, users, workstationNumber: enrolled.value.number });
  }

  /** A database without a keyring is unreadable forever (an interrupted setup): keep it aside. */
  private async setAsideOrphanedDatabase(): Promise<void> {
    const names = await readdir(this.dataDir);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (const n of names.filter((f) => f.startsWith(dataFiles.database))) {
      await rename(join(this.dataDir, n), join(this.dataDir, `orphaned-${stamp}-${n}`));
    }
  }

  // ---- sessions -----------------------------------------------------------------------

  async signIn(username: string, password: string): Promise<Result<SessionInfo>> {
    const keyring = this.keyring;
    if (!keyring) return fail('not-initialized', 'This workstation has not been set up yet.');
    const lockedMs = this.attempts.lockedFor(username);
    if (lockedMs > 0) return this.lockedOut(lockedMs);
    const unwrapped = await keyring.unwrap(username, password);
    if (!unwrapped) return this.failedAttempt(username);
    const opened = await this.openDatabase(unwrapped.dk);
    if (!opened.ok) return opened;
    const user = await opened.value.db.read((tx) => findUser(tx, unwrapped.userId));
    if (!user) return this.failedAttempt(username);
    if (user.disabled) return fail('user-disabled', 'This account is disabled. Ask a practice admin.');
    await this.attempts.recordSuccess(username);
    await this.settleUserKey(user, password, unwrapped.firstHere);
    if (this.session && this.session.user.id !== user.id) this.emit('session.ended', { reason: 'other-user' });
    this.session = { user, state: 'active', lastActivity: Date.now() };
    await this.write((m) => m.audit({ userId: user.id, username: user.username, action: 'session.signIn', patientId: null, outcome: 'success', detail: null }));
    this.logger.info({ event: 'session.signIn' }, 'signed in');
    return ok(this.sessionInfo());
  }

  /** A user's key record, sealed under their password, and its stamp. */
  async newKeyRecord(userId: string, password: string): Promise<{ text: string; stamp: string }> {
    const record = await newUserKey(userId, password, this.kdf);
    return { text: JSON.stringify(record), stamp: keyStamp(record) };
  }

  /**
   * After a password sign-in: the first one here becomes an ordinary keyring entry; an account
   * from before user keys gets its key record now (the only moment its password is known); then
   * every other user's entry is brought up to date.
   */
  private async settleUserKey(user: User, password: string, firstHere: boolean): Promise<void> {
    const row = await this.db.get<{ key_record: string | null }>('SELECT key_record FROM users WHERE id = ?', [user.id]);
    let record = parseUserKey(row?.key_record ?? null);
    if (!record) {
      const fresh = await this.newKeyRecord(user.id, password);
      await this.write((m) => m.update('users', user.id, { key_record: fresh.text }));
      record = parseUserKey(fresh.text);
    }
    const stamp = record ? keyStamp(record) : undefined;
    if (firstHere || this.keys.stampOf(user.id) !== stamp) {
      await this.keys.setUserWrap({ userId: user.id, username: user.username }, password, this.databaseKey, this.kdf, stamp);
    }
    await this.reconcileUserWraps();
  }

  /**
   * Keeps the keyring in step with the synced users: an active user this workstation has no
   * entry for (or whose password changed elsewhere) gets the database key sealed to their public
   * key; a disabled user loses their entry.
   */
  async reconcileUserWraps(): Promise<number> {
    if (!this.open || !this.keyring) return 0;
    const keyring = this.keyring;
    const rows = await this.open.db.all<{ id: string; username: string; disabled: number; key_record: string | null }>('SELECT id, username, disabled, key_record FROM users');
    const stale: { userId: string; username: string; userKey: NonNullable<ReturnType<typeof parseUserKey>> }[] = [];
    for (const r of rows) {
      if (r.disabled) {
        if (keyring.hasUser(r.id)) await keyring.removeUser(r.id);
        continue;
      }
      const record = parseUserKey(r.key_record);
      if (record && keyring.stampOf(r.id) !== keyStamp(record)) stale.push({ userId: r.id, username: r.username, userKey: record });
    }
    await keyring.setPendingWraps(stale, this.open.dk);
    return stale.length;
  }

  async unlock(password: string): Promise<Result<SessionInfo>> {
    const checked = await this.checkOwnPassword(password);
    if (!checked.ok) return checked;
    if (!this.session) return fail('not-signed-in', 'Nobody is signed in.');
    this.session.state = 'active';
    this.session.lastActivity = Date.now();
    return ok(this.sessionInfo());
  }

  lock(reason: 'inactivity' | 'user'): void {
    if (!this.session || this.session.state === 'locked') return;
    this.session.state = 'locked';
    this.emit('session.locked', { reason });
  }

  async signOut(reason: 'signed-out' | 'user-disabled' = 'signed-out'): Promise<void> {
    const s = this.session;
    if (s) {
      await this.write((m) => m.audit({ userId: s.user.id, username: s.user.username, action: 'session.signOut', patientId: null, outcome: 'success', detail: null }));
    }
    this.session = null;
    await this.closeDatabase();
    this.emit('session.ended', { reason });
  }

  touch(): void {
    if (this.session?.state === 'active') this.session.lastActivity = Date.now();
  }

  currentSession(): Session | null {
    return this.session;
  }

  sessionInfo(): SessionInfo {
    if (!this.session) throw new Error('no session');
    return { user: this.session.user, state: this.session.state, workstationId: this.workstationId, autoLockSeconds: this.settings.autoLockSeconds };
  }

  private checkInactivity(): void {
    const s = this.session;
    if (s?.state === 'active' && Date.now() - s.lastActivity >= this.settings.autoLockSeconds * 1000) this.lock('inactivity');
  }

  private lockedOut(ms: number): Result<never> {
    const minutes = Math.ceil(ms / 60_000);
    return fail('locked-out', `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, { retryAfterSeconds: Math.ceil(ms / 1000) });
  }

  private async failedAttempt(username: string): Promise<Result<never>> {
    const { delayMs, locked } = await this.attempts.recordFailure(username);
    this.logger.warn({ event: 'session.failed-attempt', locked }, 'failed password attempt');
    await sleep(delayMs);
    if (locked) return this.lockedOut(this.attempts.lockedFor(username));
    return fail('wrong-password', 'The username or password is not right.');
  }

  /**
   * Checks the signed-in user's password (before a password change) with the same lockout and
   * delays as sign-in, without touching the database.
   */
  async checkOwnPassword(password: string): Promise<Result<true>> {
    const s = this.session;
    if (!s || !this.keyring) return fail('not-signed-in', 'Nobody is signed in.');
    const lockedMs = this.attempts.lockedFor(s.user.username);
    if (lockedMs > 0) return this.lockedOut(lockedMs);
    const unwrapped = await this.keyring.unwrap(s.user.username, password);
    if (!unwrapped || unwrapped.userId !== s.user.id) return this.failedAttempt(s.user.username);
    unwrapped.dk.fill(0);
    await this.attempts.recordSuccess(s.user.username);
    return ok(true);
  }

  // ---- database -----------------------------------------------------------------------

  private async openDatabase(dk: Buffer): Promise<Result<Open>> {
    if (this.open) {
      dk.fill(0);
      return ok(this.open);
    }
    let db: Db;
    try {
      db = await Db.open({ file: this.databaseFile, key: dk });
    } catch (e) {
      if (e instanceof DbOpenError) return fail('db-locked', 'The clinic database cannot be opened on this workstation.');
      throw e;
    }
    const migrated = await migrate(db);
    if (!migrated.ok) {
      await db.close();
      return migrated;
    }
    const clock = await HlcClock.resume(db, this.workstationId);
    const row = await db.get<{ value: string }>("SELECT value FROM settings WHERE id = 'clinic'");
    this.settings = row ? { ...defaultSettings, ...(JSON.parse(row.value) as Partial<ClinicSettings>) } : defaultSettings;
    this.open = { db, dk, clock, search: new PatientSearchIndex(db) };
    if (this.options.autoSync !== false) this.syncService.start();
    return ok(this.open);
  }

  private async closeDatabase(): Promise<void> {
    this.syncService.stop();
    const o = this.open;
    this.open = null;
    if (!o) return;
    await o.db.close();
    o.dk.fill(0);
  }

  /** The open database; only reachable while someone is signed in. */
  get db(): Db {
    if (!this.open) throw new Error('database is not open');
    return this.open.db;
  }

  get search(): PatientSearchIndex {
    if (!this.open) throw new Error('database is not open');
    return this.open.search;
  }

  /** The workstation's hybrid logical clock (sync observes remote stamps through it). */
  get clock(): HlcClock {
    if (!this.open) throw new Error('database is not open');
    return this.open.clock;
  }

  get databaseKey(): Buffer {
    if (!this.open) throw new Error('database is not open');
    return this.open.dk;
  }

  get keys(): Keyring {
    if (!this.keyring) throw new Error('not initialised');
    return this.keyring;
  }

  /** The one mutation path: writes, change rows and audit in one transaction. */
  async write<T>(fn: (m: Mutator) => Promise<T> | T): Promise<T> {
    if (!this.open) throw new Error('database is not open');
    const result = await mutate(this.open.db, this.open.clock, this.workstationId, fn);
    this.syncService.written();
    return result;
  }

  get isOpen(): boolean {
    return this.open !== null;
  }

  applySettings(settings: ClinicSettings): void {
    this.settings = settings;
  }

  get clinicSettings(): ClinicSettings {
    return this.settings;
  }

  refreshSessionUser(user: User): void {
    if (this.session?.user.id === user.id) this.session.user = user;
  }

  /**
   * A revoked workstation: forget the session, close the database and delete the keyring and
   * device key, so the database file can never be opened here again.
   */
  async destroyLocalKeys(): Promise<void> {
    this.session = null;
    await this.closeDatabase();
    this.keyring = null;
    await rm(join(this.dataDir, dataFiles.keyring), { force: true });
    await rm(join(this.dataDir, dataFiles.deviceKey), { force: true });
    this.logger.warn({ event: 'workstation.revoked' }, 'workstation revoked: local keys destroyed');
    this.emit('session.ended', { reason: 'workstation-revoked' });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.syncService.stop();
    this.session = null;
    await this.closeDatabase();
    this.emitter.removeAllListeners();
  }
}

export { KeyringError };
