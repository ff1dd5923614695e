// Snapshots at the cloud: sealing this workstation's whole record as of its cursor and handing
// it over, starting an empty workstation from the newest one, and deciding now and then
// (asking the cloud first) whether the clinic needs a newer one.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SnapshotQuery as SnapshotQuerySchema } from '../../../shared/cloud-api/routes';
import { CloudError, cloudRequest, unreadable } from './cloud-http';
import type { CloudSession, Identity } from './cloud-session';
import { setAside } from '../db/quarantine';
import { buildSnapshot, openSnapshot, type Restored, restoreSnapshot, sealSnapshot, SnapshotRefused } from './snapshot';
import { currentKid, noTenantKey, type TenantKeys } from './tenant-keys';

/** Where a restored snapshot stood, and its plaintext (a restore's check replays onto a copy of it). */
export interface RestoredSnapshot {
  readonly seq: number;
  readonly rows: number;
  /** Its record hashed as its writer sealed it (v2): checked on the way in. */
  readonly sealed: boolean;
  readonly compressed: Buffer;
}

type SnapshotQuery = z.infer<typeof SnapshotQuerySchema>;

/** Where a snapshot may stand at the latest (a seq, a time the cloud received it). */
export type SnapshotBound = Readonly<Pick<SnapshotQuery, 'seq' | 'at'>>;

/** A snapshot is offered once this many messages have arrived since the newest one. */
export const defaultSnapshotEvery = 5000;

export class SnapshotSync {
  constructor(private readonly session: CloudSession, private readonly keys: TenantKeys, private readonly every = defaultSnapshotEvery) {}

  /** Seals the record as of the cursor and hands it to the cloud. */
  async upload(id: Identity, token: string): Promise<{ seq: number; bytes: number }> {
    const store = this.session.store;
    const keys = await this.keys.held();
    const kid = currentKid(keys.map((k) => k.kid));
    if (!kid) throw noTenantKey();
    // One read transaction: the rows and the cursor they match are taken together.
    const { seq, compressed } = await store.db.read(async (tx) => {
      const at = await tx.get<{ cursor: number }>('SELECT cursor FROM sync_identity WHERE id = 1');
      return { seq: at?.cursor ?? 0, compressed: await buildSnapshot(tx, this.session.host.workstationId) };
    });
    const snapshotId = randomUUID();
    const sealed = sealSnapshot(keys.find((k) => k.kid === kid)?.key as Buffer, { tenantId: id.tenantId, snapshotId, kid, seq, deviceId: id.deviceId }, compressed);
    await cloudRequest(id.cloudUrl, 'putSnapshot', { params: { tenantId: id.tenantId }, body: { snapshotId, seq, kid, ...sealed }, token });
    await store.local((tx) => tx.run('UPDATE sync_identity SET snapshot_seq = ? WHERE id = 1', [seq]));
    return { seq, bytes: sealed.ciphertext.length };
  }

  /**
   * Starts an empty workstation from the clinic's newest snapshot (within `bound`: for a restore
   * to a point in time, one made before it): restores it, then the cursor stands at the
   * snapshot's place, so the next round pulls only what came after.
   */
  async restoreLatest(id: Identity, token: string, bound: SnapshotBound = {}): Promise<RestoredSnapshot | null> {
    const store = this.session.store;
    const answer = await cloudRequest(id.cloudUrl, 'latestSnapshot', { params: { tenantId: id.tenantId }, query: bound, token });
    const snap = answer.snapshot;
    if (!snap || snap.seq <= id.cursor) return null;
    if (!('ciphertext' in snap)) throw unreadable();
    const key = await store.db.get<{ key: Buffer }>('SELECT key FROM tenant_keys WHERE kid = ?', [snap.kid]);
    if (!key) throw new CloudError(0, 'no-tenant-key', 'The clinic snapshot is under a key this workstation does not have yet.');
    const compressed = openSnapshot(key.key, { tenantId: id.tenantId, snapshotId: snap.snapshotId, kid: snap.kid, seq: snap.seq, deviceId: snap.deviceId }, snap);
    // A snapshot that fails its checks is set aside, and this workstation starts from the
    // history instead: slower, never stuck.
    const refuse = async (reason: string) => {
      await store.local((tx) => setAside(tx, { kind: 'snapshot', ref: snap.snapshotId, seq: snap.seq, deviceId: snap.deviceId, reason }));
      return null;
    };
    if (!compressed) return refuse('the clinic snapshot failed its authenticity check');
    let restored: Restored;
    try {
      restored = await store.replicate(async (tx) => {
        const r = await restoreSnapshot(tx, compressed);
        await tx.run('UPDATE sync_identity SET cursor = ?, snapshot_seq = ? WHERE id = 1', [snap.seq, snap.seq]);
        return r;
      });
    } catch (e) {
      if (!(e instanceof SnapshotRefused)) throw e;
      return refuse(`the clinic snapshot could not be restored: ${e.message}`);
    }
    // This workstation's clock moves past every stamp it took over, so its own next edit wins.
    const newest = await store.db.get<{ hlc: string | null }>('SELECT max(hlc) AS hlc FROM field_versions');
    try {
      if (newest?.hlc) store.clock.observe(newest.hlc);
    } catch {
      // A stamp far in the future is not followed; the field keeps it until a later edit.
    }
    return { seq: snap.seq, rows: restored.rows, sealed: restored.fingerprints !== null, compressed };
  }

  /**
   * Now and then a snapshot, so a new workstation need not replay the whole history. The cloud
   * is asked first, so the clinic's workstations do not each upload their own. Answers whether
   * this one uploaded.
   */
  async offer(id: Identity, token: string, cursor: number): Promise<boolean> {
    if (cursor - id.snapshotSeq < this.every) return false;
    const latest = await cloudRequest(id.cloudUrl, 'latestSnapshot', { params: { tenantId: id.tenantId }, query: { meta: '1' }, token });
    const latestSeq = latest.snapshot?.seq ?? 0;
    if (cursor - latestSeq >= this.every) {
      await this.upload(id, token);
      return true;
    }
    await this.session.store.local((tx) => tx.run('UPDATE sync_identity SET snapshot_seq = ? WHERE id = 1', [latestSeq]));
    return false;
  }
}
