// What the clinic's history says its record is: the change sets replayed in order into a scratch
// database under a throwaway key in a private temporary folder, and the result's per-table counts
// and hashes. Replayed from the first, or (cheaper by far: a year's history takes minutes) from
// the snapshot the restore started from, whose record was checked against the counts and hashes
// its writer sealed into it. A restore from the cloud must arrive at the same, or it is not kept.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordFingerprints, recordFingerprints } from '../db/record-fingerprints';
import { OpenClinic } from '../clinic/open-clinic';
import { applyRemoteChangeSet } from '../sync/apply';
import { restoreSnapshot } from '../sync/snapshot';
import type { HistoryMessage } from '../sync/history-read';
import { privateDir } from '../util/private-files';

const PER_TRANSACTION = 200;

/** `from`: the snapshot (its plaintext, and its place) the replay starts on; without it, the first change set. */
export async function historyFingerprints(messages: readonly HistoryMessage[], workstationId: string, from?: { readonly seq: number; readonly compressed: Buffer }): Promise<RecordFingerprints> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-history-check-'));
  privateDir(dir);
  const dk = randomBytes(32);
  try {
    const opened = await OpenClinic.open(join(dir, 'replay.db'), dk, workstationId, () => undefined);
    if (!opened.ok) throw new Error(`the scratch database would not open: ${opened.error.code}`);
    const scratch = opened.value;
    try {
      if (from) await scratch.replicate((tx) => restoreSnapshot(tx, from.compressed));
      const after = from ? messages.filter((m) => m.seq > from.seq) : messages;
      for (let i = 0; i < after.length; i += PER_TRANSACTION) {
        await scratch.replicate(async (tx) => {
          for (const m of after.slice(i, i + PER_TRANSACTION)) await applyRemoteChangeSet(tx, scratch.clock, m, m.rows, { newPatients: async () => [] });
        });
      }
      return await scratch.db.read((tx) => recordFingerprints(tx));
    } finally {
      await scratch.close();
    }
  } finally {
    dk.fill(0);
    await rm(dir, { recursive: true, force: true });
  }
}
