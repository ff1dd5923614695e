// One round of sync: share keys, push every pending change set first (sealed under the current
// tenant key, in requests well under the service's limit) and the audit rows written since the
// last round, then pull (each batch and the cursor
// after it in one transaction) until current, or, for the background round, for a bounded time
// and number of pages, so a busy clinic's pushes never keep a round from ending and a local
// write waits at most one bounded round; then offer a snapshot now and then.
import { setAside } from '../db/quarantine';
import { MAX_CHANGE_SET_CIPHERTEXT, type Envelope } from '../../../shared/sync/wire';
import { CloudError, cloudRequest } from './cloud-http';
import type { CloudSession, Identity } from './cloud-session';
import { applyRemoteChangeSet, markPushed, pendingChangeSets } from './apply';
import { applyAuditBatch, sendAudit } from './audit-sync';
import { openChangeSet, sealChangeSet } from './envelope';
import type { BlobSync } from './blob-sync';
import type { SnapshotSync } from './snapshot-sync';
import { registerSignInGuard } from './guard-registration';
import { currentKid, firstKid, noTenantKey, type TenantKeys } from './tenant-keys';

export interface SyncReport {
  readonly pushed: number;
  readonly pulled: number;
  readonly applied: number;
  readonly refused: number;
  readonly conflicts: number;
  readonly keysShared: number;
  readonly snapshotUploaded: boolean;
  /** Chunks of documents' blobs sent and fetched. */
  readonly blobChunksSent: number;
  readonly blobChunksFetched: number;
  /** This workstation's change sets the cloud would not take, set aside this round. */
  readonly unsent: number;
  /** The pull stopped at its bound with more to come: another round should follow at once. */
  readonly more: boolean;
}

/** How far one bounded round pulls: pages, and time. */
export interface PullBound {
  readonly pages: number;
  /** Change sets per page: smaller pages let a waiting write go sooner. */
  readonly pageSize: number;
  readonly ms: number;
  /** A local write is waiting: the pull stops after the page in hand, so the write goes next. */
  readonly yieldTo?: () => boolean;
}

export interface RoundOptions {
  /** Null: pull until current (a join, the CLI, tests). */
  readonly bound?: PullBound | null;
  /** Whether this round fetches documents' blobs too (a join leaves them to the background rounds). */
  readonly fetchBlobs?: boolean;
}

/** At most this much ciphertext per push request (the service accepts 32 MB). */
const PUSH_BYTES = 8 * 1024 * 1024;

/** Consecutive groups of envelopes of at most `limit` bytes of ciphertext (a bigger one alone). */
function bySize<T extends { ciphertext: string }>(items: readonly T[], limit: number): T[][] {
  const out: T[][] = [];
  let size = 0;
  for (const item of items) {
    const last = out.at(-1);
    if (last && size + item.ciphertext.length <= limit) {
      last.push(item);
      size += item.ciphertext.length;
    } else {
      out.push([item]);
      size = item.ciphertext.length;
    }
  }
  return out;
}

