// The tenant service's storage contract. Two implementations (SQLite for one machine,
// PostgreSQL for several service processes) pass the same test suite
// (tests/cloud/store/store-contract.ts). Every method is scoped to one tenant; history is
// append-only: nothing here rewrites or deletes a message.
import type { FailureCount, LockoutPolicy } from '../../shared/domain/sign-in-lockout';
import type { Envelope, StoredEnvelope } from '../../shared/sync/wire';
import type { SnapshotQuery } from '../../shared/cloud-api/routes';
import type { z } from 'zod';
import type { UpdatePolicy } from '../../shared/updates/policy';
import type { Channel, FileSignature, RollbackGrant } from '../../shared/updates/release';
import type { UpdateEvent } from '../../shared/updates/report';

export interface DeviceRecord {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly name: string;
  /** Ed25519 public key (raw, base64) the device signs its token requests with. */
  readonly signingKey: string;
  /** X25519 public key (raw, base64) the tenant key is wrapped to. */
  readonly boxKey: string;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
  /** 1, 2, 3… in enrollment order within the tenant; MRNs carry it. */
  readonly number: number;
  /** When the device last asked for a token (it does at every sync round), for the devices page. */
  readonly lastSeenAt: string | null;
  /** What it had not sent yet at its last report (null: it never reported). */
  readonly outbox: OutboxReport | null;
}

/** A workstation's unsent change sets as it reported them: how many, the oldest one's time, when. */
export interface OutboxReport { readonly unsent: number; readonly oldestAt: string | null; readonly at: string }

/**
 * What online devices of a tenant are told: `more` (history grew), `keys` (a key was shared or
 * rotated), `devices` (a device enrolled or was revoked), `lockdown` (one began, or a device was
 * lifted from it), `updates` (IT changed an update policy: check the feed now). Never anything about the data itself.
 */
export const TENANT_EVENTS = ['more', 'keys', 'devices', 'visits', 'lockdown', 'updates'] as const;
export type TenantEvent = (typeof TENANT_EVENTS)[number];
export const isTenantEvent = (s: string | undefined): s is TenantEvent => (TENANT_EVENTS as readonly (string | undefined)[]).includes(s);

/**
 * A message for the sockets of one video visit, in whichever service process they are. The body
 * is opaque here (cloud/visits.ts makes and reads it); it is relayed, never stored.
 */
export interface VisitRelay {
  readonly tenantId: string;
  readonly visitId: string;
  readonly to: 'patient' | 'clinic';
  readonly body: string;
}

/** An encrypted snapshot of a workstation's whole record, as of a place in the history. */
export interface SnapshotRecord {
  readonly snapshotId: string;
  /** Everything up to and including this sequence number is in the snapshot. */
  readonly seq: number;
  readonly deviceId: string;
  readonly kid: string;
  readonly nonce: string;
  /** AES-256-GCM ciphertext (base64) of the compressed snapshot; the cloud cannot open it. */
  readonly ciphertext: string;
  readonly createdAt: string;
}

/** A video visit's link: valid in a window, until revoked or closed; the cloud keeps no PHI. */
export interface VisitRecord {
  readonly tenantId: string;
  readonly visitId: string;
  readonly validFrom: string;
  readonly validUntil: string;
  /** The workstation's per-visit public key the patient encrypts their identity answer to. */
  readonly identityKey: string;
  readonly revokedAt: string | null;
  readonly closedAt: string | null;
  readonly admittedAt: string | null;
}

/** `setup`: the tenant's first workstation; `enroll`: a further one, issued by an admin. */
export type CodeKind = 'setup' | 'enroll';

export interface AppendResult {
  /** Every message of the batch with its sequence number, whether new or already stored. */
  readonly stored: readonly { msgId: string; seq: number; duplicate: boolean }[];
}

/** Tenants and their one-time codes (setup and enrollment). */
export interface TenantStore {
  /** A new tenant and its one-time setup code (stored only as a hash) for the first workstation. */
  createTenant(name: string, setupCodeHash: string, expiresAt: string): Promise<{ tenantId: string }>;
  tenantName(tenantId: string): Promise<string | null>;
  /**
   * Consumes an unexpired one-time code (by hash) exactly once; null if unknown, used or expired.
   * With `expect`, a live code of the other kind is left unused and reported as `wrongKind`.
   */
  consumeCode(codeHash: string, now: string, expect?: CodeKind): Promise<{ tenantId: string; kind: CodeKind } | { wrongKind: CodeKind } | null>;
  addCode(tenantId: string, kind: CodeKind, codeHash: string, expiresAt: string): Promise<void>;
}

