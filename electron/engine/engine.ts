// The local EHR engine's composition root: it makes the services and wires them together, and
// holds nothing else. Plain Node; never imports electron. Hosts (Electron, the browser host, the
// admin CLI) reach it through the dispatcher (api/dispatcher.ts) and its events.
import type { EventName } from '../../shared/api/contract';
import { BackupService } from './backup/backup-service';
import { SessionService } from './session/session-service';
import { defaultLockoutPolicy, type LockoutPolicy, SignInAttempts } from './auth/sign-in-attempts';
import { SignInGuard } from './sync/sign-in-guard';
import type { OpenClinic } from './clinic/open-clinic';
import { EventBus, type Listener } from './events';
import { LockdownWatch } from './lockdown/lockdown-watch';
import { type KdfParams, productionKdf } from './keys/kdf';
import { FileKeyProtector, type KeyProtector } from './keys/key-protector';
import { Keyring, KeyringError } from './keys/keyring';
import { UserWraps } from './session/user-wraps';
import { type Logger, silentLogger } from './logger';
import { duplicateChecks } from './patients/duplicates';
import type { SyncHost } from './sync/sync-host';
import { SyncService } from './sync/sync-service';
import { ClinicLifecycle } from './workstation/clinic-lifecycle';
import { privateDir } from './util/private-files';
import { dataFiles, DataDir } from './workstation/data-dir';
import { join } from 'node:path';
import { SetupService } from './workstation/setup-service';
import { WorkstationState } from './workstation/workstation-state';
import { CareLedger } from './updates/care-ledger';
import { UpdateService } from './updates/update-service';
import { RELEASE_KEYS } from '../../shared/updates/release-keys';

export { dataFiles } from './workstation/data-dir';
export { defaultAppointmentTypes } from './workstation/setup-service';

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
  /** How often a locked-down workstation asks whether it was lifted (default 3 s). */
  readonly lockdownPollMs?: number;
  /** The version running (the app's), and whether this host installs updates (only the Electron app does). */
  readonly appVersion?: string;
  readonly installer?: 'desktop' | 'browser-host';
  /** The vendor keys releases must be signed with (default: the ones built in; tests give their own). */
  readonly releaseKeys?: readonly string[];
  /** The wall clock the update checks and the install window read (tests set it). */
  readonly updateClock?: () => Date;
}

/** What the engine is made of that had to be read from the data dir first. */
interface Parts {
  readonly dir: DataDir;
  readonly attempts: SignInAttempts;
  readonly guard: SignInGuard;
  readonly lockdown: LockdownWatch;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly updates: UpdateService;
  readonly care: CareLedger;
}

export class Engine {
  readonly events: EventBus;
  readonly state = new WorkstationState();
  readonly logger: Logger;
  readonly wraps: UserWraps;
  readonly sessions: SessionService;
  readonly setup: SetupService;
  /** Keeps an enrolled workstation in step with its clinic while the database is open. */
  readonly syncService: SyncService;
  /** This workstation's daily offline backup (backup/backup-service.ts). */
  readonly backups: BackupService;
  /** What sync is given of this engine (a second sync client, in tests and the CLI, takes it too). */
  readonly syncHost: SyncHost;
  private readonly lifecycle: ClinicLifecycle;

  /** The clinic-wide lockdown as this workstation knows it (lockdown/lockdown-watch.ts). */
  readonly lockdown: LockdownWatch;
  /** This workstation's updates: checked, verified, and installed when no care is under way (updates/). */
  readonly updates: UpdateService;
  /** Notes open in an editor and calls joined here, which an install waits for. */
  readonly care: CareLedger;

  private readonly dir: DataDir;

