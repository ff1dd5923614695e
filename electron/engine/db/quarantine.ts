// What this workstation was sent and would not use, set aside for the admin with the reason:
// a change set that does not open or apply, a tenant key wrap that does not open, a snapshot
// that fails its checks, or (kept as a change set) a user's key record that is not one. Each is
// kept once (by what it is and where it stood), listed under *Workstations* until an admin
// acknowledges it, and sync goes on without it.
import type { QuarantineKind } from '../../../shared/domain/sync';
import type { Tx } from './connection';

export interface SetAside {
  readonly kind: QuarantineKind;
  /** The message id, key id or snapshot id. */
  readonly ref: string;
  /** Its place in the history (0 where it has none). */
  readonly seq: number;
  /** The device it claims to come from ('' when the cloud does not say). */
  readonly deviceId: string;
  readonly reason: string;
}

export async function setAside(tx: Tx, item: SetAside): Promise<void> {
  await tx.run('INSERT OR IGNORE INTO sync_quarantine (msg_id, seq, device_id, reason, received_at, kind) VALUES (?, ?, ?, ?, ?, ?)', [
    item.ref, item.seq, item.deviceId, item.reason, new Date().toISOString(), item.kind,
  ]);
}
