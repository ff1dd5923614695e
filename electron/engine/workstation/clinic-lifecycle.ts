// Opening and closing the clinic on this workstation: the database opens under a user's
// database key (sync starts with it), closes at sign-out (sync stops, the key is wiped), and a
// revoked workstation destroys its keyring, device key and sign-in guard credential so the file
// never opens here again.
import { rm } from 'node:fs/promises';
import { ok, type Result } from '../../../shared/errors';
import { OpenClinic } from '../clinic/open-clinic';
import type { Announce } from '../events';
import type { Logger } from '../logger';
import type { DataDir } from './data-dir';
import type { WorkstationState } from './workstation-state';

export interface LifecycleDeps {
  readonly state: WorkstationState;
  readonly dir: DataDir;
  readonly events: Announce;
  readonly logger: Logger;
  /** The background sync: told of every write, started with the clinic, stopped before it closes. */
  readonly sync: { written(): void; audited(): void; start(): void; stop(): void };
  /** Keep in step in the background (tests that drive sync by hand turn it off). */
  readonly autoSync: boolean;
  /** Ends the session without a word to the clinic (revocation). */
  forgetSession(): void;
  /** Deletes the sign-in guard's credential (revocation). */
  forgetSignInGuard(): Promise<void>;
}

export class ClinicLifecycle {
  constructor(private readonly d: LifecycleDeps) {}

  /** Opens the clinic under `dk` (or answers the one already open, wiping `dk`). */
  async open(dk: Buffer): Promise<Result<OpenClinic>> {
    const { state, dir, sync } = this.d;
    if (state.clinic) {
      dk.fill(0);
      return ok(state.clinic);
    }
    const opened = await OpenClinic.open(dir.database, dk, state.workstationId, (kind) => (kind === 'change' ? sync.written() : sync.audited()));
    if (opened.ok) state.clinic = opened.value;
    return opened;
  }

  startSync(): void {
    if (this.d.autoSync && this.d.state.clinic) this.d.sync.start();
  }

  async close(): Promise<void> {
    this.d.sync.stop();
    const clinic = this.d.state.clinic;
    this.d.state.clinic = null;
    await clinic?.close();
  }

  /**
   * A revoked workstation: forget the session, close the database and delete the keyring and
   * device key, so the database file can never be opened here again.
   */
  async destroyLocalKeys(): Promise<void> {
    this.d.forgetSession();
    await this.close();
    this.d.state.keyring = null;
    await rm(this.d.dir.keyring, { force: true });
    await rm(this.d.dir.deviceKey, { force: true });
    await this.d.forgetSignInGuard();
    this.d.logger.warn({ event: 'workstation.revoked' }, 'workstation revoked: local keys destroyed');
    this.d.events.emit('session.ended', { reason: 'workstation-revoked' });
  }
}