  private constructor(options: EngineOptions, { dir, attempts, guard, lockdown, events, logger, updates, care }: Parts) {
    this.dir = dir;
    this.updates = updates;
    this.care = care;
    this.lockdown = lockdown;
    this.events = events;
    this.logger = logger;
    const state = this.state;
    this.wraps = new UserWraps(state, options.kdf ?? productionKdf);
    this.syncHost = {
      clinic: () => state.clinic,
      checks: duplicateChecks,
      reconcileUserWraps: () => this.wraps.reconcile(),
      destroyLocalKeys: () => this.destroyLocalKeys(),
      signInGuard: guard,
      lockdown,
      events: this.events,
      get workstationId() {
        return state.workstationId;
      },
    };
    this.syncService = new SyncService(this.syncHost, options.snapshotEvery);
    this.backups = new BackupService({
      clinic: () => state.clinic, logger, get workstationId() { return state.workstationId; },
      // A drill restores through a whole engine of its own on the temporary data dir.
      restoreInto: (dataDir, bytes, code) => this.inEngineOfItsOwn(dataDir, options, (other) => other.setup.restoreBackup(bytes, code)),
      restoreFromCloudInto: (dataDir, place) => this.inEngineOfItsOwn(dataDir, options, (other) => other.setup.restoreFromCloud(place)),
      sync: {
        where: async () => {
          const id = await this.syncService.sync.identity().catch(() => null);
          return id ? { cloudUrl: id.cloudUrl, tenantId: id.tenantId } : null;
        },
        syncNow: () => this.syncService.sync.syncOnce(),
        retire: (deviceId) => this.syncService.sync.retire(deviceId),
      },
    });
    const lifecycle = (this.lifecycle = new ClinicLifecycle({
      state, dir: this.dir, events: this.events, logger: this.logger, sync: this.syncService, autoSync: options.autoSync !== false,
      forgetSession: () => this.sessions.forget(),
      forgetSignInGuard: () => guard.forget(),
    }));
    const openClinic = (dk: Buffer) => lifecycle.open(dk);
    const closeClinic = () => lifecycle.close();
    this.sessions = new SessionService({
      state, attempts, clinicWide: guard, lockdown, wraps: this.wraps, events: this.events, logger: this.logger, checkEveryMs: options.autoLockCheckMs,
      openClinic: async (dk) => {
        const opened = await openClinic(dk);
        if (opened.ok) lifecycle.startSync();
        return opened;
      },
      closeClinic,
    });
    this.setup = new SetupService({
      dataDir: this.dir, keyProtector: options.keyProtector, state, wraps: this.wraps, sessions: this.sessions, logger: this.logger,
      sync: {
        enroll: (...a) => this.syncService.sync.enroll(...a),
        refreshKeys: () => this.syncService.sync.refreshKeys(),
        restoreLatestSnapshot: (bound) => this.syncService.sync.restoreLatestSnapshot(bound),
        // The record now; documents' blobs come with the background rounds after.
        syncOnce: () => this.syncService.sync.syncOnce({ fetchBlobs: false }),
        enrollWithRecovery: (place) => this.syncService.sync.enrollWithRecovery(place),
        readHistory: (from) => this.syncService.sync.readHistory(from),
        keepRecoveryCode: (code) => this.syncService.keepRecoveryCode(code),
        runNow: () => this.syncService.runNow(),
      },
      openClinic, closeClinic, startSync: () => lifecycle.startSync(),
      enrollAfterSetup: options.enrollAfterSetup, joinKeyWaitMs: options.joinKeyWaitMs, lockdown,
    });
  }

  static async create(options: EngineOptions): Promise<Engine> {
    privateDir(options.dataDir);
    const dir = new DataDir(options.dataDir);
    const logger = options.logger ?? silentLogger;
    const attempts = await SignInAttempts.load(dir.signInAttempts, options.lockout ?? defaultLockoutPolicy);
    const guard = await SignInGuard.load(dir.signInGuard, options.keyProtector, logger);
    // Locking the screen reaches the engine once it exists: the watch is loaded first, so a restart stays locked.
    const events = new EventBus();
    let lockScreen: () => Promise<void> = async () => undefined;
    const lockdown = await LockdownWatch.load({
      file: dir.lockdown, ask: () => guard.lockdownStatus(), events, logger, lockScreen: () => lockScreen(), pollMs: options.lockdownPollMs,
    });
    const care = new CareLedger();
    let signedIn = () => false;
    const updates = await UpdateService.load({
      file: dir.updates, running: options.appVersion ?? '0.0.0', installer: options.installer ?? 'browser-host', trustedKeys: options.releaseKeys ?? RELEASE_KEYS,
      credential: () => guard.updateCredential(), care, signedIn: () => signedIn(), events, logger, now: options.updateClock,
    });
    const engine = new Engine(options, { dir, attempts, guard, lockdown, events, logger, updates, care });
    signedIn = () => engine.sessions.current() !== null;
    // A session that ends takes its care with it; a waiting update may install now.
    events.on('session.ended', () => {
      care.clear();
      void updates.evaluate();
    });
    // Once in touch with the cloud, the version running here is reported (the Workstations page shows it).
    events.on('sync.status', (s) => {
      if (s.state === 'online') void updates.checkedIn();
    });
    lockScreen = () => engine.lockScreen();
    if (await Keyring.exists(dir.keyring)) engine.state.keyring = await Keyring.load(dir.keyring, options.keyProtector);
    return engine;
  }

  get dataDir(): string {
    return this.dir.path;
  }

  get workstationId(): string {
    return this.state.workstationId;
  }

  /** The open clinic, or null while nobody is signed in. */
  get clinic(): OpenClinic | null {
    return this.state.clinic;
  }

  on<K extends EventName>(event: K, listener: Listener<K>): () => void {
    return this.events.on(event, listener);
  }

  /**
   * A revoked workstation: forget the session, close the database and delete the keyring, the
   * device key and the sign-in guard's credential (workstation/clinic-lifecycle.ts).
   */
  destroyLocalKeys(): Promise<void> {
    return this.lifecycle.destroyLocalKeys();
  }

  /** A lockdown holds this workstation: nobody stays signed in and the database closes (sync stops with it). */
  private async lockScreen(): Promise<void> {
    this.sessions.forget();
    await this.lifecycle.close();
  }

  /** A whole restore (a drill's) into an empty data dir, in an engine of its own, closed after. */
  private async inEngineOfItsOwn<T>(dataDir: string, options: EngineOptions, restore: (other: Engine) => Promise<T>): Promise<T> {
    const other = await Engine.create({ dataDir, keyProtector: new FileKeyProtector(join(dataDir, dataFiles.deviceKey)), kdf: options.kdf, logger: this.logger, autoSync: false });
    try {
      return await restore(other);
    } finally {
      await other.close();
    }
  }

  async close(): Promise<void> {
    this.lockdown.close();
    this.sessions.close();
    this.backups.close();
    await this.lifecycle.close();
    this.events.clear();
  }
}

export { KeyringError };
