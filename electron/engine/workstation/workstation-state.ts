// What this workstation holds right now: its keyring (once set up or joined) and the open
// clinic (between sign-in and sign-out). One small holder the services share, so "is the
// database open?" has one answer and nothing keeps a stale copy.
import type { OpenClinic } from '../clinic/open-clinic';
import type { Keyring } from '../keys/keyring';

export class WorkstationState {
  keyring: Keyring | null = null;
  clinic: OpenClinic | null = null;

  get workstationId(): string {
    return this.keyring?.workstationId ?? 'uninitialised';
  }
}