/** A tenant's devices (workstations). */
export interface DeviceStore {
  /** Registers a device and gives it the tenant's next device number (at most 99). */
  addDevice(device: Omit<DeviceRecord, 'revokedAt' | 'number' | 'lastSeenAt' | 'outbox'>): Promise<{ number: number }>;
  touchDevice(tenantId: string, deviceId: string, at: string): Promise<void>;
  reportOutbox(tenantId: string, deviceId: string, report: OutboxReport): Promise<void>;
  getDevice(tenantId: string, deviceId: string): Promise<DeviceRecord | null>;
  listDevices(tenantId: string): Promise<DeviceRecord[]>;
  revokeDevice(tenantId: string, deviceId: string, at: string): Promise<void>;
  /**
   * Records a signed token request (by the timestamp it signed) once: false when it was already
   * used, a replay. Requests whose `forgetAfter` has passed by `now` are forgotten.
   */
  useTokenRequest(tenantId: string, deviceId: string, signedAt: string, forgetAfter: string, now: string): Promise<boolean>;
  /** Replaces the device's sign-in guard secret (by its hash: routes/sign-in-guard.ts). */
  setGuardSecretHash(tenantId: string, deviceId: string, hash: string): Promise<void>;
  guardSecretHash(tenantId: string, deviceId: string): Promise<string | null>;
}

/**
 * The clinic's count of wrong passwords per username, asked by workstations before anyone is
 * signed in (shared/domain/sign-in-lockout.ts). A
 * subject is an HMAC of the username under a key of the clinic's: the cloud never sees a name.
 * (Each device's guard secret, by its hash, is the device store's.)
 */
export interface SignInGuardStore {
  /** One more wrong password for `subject` at `now` (ms), counted atomically across processes; answers the count after it. */
  recordSignInFailure(tenantId: string, subject: string, now: number, policy: Pick<LockoutPolicy, 'maxFailures' | 'lockoutMs'>): Promise<FailureCount>;
  /** When the subject's lockout ends (ms), or 0. */
  signInLockedUntil(tenantId: string, subject: string): Promise<number>;
  clearSignInFailures(tenantId: string, subject: string): Promise<void>;
}

