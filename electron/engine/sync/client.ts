// The workstation's side of sync, as one facade over its parts: enrolment with a one-time code
// (the first workstation also makes the tenant key and the recovery code), the devices list and
// revocation, and what cloud-session, tenant-keys, snapshot-sync, sync-round and visit-calls do.
// Everything that leaves here is ciphertext; a revoked workstation destroys its keys.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../../../shared/errors';
import { exportPrivate, generateBoxKeyPair, itSigningKey, newRecoveryCode, recoveryKeyPair } from '../keys/tenant-key-wrap';
import { CloudError, cloudRequest, type RequestInput, socketUrl } from './cloud-http';
import type { RouteAnswer, RouteBody } from '../../../shared/cloud-api/routes';
import { probeCloud } from './cloud-probe';
import { enrollWithRecovery } from './recovery-enroll';
import { type HistoryMessage, readHistory } from './history-read';
import { BlobSync } from './blob-sync';
import { CloudSession, type Identity } from './cloud-session';
import type { DeviceInfo } from '../../../shared/domain/sync';
import { changeAuthor } from '../db/change-author';
import { localOutbox, OutboxReporter } from './outbox-report';
import { defaultSnapshotEvery, type RestoredSnapshot, type SnapshotBound, SnapshotSync } from './snapshot-sync';
import type { SyncHost } from './sync-host';
import { type RoundOptions, type SyncReport, syncRound } from './sync-round';
import { currentKid, kidTime, TenantKeys } from './tenant-keys';
import type { Lockdown } from '../../../shared/domain/lockdown';
import { VisitCalls } from './visit-calls';

export { defaultSnapshotEvery } from './snapshot-sync';
export type { SyncReport } from './sync-round';

const raw = (pub: KeyObject) => Buffer.from(pub.export({ format: 'jwk' }).x as string, 'base64url').toString('base64');

export class SyncClient {
  private readonly session: CloudSession;
  private readonly keys: TenantKeys;
  private readonly snapshots: SnapshotSync;
  private readonly visits: VisitCalls;
  private readonly blobs: BlobSync;
  /** What this workstation still has not sent, told to the cloud after each round (outbox-report.ts). */
  private readonly outbox = new OutboxReporter();

  constructor(host: SyncHost, snapshotEvery = defaultSnapshotEvery) {
    this.session = new CloudSession(host);
    this.keys = new TenantKeys(this.session);
    this.snapshots = new SnapshotSync(this.session, this.keys, snapshotEvery);
    this.visits = new VisitCalls(this.session);
    this.blobs = new BlobSync(this.session);
  }

  identity(): Promise<Identity | null> {
    return this.session.identity();
  }