export async function syncRound(
  session: CloudSession, tenantKeys: TenantKeys, snapshots: SnapshotSync, blobs: BlobSync, id: Identity, token: string, opts: RoundOptions = {},
): Promise<SyncReport> {
  const bound = opts.bound ?? null;
  const store = session.store;
  // What waits here goes first, under the newest key held: the key exchange (two requests) comes
  // after the push, unless this workstation holds no key yet.
  const heldFirst = await tenantKeys.held();
  let keysShared = heldFirst.length === 0 ? await tenantKeys.exchange(id, token) : 0;
  const keys = new Map((heldFirst.length === 0 ? await tenantKeys.held() : heldFirst).map((k) => [k.kid, k.key]));
  const kid = currentKid([...keys.keys()]);
  if (!kid) throw noTenantKey();
  const tenant = { tenantId: id.tenantId };
  let pushed = 0;
  let unsent = 0;
  // A change set the cloud will not take is set aside for the admin, never retried for ever:
  // the ones after it still go.
  const setAsideUnsent = async (msgId: string, reason: string) => {
    await store.local(async (tx) => {
      await setAside(tx, { kind: 'unsent-change-set', ref: msgId, seq: 0, deviceId: id.deviceId, reason });
      await markPushed(tx, [msgId]);
    });
    unsent++;
  };
  const send = async (batch: Envelope[]) => {
    await cloudRequest(id.cloudUrl, 'push', { params: tenant, body: { messages: batch }, token });
    await store.local((tx) => markPushed(tx, batch.map((e) => e.msgId)));
    pushed += batch.length;
  };
  for (;;) {
    const sets = await store.db.read((tx) => pendingChangeSets(tx, 200));
    if (sets.length === 0) break;
    const envelopes: Envelope[] = [];
    for (const s of sets) {
      const env = sealChangeSet({ kid, key: keys.get(kid) as Buffer }, { tenantId: id.tenantId, deviceId: id.deviceId, msgId: s.msgId }, s.rows, s.by);
      if (env.ciphertext.length > MAX_CHANGE_SET_CIPHERTEXT) await setAsideUnsent(s.msgId, `too large to send (${Math.ceil(env.ciphertext.length / 1024 / 1024)} MB sealed)`);
      else envelopes.push(env);
    }
    for (const batch of bySize(envelopes, PUSH_BYTES)) {
      try {
        await send(batch);
      } catch (e) {
        if (!(e instanceof CloudError) || (e.status !== 400 && e.status !== 413)) throw e;
        // Refused as it stands: one at a time, so only the one the cloud will not take stays behind.
        for (const one of batch) {
          try {
            await send([one]);
          } catch (e1) {
            if (!(e1 instanceof CloudError) || (e1.status !== 400 && e1.status !== 413)) throw e1;
            await setAsideUnsent(one.msgId, `the clinic cloud would not take it (${e1.code})`);
          }
        }
      }
    }
  }
  // The audit rows written here since the last round: the clinic's trail must not wait for a record change.
  await sendAudit(store, { kid, key: keys.get(kid) as Buffer }, id, token, session.host.workstationId);
  if (heldFirst.length > 0) {
    keysShared = await tenantKeys.exchange(id, token);
    // A key shared with this workstation just now opens what is pulled next.
    for (const k of await tenantKeys.held()) keys.set(k.kid, k.key);
  }
  // Documents' blobs go after the change sets that name them; a bounded round stops on time, or
  // for a local write.
  const roundStarted = Date.now();
  const stop = () => (bound ? Date.now() - roundStarted >= bound.ms || (bound.yieldTo?.() ?? false) : false);
  const blobsUp = await blobs.send(id, token, stop);
  let cursor = id.cursor;
  let pulled = 0;
  let applied = 0;
  let refused = 0;
  let conflicts = 0;
  let more = false;
  const pullStarted = Date.now();
  for (let page = 0; ; page++) {
    if (bound && page > 0 && (page >= bound.pages || Date.now() - pullStarted >= bound.ms || bound.yieldTo?.())) {
      more = true;
      break;
    }
    const { messages } = await cloudRequest(id.cloudUrl, 'pull', { params: tenant, query: { after: cursor, limit: bound?.pageSize ?? 500 }, token });
    if (messages.length === 0) break;
    // One transaction per batch (a savepoint per message inside it): the batch and the
    // cursor that follows it are kept together or not at all.
    await store.replicate(async (tx) => {
      for (const env of messages) {
        pulled++;
        if (env.deviceId === id.deviceId) continue;
        const opened = openChangeSet(keys, id.tenantId, env);
        if (opened.ok && opened.audit) {
          // Another workstation's audit rows; a batch with rows that do not check out is set aside there.
          const kept = await applyAuditBatch(tx, env, opened.audit, session.host.workstationId);
          if (kept.status === 'refused') refused++;
          continue;
        }
        const outcome = opened.ok ? await applyRemoteChangeSet(tx, store.clock, env, opened.rows, session.host.checks) : { status: 'refused' as const, reason: opened.reason };
        if (outcome.status === 'refused') {
          refused++;
          await setAside(tx, { kind: 'change-set', ref: env.msgId, seq: env.seq, deviceId: env.deviceId, reason: outcome.reason });
        } else if (outcome.status === 'applied') {
          applied++;
          conflicts += outcome.conflicts;
        }
      }
      await tx.run('UPDATE sync_identity SET cursor = ? WHERE id = 1', [messages.at(-1)?.seq ?? cursor]);
    });
    cursor = messages.at(-1)?.seq ?? cursor;
  }
  // Fetched in every round (as far as its bound allows), so documents arrive however busy the clinic.
  const blobsDown = opts.fetchBlobs === false ? { fetched: 0, more: false } : await blobs.fetch(id, token, stop);
  more ||= blobsUp.more || blobsDown.more;
  // Users changed elsewhere: new ones can now sign in here, disabled ones no longer.
  if (applied > 0) {
    await session.host.reconcileUserWraps();
    // Typo-tolerant search learns the names that arrived.
    store.search.forgetVocabulary();
  }
  // The clinic-wide lockout can be asked before sign-in once the cloud knows this workstation's guard secret.
  const first = firstKid([...keys.keys()]);
  await registerSignInGuard(session.host.signInGuard, id, token, first ? { kid: first, key: keys.get(first) as Buffer } : null);
  // A snapshot is offered from a workstation that is current, not halfway.
  const snapshotUploaded = more ? false : await snapshots.offer(id, token, cursor);
  return { pushed, pulled, applied, refused, conflicts, keysShared, snapshotUploaded, unsent, blobChunksSent: blobsUp.sent, blobChunksFetched: blobsDown.fetched, more };
}
