// The open clinic: the decrypted database and what lives only while it is open (the hybrid
// logical clock, the search index, the clinic's settings). It exists between sign-in and
// sign-out and nowhere else, so nothing can reach a closed database through it.
import { defaultSettings, type ClinicSettings } from '../../../shared/domain/settings';
import { fail, ok, type Result } from '../../../shared/errors';
import { Db, DbOpenError, type ReadableDb, type Tx } from '../db/connection';
import { localOnly } from '../db/local-writes';
import { migrate } from '../db/migrate';
import { HlcClock, mutate, type Mutator } from '../db/mutation';
import { PatientSearchIndex } from '../patients/patient-search';

/** What a write made: a change set for the other workstations, or audit rows only. */
export type WriteKind = 'change' | 'audit';

/** What a feature's handlers get: read, and write through the one mutation path. */
export interface Clinic {
  readonly db: ReadableDb;
  readonly search: PatientSearchIndex;
  readonly settings: ClinicSettings;
  /** This workstation (its audit rows carry it). */
  readonly workstationId: string;
  /** The settings just saved (the cache the session's auto-lock reads). */
  applySettings(settings: ClinicSettings): void;
  /** The one mutation path: table writes, change rows and audit in one transaction. */
  write<T>(fn: (m: Mutator) => Promise<T> | T): Promise<T>;
}

/** What sync gets besides: the clock it observes, its own tables, and the replication path. */
export interface SyncStore extends Clinic {
  readonly clock: HlcClock;
  /** A transaction over this workstation's own tables (sync state, keys, quarantine): a synced table throws. */
  local<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The other writer of synced tables besides the Mutator: remote change sets and snapshots,
   * applied under the clocks they carry (sync/apply.ts, sync/snapshot.ts).
   */
  replicate<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export class OpenClinic implements SyncStore {
  private current: ClinicSettings;

  private constructor(
    private readonly handle: Db,
    private readonly dk: Buffer,
    readonly clock: HlcClock,
    readonly workstationId: string,
    settings: ClinicSettings,
    private readonly afterWrite: (kind: WriteKind) => void,
  ) {
    this.current = settings;
    this.search = new PatientSearchIndex(handle);
  }

  readonly search: PatientSearchIndex;

  /** Opens (and migrates) the database under `dk`; the clinic owns `dk` from here and wipes it on close. */
  static async open(file: string, dk: Buffer, workstationId: string, afterWrite: (kind: WriteKind) => void): Promise<Result<OpenClinic>> {
    let db: Db;
    try {
      db = await Db.open({ file, key: dk });
    } catch (e) {
      if (e instanceof DbOpenError) return fail('db-locked', 'The clinic database cannot be opened on this workstation.');
      throw e;
    }
    const migrated = await migrate(db);
    if (!migrated.ok) {
      await db.close();
      return migrated;
    }
    const clock = await HlcClock.resume(db, workstationId);
    const row = await db.get<{ value: string }>("SELECT value FROM settings WHERE id = 'clinic'");
    const settings = row ? { ...defaultSettings, ...(JSON.parse(row.value) as Partial<ClinicSettings>) } : defaultSettings;
    return ok(new OpenClinic(db, dk, clock, workstationId, settings, afterWrite));
  }

  get db(): ReadableDb {
    return this.handle;
  }

  get settings(): ClinicSettings {
    return this.current;
  }

  /** The settings just saved here or arrived by sync. */
  applySettings(settings: ClinicSettings): void {
    this.current = settings;
  }

  /** The database key, for sealing it to a user's password or public key (keys/user-wraps.ts). */
  get databaseKey(): Buffer {
    return this.dk;
  }

  async write<T>(fn: (m: Mutator) => Promise<T> | T): Promise<T> {
    const { result, changed, audited } = await mutate(this.handle, this.clock, this.workstationId, fn);
    // A change set is sent at once; an audited read's row alone goes with a round a little later.
    if (changed) this.afterWrite('change');
    else if (audited) this.afterWrite('audit');
    return result;
  }

  local<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.handle.transaction((tx) => fn(localOnly(tx)));
  }

  replicate<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.handle.transaction(fn);
  }

  async close(): Promise<void> {
    await this.handle.close();
    this.dk.fill(0);
  }
}