  /**
   * Registers this workstation with its clinic's cloud. With the tenant's setup code (the first
   * workstation) it also creates the tenant key and returns the recovery code, shown once.
   */
  async enroll(
    cloudUrl: string,
    code: string,
    deviceName: string,
    expect?: 'setup' | 'enroll',
  ): Promise<Result<{ tenantId: string; tenantName: string; deviceId: string; number: number; recoveryCode: string | null }>> {
    if (await this.identity()) return fail('already-enrolled', 'This workstation is already enrolled.');
    const store = this.session.store;
    const signing = generateKeyPairSync('ed25519');
    const box = generateBoxKeyPair();
    const base = cloudUrl.replace(/\/+$/, '');
    const probe = await probeCloud(base);
    if (!probe.ok) return probe;
    try {
      const answer = await cloudRequest(base, 'enroll', {
        body: { code, deviceName, signingKey: raw(signing.publicKey), boxKey: box.publicKey.toString('base64'), ...(expect ? { expect } : {}) },
      });
      await store.local(async (tx) => {
        await tx.run('INSERT INTO sync_identity (id, cloud_url, tenant_id, device_id, signing_key, box_key, enrolled_at, device_name) VALUES (1, ?, ?, ?, ?, ?, ?, ?)', [
          base, answer.tenantId, answer.deviceId, exportPrivate(signing.privateKey), exportPrivate(box.privateKey), new Date().toISOString(), deviceName,
        ]);
        await tx.run('UPDATE workstation SET number = ?', [answer.number]);
      });
      let recoveryCode: string | null = null;
      if (answer.kind === 'setup') {
        // The first workstation makes the clinic's tenant key and the recovery key; the
        // recovery public key travels with the clinic record, so a later rotation on any
        // workstation can wrap the new key to it.
        recoveryCode = newRecoveryCode();
        const recovery = await recoveryKeyPair(recoveryCode, answer.tenantId);
        const clinic = await store.db.get<{ id: string }>('SELECT id FROM clinic LIMIT 1');
        if (clinic) await store.write((m) => m.update('clinic', clinic.id, { recovery_public_key: recovery.publicKey.toString('base64') }));
        const id = await this.identity();
        if (!id) throw new Error('identity missing after enrollment');
        const token = await this.session.token();
        await this.keys.rotate(id, token);
        // The IT key's public half: IT's signed commands (a lockdown from any machine) are checked with it.
        const it = await itSigningKey(recoveryCode, answer.tenantId);
        await cloudRequest(base, 'putItKey', { params: { tenantId: answer.tenantId }, body: { publicKey: it.publicKey }, token });
      }
      return ok({ tenantId: answer.tenantId, tenantName: answer.tenantName, deviceId: answer.deviceId, number: answer.number, recoveryCode });
    } catch (e) {
      if (e instanceof CloudError) {
        if (e.code === 'invalid-code' || e.code === 'wrong-code-kind') return fail(e.code, e.message);
        return fail('cloud-unreachable', e.message);
      }
      throw e;
    }
  }

  /** A clean machine enrolled with the recovery code alone, holding every clinic key (recovery-enroll.ts). */
  enrollWithRecovery(place: { cloudUrl: string; tenantId: string; recoveryCode: string; deviceName: string }) {
    return enrollWithRecovery(this.session, this.keys, place);
  }

  /** Where to listen for "there is more", with a fresh token. */
  stream(): Promise<Result<{ url: string; token: string }>> {
    return this.session.guard(async (id, token) => ({ url: socketUrl(id.cloudUrl, 'stream', { tenantId: id.tenantId }), token }));
  }

  devices(): Promise<Result<DeviceInfo[]>> {
    return this.session.guard(async (id, token) => {
      const here = { ...(await localOutbox(this.session.store)), at: new Date().toISOString() };
      return (await this.keys.devices(id, token)).map((d) => ({
        deviceId: d.deviceId, name: d.name, number: d.number, enrolledAt: d.enrolledAt, revokedAt: d.revokedAt, lastSeenAt: d.lastSeenAt, thisWorkstation: d.deviceId === id.deviceId,
        outbox: d.deviceId === id.deviceId ? here : d.outbox, updates: d.updates, group: d.group,
      }));
    });
  }

  /** One of the tenant's own routes (the path names only the tenant), as this workstation: IT's update policy. */
  tenantCall<N extends 'updates' | 'changeUpdatePolicy' | 'setDeviceGroup'>(name: N, input: { body?: RouteBody<N> } = {}): Promise<Result<RouteAnswer<N>>> {
    return this.session.guard(async (id, token) => cloudRequest(id.cloudUrl, name, { ...input, params: { tenantId: id.tenantId }, token } as RequestInput<N>));
  }

  /**
   * Cuts off a device whose keys are already gone (a restore drill's, in a temporary folder now
   * removed): revoked at the cloud, without a new clinic key, since nobody holds its private keys.
   */
  retire(deviceId: string): Promise<Result<{ done: true }>> {
    return this.session.guard(async (id, token) => cloudRequest(id.cloudUrl, 'revoke', { params: { tenantId: id.tenantId, deviceId }, token }));
  }

  /** A one-time code for another workstation, with the cloud address it joins at (the one this workstation uses). */
  createEnrollCode(): Promise<Result<{ code: string; expiresAt: string; cloudUrl: string }>> {
    return this.session.guard(async (id, token) => ({ ...(await cloudRequest(id.cloudUrl, 'enrollCode', { params: { tenantId: id.tenantId }, token })), cloudUrl: id.cloudUrl }));
  }