/** Where a workstation said its audit chain ended, each time it sent audit rows. */
export interface AuditHeadRecord {
  readonly deviceId: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

/** Each device's audit chain heads, append-only. */
export interface AuditHeadStore {
  /**
   * Keeps a head: `stored`; `same` (that place and hash already kept); `behind` (a place before
   * the device's newest head) and `changed` (its newest place with another hash) are refused.
   */
  putAuditHead(tenantId: string, head: AuditHeadRecord): Promise<'stored' | 'same' | 'behind' | 'changed'>;
  /** Each device's newest head. */
  auditHeads(tenantId: string): Promise<AuditHeadRecord[]>;
}

/** Where a snapshot may stand at the latest: at or before a seq, made at or before a time (the route's query). */
export type SnapshotBound = Readonly<Pick<z.infer<typeof SnapshotQuery>, 'seq' | 'at'>>;

/** The append-only history, the wrapped tenant keys and the snapshots: ciphertext only. */
export interface HistoryStore {
  /** Idempotent on (tenant, msgId): a message already stored keeps its first sequence number. */
  append(tenantId: string, deviceId: string, messages: readonly Envelope[]): Promise<AppendResult>;
  /** Messages with seq > after, in seq order. */
  pull(tenantId: string, after: number, limit: number): Promise<StoredEnvelope[]>;
  /** The tenant key (by key id) wrapped to one device; ciphertext only. Replaces an older wrap. */
  putKeyWrap(tenantId: string, kid: string, deviceId: string, wrapped: string): Promise<void>;
  /** Every wrap of the tenant, without the ciphertext of other devices' wraps. */
  listKeyWraps(tenantId: string): Promise<{ kid: string; deviceId: string }[]>;
  keyWrapsFor(tenantId: string, deviceId: string): Promise<{ kid: string; wrapped: string }[]>;
  /** Keeps a snapshot (append-only, like the history). */
  putSnapshot(tenantId: string, snapshot: Omit<SnapshotRecord, 'createdAt'>): Promise<void>;
  /**
   * The snapshot with the highest seq (within the bound), or null. A revoked device's snapshots
   * are never handed out: one sealed by a workstation taken over could hold anything.
   */
  latestSnapshot(tenantId: string, bound?: SnapshotBound): Promise<SnapshotRecord | null>;
}

/** One chunk of a document's blob: ciphertext the cloud cannot open. */
export interface BlobChunk {
  readonly nonce: string;
  readonly ciphertext: Buffer;
}

/** Documents' blobs, chunk by chunk, append-only: a chunk once stored never changes. */
export interface BlobStore {
  /** `stored` (new), `same` (already there, identical: a retry), or `conflict` (there, different: refused). */
  putBlobChunk(tenantId: string, blobId: string, idx: number, chunk: BlobChunk, deviceId: string): Promise<'stored' | 'same' | 'conflict'>;
  blobChunk(tenantId: string, blobId: string, idx: number): Promise<BlobChunk | null>;
}

/** Video visits: links, the tenant's STUN/TURN settings, the cross-process relay and patient claims. */
export interface VisitStore {
  /** The tenant's video settings (STUN/TURN; the TURN secret never leaves the service). */
  setIceSettings(tenantId: string, settings: string): Promise<void>;
  getIceSettings(tenantId: string): Promise<string | null>;
  /** A visit and its link (by the token's hash only). */
  addVisit(visit: Omit<VisitRecord, 'revokedAt' | 'closedAt' | 'admittedAt'>, tokenHash: string): Promise<void>;
  /** The visit a link leads to, whichever tenant it belongs to; null for an unknown link. */
  visitByToken(tokenHash: string): Promise<VisitRecord | null>;
  getVisit(tenantId: string, visitId: string): Promise<VisitRecord | null>;
  /** Sets revokedAt, closedAt or admittedAt once (a later call keeps the first time). */
  markVisit(tenantId: string, visitId: string, field: 'revokedAt' | 'closedAt' | 'admittedAt', at: string): Promise<void>;
  /** Hands a visit message to every service process (PostgreSQL: NOTIFY, in order per process; SQLite: this process). */
  relayVisit(message: VisitRelay): Promise<void>;
  onVisitRelay(listener: (message: VisitRelay) => void): Promise<() => Promise<void>>;
  /**
   * Claims the visit's one patient browser for `holder` (a socket) of the page `seat` (a hash):
   * false while a claim of another seat was renewed after `freshAfter`. The same seat (that page
   * reconnecting, before its old socket was noticed gone) takes the claim over; a claim left by a
   * crashed process lapses.
   */
  claimVisitPatient(tenantId: string, visitId: string, holder: string, seat: string, now: string, freshAfter: string): Promise<boolean>;
  renewVisitPatients(claims: readonly { tenantId: string; visitId: string; holder: string }[], now: string): Promise<void>;
  releaseVisitPatient(tenantId: string, visitId: string, holder: string): Promise<void>;
  /** The tenant's visits whose patient browser is connected (a claim renewed after `freshAfter`). */
  visitsWithPatient(tenantId: string, freshAfter: string): Promise<string[]>;
}

/** The lockdown in force: its number in the tenant, when it began, and the device that asked (null: IT). */
export interface LockdownRecord {
  readonly seq: number;
  readonly startedAt: string;
  readonly startedBy: string | null;
}

/** Lockdowns, their lifts, the IT key and the IT commands used (routes/lockdown.ts); all append-only. */
export interface LockdownStore {
  itKey(tenantId: string): Promise<string | null>;
  /** Sets the clinic's IT key once: `same` when it is that key already, `refused` when another is set. */
  setItKey(tenantId: string, publicKey: string, at: string): Promise<'stored' | 'same' | 'refused'>;
  /** Records a signed IT command by its nonce, once: false for a replay. */
  useItCommand(tenantId: string, nonce: string, command: string, deviceId: string | null, at: string): Promise<boolean>;
  /** Begins a lockdown of every device, or answers the one in force when none was lifted from it yet. */
  lockDown(tenantId: string, startedBy: string | null, at: string): Promise<LockdownRecord>;
  /** The newest lockdown, if there was ever one. */
  current(tenantId: string): Promise<LockdownRecord | null>;
  lift(tenantId: string, seq: number, deviceId: string, at: string): Promise<void>;
  lifted(tenantId: string, seq: number): Promise<string[]>;
  /** The lockdown holding this device: the newest, if it enrolled before it began, was not lifted from it and is not revoked. */
  holding(tenantId: string, deviceId: string): Promise<LockdownRecord | null>;
}

/** A published release: its manifests per platform (`''` Windows, `linux`, `mac`) and every file's signature. */
export interface ReleaseRecord {
  readonly version: string;
  readonly channel: Channel;
  readonly releaseDate: string;
  /** Per platform, the files electron-updater's `latest*.yml` lists (by plain name), with hash and size. */
  readonly manifests: Readonly<Record<string, readonly { file: string; sha512: string; size: number }[]>>;
  readonly signatures: readonly FileSignature[];
  readonly publishedAt: string;
}

/** A policy as kept: its number within the tenant and group, who set it and when. */
export interface PolicyRecord {
  readonly policy: UpdatePolicy;
  readonly seq: number;
  readonly by: string;
  readonly at: string;
}

/**
 * The vendor's releases (for every tenant), their files in chunks and the signed rollback
 * grants; and each tenant's update policies, groups and workstations' update events. Releases
 * are checked before they are put (cloud/updates/publish.ts); nothing here changes once kept.
 */
export interface ReleaseStore {
  /** `same` when that release is already kept as given; `conflict` when the version is kept with other files. */
  putRelease(r: ReleaseRecord): Promise<'stored' | 'same' | 'conflict'>;
  putReleaseChunk(version: string, file: string, idx: number, bytes: Buffer): Promise<'stored' | 'same' | 'conflict'>;
  release(version: string): Promise<ReleaseRecord | null>;
  /** Newest published first. */
  listReleases(): Promise<ReleaseRecord[]>;
  releaseChunk(version: string, file: string, idx: number): Promise<Buffer | null>;
  putRollbackGrant(g: RollbackGrant, at: string): Promise<'stored' | 'same' | 'conflict'>;
  rollbackGrant(channel: Channel, version: string): Promise<RollbackGrant | null>;
  /** The newest policy of the clinic (`group` null) or of one group. */
  policy(tenantId: string, group: string | null): Promise<PolicyRecord | null>;
  /** Keeps the policy's next version; `expectSeq` (the one it was made from) must still be the newest, or `stale`. */
  setPolicy(tenantId: string, group: string | null, policy: UpdatePolicy, by: string, at: string, expectSeq: number): Promise<'stored' | 'stale'>;
  /** Every group that has a policy. */
  groups(tenantId: string): Promise<string[]>;
  /** Puts a workstation in a group (null: back to the clinic's policy). */
  setDeviceGroup(tenantId: string, deviceId: string, group: string | null, at: string): Promise<void>;
  /** Each workstation's group (workstations in none are absent). */
  deviceGroups(tenantId: string): Promise<Map<string, string>>;
  recordUpdateEvent(tenantId: string, e: UpdateEvent): Promise<void>;
  /** Each workstation's newest event of each kind, in the order they were kept. */
  newestUpdateEvents(tenantId: string): Promise<UpdateEvent[]>;
}

/** Tenant events, heard by every service process (and so by every online device of the tenant). */
export interface EventStore {
  /** Tells every service process (and so every online device of the tenant) that something happened. */
  notify(tenantId: string, event: TenantEvent): Promise<void>;
  /**
   * Calls `listener` for every tenant event of any service process (PostgreSQL: LISTEN/NOTIFY,
   * so every process behind a load balancer hears it; SQLite: this process). An append is `more`.
   */
  onEvent(listener: (tenantId: string, event: TenantEvent) => void): Promise<() => Promise<void>>;
}

/** The whole store, as the service opens it; each route group is given only the parts it uses. */
export interface CloudStore extends TenantStore, DeviceStore, SignInGuardStore, AuditHeadStore, HistoryStore, BlobStore, VisitStore, EventStore {
  readonly lockdowns: LockdownStore;
  readonly releases: ReleaseStore;
  /** Brings the schema to the newest migration (or `target`, for a migration test). */
  migrate(target?: number): Promise<void>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
