// This workstation tells the cloud, after each round, what it still has not sent: how many change
// sets (waiting, or set aside because the cloud would not take them) and the oldest one's time.
// Counts and a time, never content. Admins read the clinic's recovery point from it on the
// Security page: what a workstation lost now would take with it. Sent only when it changed, or
// every five minutes, so a busy clinic's rounds do not each pay a request.
import { parseHlc } from '../../../shared/sync/hlc';
import type { SyncStore } from '../clinic/open-clinic';
import { CloudError, cloudRequest } from './cloud-http';
import type { Identity } from './cloud-session';

const AGAIN_AFTER_MS = 5 * 60_000;

export interface LocalOutbox { readonly unsent: number; readonly oldestAt: string | null }

/** What waits here to be sent, and what was set aside unsent. */
export async function localOutbox(store: SyncStore): Promise<LocalOutbox> {
  const r = await store.db.get<{ pending: number; oldest: string | null; aside: number; aside_at: string | null }>(`SELECT
      (SELECT count(DISTINCT msg_id) FROM changes WHERE pushed = 0) AS pending,
      (SELECT min(hlc) FROM changes WHERE pushed = 0) AS oldest,
      (SELECT count(*) FROM sync_quarantine WHERE kind = 'unsent-change-set') AS aside,
      (SELECT min(received_at) FROM sync_quarantine WHERE kind = 'unsent-change-set') AS aside_at`);
  const times = [r?.oldest ? new Date(parseHlc(r.oldest).millis).toISOString() : null, r?.aside_at ?? null].filter((t): t is string => t !== null).sort();
  return { unsent: (r?.pending ?? 0) + (r?.aside ?? 0), oldestAt: times[0] ?? null };
}

export class OutboxReporter {
  private last: { said: string; at: number } | null = null;

  async report(store: SyncStore, id: Identity, token: string, now = Date.now()): Promise<void> {
    const outbox = await localOutbox(store);
    const said = JSON.stringify(outbox);
    if (this.last && this.last.said === said && now - this.last.at < AGAIN_AFTER_MS) return;
    try {
      await cloudRequest(id.cloudUrl, 'reportOutbox', { params: { tenantId: id.tenantId }, body: outbox, token });
    } catch (e) {
      // Advisory: a cloud that does not take it (an older service) never fails the round.
      if (e instanceof CloudError) return;
      throw e;
    }
    this.last = { said, at: now };
  }
}
