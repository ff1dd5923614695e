// What sync needs from the rest of the engine, and nothing more: the open clinic (when there is
// one), the domain checks a remote change set gets, the key housekeeping after users change,
// and what to do when the cloud says this workstation is revoked.
import type { SyncStore } from '../clinic/open-clinic';
import type { Announce } from '../events';
import type { ApplyChecks } from './apply';
import type { GuardKeeper } from './guard-registration';

export interface LockdownPort {
  /** The cloud refused this workstation as locked down. */
  heard(): Promise<void>;
  /** When the lockdown this workstation was lifted from began, while its key rotation is due. */
  liftedSince(): string | null;
  rotated(): Promise<void>;
}

export interface SyncHost {
  /** The open clinic, or null while nobody is signed in (nothing syncs then). */
  clinic(): SyncStore | null;
  /** Checks sync must not decide alone (a patient who may already be registered here). */
  readonly checks: ApplyChecks;
  /** Users arrived or changed: keep the keyring's entries in step with them. */
  reconcileUserWraps(): Promise<number>;
  /** Keeps the sign-in guard's credential, outside the database (sign-in-guard.ts). */
  readonly signInGuard: GuardKeeper;
  /** The cloud says this workstation is revoked: end the session and destroy the local keys. */
  destroyLocalKeys(): Promise<void>;
  /** The clinic-wide lockdown: heard from the cloud (lock the screen); a lift's key rotation due. */
  readonly lockdown: LockdownPort;
  /** Sync status and who waits in a video visit, for the UI. */
  readonly events: Announce;
  readonly workstationId: string;
}
