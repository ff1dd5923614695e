// What the clinic's history says its record is: every change set replayed from the first, in
// order, into a scratch database under a throwaway key in a private temporary folder, and the
// result's per-table counts and hashes. A restore from the cloud (snapshot plus what came after)
// must arrive at the same, or it is not kept.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordFingerprints, recordFingerprints } from '../backup/record-fingerprints';
import { OpenClinic } from '../clinic/open-clinic';
import { applyRemoteChangeSet } from '../sync/apply';
import type { HistoryMessage } from '../sync/history-read';
import { privateDir } from '../util/private-files';

const PER_TRANSACTION = 200;

export async function historyFingerprints(messages: readonly HistoryMessage[], workstationId: string): Promise<RecordFingerprints> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-history-check-'));
  privateDir(dir);
  const dk = randomBytes(32);
  try {
    const opened = await OpenClinic.open(join(dir, 'replay.db'), dk, workstationId, () => undefined);
    if (!opened.ok) throw new Error(`the scratch database would not open: ${opened.error.code}`);
    const scratch = opened.value;
    try {
      for (let i = 0; i < messages.length; i += PER_TRANSACTION) {
        await scratch.replicate(async (tx) => {
          for (const m of messages.slice(i, i + PER_TRANSACTION)) await applyRemoteChangeSet(tx, scratch.clock, m, m.rows, { newPatients: async () => [] });
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
