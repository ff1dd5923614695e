// Restoring the clinic onto an empty machine from its cloud with the recovery code alone (every
// workstation lost), optionally to a point in time before an attack. Enrolled as a new device by
// IT's key, the clinic keys from their recovery wraps; then the newest snapshot (for a point in
// time, the newest made before it: one sealed after the attack could hold anything), the history
// after it, and a check before anything is kept: integrity, audit chains, and per-table counts
// and hashes against the snapshot's sealed ones and a replay of what came after it.
import { fail, ok, type Result } from '../../../shared/errors';
import type { CloudRestored } from '../../../shared/domain/restore';
import { checkRestored } from '../backup/restore-checks';
import type { OpenClinic } from '../clinic/open-clinic';
import type { RecordFingerprints } from '../db/record-fingerprints';
import type { Keyring } from '../keys/keyring';
import type { Logger } from '../logger';
import type { UserWraps } from '../session/user-wraps';
import type { HistoryMessage } from '../sync/history-read';
import type { RestoredSnapshot, SnapshotBound } from '../sync/snapshot-sync';
import { takeClinicBack, type TakenBack } from '../undo/take-back';
import { historyFingerprints } from './history-check';

/** Where a clean machine restores the clinic from, and with what. */
export interface CloudPlace {
  readonly cloudUrl: string;
  readonly tenantId: string;
  readonly recoveryCode: string;
  readonly deviceName: string;
}

/** A restore to a point in time: the clinic as of after history place `seq`, or as of instant `at` (ms). */
export type PointInTime = { readonly kind: 'after-seq'; readonly seq: number } | { readonly kind: 'after-time'; readonly at: number };

/** The cloud steps a restore takes (the sync client answers them). */
export interface RestoreSync {
  /** A clean machine enrolled with the recovery code alone, holding every clinic key. */
  enrollWithRecovery(place: CloudPlace): Promise<Result<{ tenantName: string; number: number }>>;
  restoreLatestSnapshot(bound?: SnapshotBound): Promise<Result<RestoredSnapshot | null>>;
  syncOnce(): Promise<Result<unknown>>;
  /** The clinic's history, opened: whole, or after place `from`. */
  readHistory(from?: number): Promise<Result<{ messages: HistoryMessage[]; unreadable: number }>>;
}

/** What the restore reports, and what a drill compares: the record as built, where it stands, the device it enrolled. */
export type CloudRestoreOutcome = CloudRestored & { readonly record: RecordFingerprints; readonly historySeq: number; readonly deviceId: string };

export interface CloudRestoreDeps {
  readonly sync: RestoreSync;
  readonly wraps: UserWraps;
  readonly logger: Logger;
  readonly workstationId: string;
}

/** The snapshot a restore may start from: for a point in time, one made before it. */
export function snapshotBound(target: PointInTime | undefined): SnapshotBound {
  if (!target) return {};
  return target.kind === 'after-seq' ? { seq: target.seq } : { at: new Date(target.at).toISOString() };
}

/**
 * Fills the freshly made `clinic` (its keyring not saved yet). Answers an error value for the
 * caller to abandon the restore with; nothing is kept until the caller saves the keyring.
 */
export async function restoreClinicFromCloud(deps: CloudRestoreDeps, made: { keyring: Keyring; clinic: OpenClinic }, place: CloudPlace & { target?: PointInTime }): Promise<Result<CloudRestoreOutcome>> {
  const { sync, logger } = deps;
  const { keyring, clinic } = made;
  const enrolled = await sync.enrollWithRecovery(place);
  if (!enrolled.ok) return enrolled;
  const restored = await sync.restoreLatestSnapshot(snapshotBound(place.target));
  if (!restored.ok) return restored;
  const snapshot = restored.value;
  const pulled = await sync.syncOnce();
  if (!pulled.ok) return pulled;
  // A snapshot of an older build has no sealed hashes: then only the whole history vouches for it.
  const from = snapshot?.sealed ? snapshot : undefined;
  // Going back in time needs every earlier value of a field (the whole history); the newest
  // state needs only what the check replays.
  const history = await sync.readHistory(place.target ? 0 : (from?.seq ?? 0));
  if (!history.ok) return history;
  const checked = await checkRestored(clinic.db, await historyFingerprints(history.value.messages, deps.workstationId, from));
  if (!checked.ok) return checked;
  await deps.wraps.reconcile();
  if (keyring.userCount === 0) return fail('no-users-yet', 'The clinic’s history holds no user who can sign in.');
  const replayed = history.value.messages.filter((m) => m.seq > (from?.seq ?? 0)).length;
  // Back in time: the whole clinic moves to the target, and what came after is kept aside here.
  let takenBack: TakenBack | null = null;
  if (place.target) {
    const back = await takeClinicBack(clinic, history.value.messages, place.target, (detail) => ({ userId: null, username: null, action: 'setup.restoreFromCloud', patientId: null, outcome: 'success', detail }));
    if (!back.ok) return back;
    takenBack = back.value;
    const sent = await sync.syncOnce();
    if (!sent.ok) logger.warn({ event: 'setup.take-back-unsent', code: sent.error.code }, 'the restore’s change sets wait to be sent');
  }
  const row = await clinic.db.get<{ name: string; patients: number }>('SELECT name, (SELECT count(*) FROM patients) AS patients FROM clinic ORDER BY created_at LIMIT 1');
  const at = await clinic.db.get<{ cursor: number; device_id: string }>('SELECT cursor, device_id FROM sync_identity WHERE id = 1');
  const detail = `from the cloud with the recovery code; snapshot ${snapshot?.seq ?? 'none'}${from ? ' (its sealed hashes checked)' : ''}, ${replayed} change sets replayed to check; ${checked.value.rows} rows and ${checked.value.auditRows} audit rows checked`;
  await clinic.write((m) => m.audit({ userId: null, username: null, action: 'setup.restoreFromCloud', patientId: null, outcome: 'success', detail }));
  keyring.clinicName = row?.name ?? enrolled.value.tenantName;
  return ok({
    clinicName: keyring.clinicName, users: keyring.userCount, patients: row?.patients ?? 0, auditRows: checked.value.auditRows,
    workstationNumber: enrolled.value.number, snapshotSeq: snapshot?.seq ?? null, messages: replayed, takenBack,
    record: checked.value.record, historySeq: at?.cursor ?? 0, deviceId: at?.device_id ?? '',
  });
}