  /** Cuts a workstation off at the cloud, then rotates the tenant key so it cannot read what follows. */
  revoke(deviceId: string): Promise<Result<{ done: true; kid: string }>> {
    return this.session.guard(async (id, token) => {
      await cloudRequest(id.cloudUrl, 'revoke', { params: { tenantId: id.tenantId, deviceId }, token });
      return { done: true as const, kid: await this.keys.rotate(id, token) };
    });
  }

  /** The clinic's whole history, opened (history-read.ts). */
  readHistory(from = 0): Promise<Result<{ messages: HistoryMessage[]; unreadable: number }>> {
    return this.session.guard((id, token) => readHistory(this.keys, id, token, from));
  }

  /** Locks down every workstation of the clinic, this one too (it hears so and locks). */
  lockDown(): Promise<Result<Lockdown>> {
    return this.session.guard((id, token) => cloudRequest(id.cloudUrl, 'lockDown', { params: { tenantId: id.tenantId }, token }));
  }

  /** After a lockdown is lifted here: a new clinic key, unless one was made since the lockdown began (by another lifted workstation). */
  rotateIfOlderThan(since: string): Promise<Result<string | null>> {
    return this.session.guard(async (id, token) => {
      await this.keys.exchange(id, token);
      const current = currentKid((await this.keys.held()).map((k) => k.kid));
      if (current && kidTime(current) >= Date.parse(since)) return null;
      return this.keys.rotate(id, token);
    });
  }

  /** Where each workstation's audit chain ended when it last sent its rows, as the cloud keeps it. */
  auditHeads(): Promise<Result<{ deviceId: string; seq: number; hash: string; at: string }[]>> {
    return this.session.guard(async (id, token) => (await cloudRequest(id.cloudUrl, 'auditHeads', { params: { tenantId: id.tenantId }, token })).heads);
  }

  /** Takes any tenant keys wrapped to this workstation; answers how many keys it now holds. */
  refreshKeys(): Promise<Result<number>> {
    return this.session.guard(async (id, token) => {
      await this.keys.exchange(id, token);
      return (await this.keys.held()).length;
    });
  }

  /** Starts an empty workstation from the clinic's newest snapshot, within a bound (see snapshot-sync.ts). */
  restoreLatestSnapshot(bound: SnapshotBound = {}): Promise<Result<RestoredSnapshot | null>> {
    return this.session.guard((id, token) => this.snapshots.restoreLatest(id, token, bound));
  }

  /** Seals this workstation's whole record as of its cursor and hands it to the cloud. */
  uploadSnapshot(): Promise<Result<{ seq: number; bytes: number }>> {
    return this.session.guard((id, token) => this.snapshots.upload(id, token));
  }

  /** One full round: fetch and share keys, push every pending change set, pull until current. */
  /** A round that pulls until current (joining, the CLI); a `bound` limits it (the background round). */
  syncOnce(opts: RoundOptions = {}): Promise<Result<SyncReport>> {
    // A round is nobody's: what it writes (user key wraps, a rotated key) names no author, even
    // when a user's call scheduled it.
    return changeAuthor.exit(() => this.session.guard(async (id, token) => {
      const report = await syncRound(this.session, this.keys, this.snapshots, this.blobs, id, token, opts);
      await this.outbox.report(this.session.store, id, token);
      return report;
    }));
  }

  // Video visits (visit-calls.ts).
  createVisit(body: { visitId: string; validFrom: string; validUntil: string; identityKey: string }) { return this.visits.createVisit(body); }
  waitingVisits() { return this.visits.waitingVisits(); }
  visitIceServers(visitId: string) { return this.visits.visitIceServers(visitId); }
  iceSettings() { return this.visits.iceSettings(); }
  setIceSettings(settings: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string }) { return this.visits.setIceSettings(settings); }
  visitSocket(visitId: string) { return this.visits.visitSocket(visitId); }
  markVisit(visitId: string, action: 'revoke' | 'close') { return this.visits.markVisit(visitId, action); }
}
