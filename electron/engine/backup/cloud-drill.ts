// A restore drill from the clinic's cloud: the whole clinic restored, with the recovery code,
// into a temporary folder through the same restore a clean machine uses (IT's enrolment, the
// recovery wraps, the newest snapshot and the history after it, every check), timed, removed;
// the device it enrolled is then cut off at the cloud. What it restored is compared with the
// live record here, brought up to date first, at the place in the history it reached.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillReport } from '../../../shared/domain/backup';
import { fail, ok, type Result } from '../../../shared/errors';
import type { ReadableDb } from '../db/connection';
import { differing, recordFingerprints } from '../db/record-fingerprints';
import type { CloudPlace, CloudRestoreOutcome } from '../workstation/cloud-restore';

/** Restores the clinic from its cloud into an empty data dir, in an engine of its own. */
export type RestoreFromCloudInto = (dataDir: string, place: CloudPlace) => Promise<Result<CloudRestoreOutcome>>;

/** What the drill needs of this workstation's sync. */
export interface DrillSync {
  /** The cloud and clinic this workstation syncs with (null: not connected). */
  where(): Promise<{ cloudUrl: string; tenantId: string } | null>;
  /** A full round now: what waits here is sent, the rest of the clinic's history taken. */
  syncNow(): Promise<Result<unknown>>;
  /** Cuts off a device whose keys are gone (the drill's), without a new clinic key. */
  retire(deviceId: string): Promise<Result<unknown>>;
}

export async function runCloudDrill(sync: DrillSync, live: ReadableDb, restoreInto: RestoreFromCloudInto, recoveryCode: string, now = new Date()): Promise<Result<DrillReport>> {
  const where = await sync.where();
  if (!where) return fail('not-enrolled', 'This workstation is not connected to the clinic’s cloud, so there is nothing to drill from.');
  const before = await sync.syncNow();
  if (!before.ok) return before;
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-cloud-drill-'));
  const started = performance.now();
  let restored: Result<CloudRestoreOutcome>;
  try {
    restored = await restoreInto(dir, { ...where, recoveryCode, deviceName: `Restore drill ${now.toISOString().slice(0, 10)}` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const base = { at: now.toISOString(), source: 'cloud' as const, file: where.cloudUrl, backupAt: null, seconds };
  if (!restored.ok) {
    // An unreachable cloud is not a drill that failed (as a wrong code is): nothing was tried.
    if (restored.error.code === 'cloud-unreachable') return restored;
    return ok({ ...base, ok: false, message: restored.error.message, changedSince: [], seq: null });
  }
  const r = restored.value;
  const retired = await sync.retire(r.deviceId);
  // Brought up to the place the drill reached, then compared there.
  await sync.syncNow();
  const here = await live.read(async (tx) => ({ record: await recordFingerprints(tx), cursor: (await tx.get<{ cursor: number }>('SELECT cursor FROM sync_identity WHERE id = 1'))?.cursor ?? 0 }));
  const changedSince = differing(r.record, here.record);
  const moved = here.cursor > r.historySeq ? ` The clinic’s history moved on during the drill (to ${here.cursor}).` : '';
  return ok({
    ...base, ok: true, seq: r.historySeq, changedSince,
    message: `Restored ${r.patients} patients and ${r.auditRows} audit rows from the cloud as of place ${r.historySeq} in its history; integrity, audit chains and every table's count and hash checked${r.snapshotSeq === null ? ' against the whole history' : ` against the snapshot at ${r.snapshotSeq} and the ${r.messages} change sets after it`}. ${changedSince.length === 0 ? 'It equals the record on this workstation.' : `It differs from this workstation's record in: ${changedSince.join(', ')}.`}${moved}${retired.ok ? '' : ' The drill’s temporary workstation could not be cut off at the cloud: revoke it under Workstations.'}`,
  });
}
