// The cloud tenant service's HTTP API, declared once: method, path, params, query, body and the
// answer's schema for every route, and the paths of its sockets. The service registers its
// routes from this table (cloud/http/serve.ts) and the workstation's client derives its calls
// from it (electron/engine/sync/cloud-http.ts), as the IPC contract does for the UI.
import { z } from 'zod';
import {
  CloudDevice, EnrollAnswer, OutboxBody, EnrollBody, KeyWrapsBody, PullQuery, PushBody, SnapshotAnswer, SnapshotBody, SnapshotMetaAnswer, StoredEnvelope, TokenAnswer, TokenBody,
} from '../sync/wire';
import { BlobChunkBody, MAX_BLOB_CHUNKS } from '../documents/blob-wire';
import { ItAnswer, ItCommand, ItEnroll, ItKeyBody, Lockdown, LockdownStatusAnswer } from '../domain/lockdown';
import { ChannelFile, DeviceGroupBody, FeedQuery, PolicyChangeBody, PolicyRecordView, ReleaseFileParams, UpdatesAnswer } from '../updates/wire';
import { UpdateReportBody } from '../updates/report';
import { CreateVisitBody, IceServer, IceSettings, VisitLinkStatus, VisitToken } from '../video/wire';

export type Method = 'GET' | 'POST' | 'PUT';

/**
 * One route: `auth: 'device'` routes need a device token for the path's tenant (the one
 * `authenticate` in cloud/http/authenticate.ts); `guard` routes need the path's device's
 * sign-in guard secret, which a workstation holds outside its database so it can ask before
 * anyone is signed in, and which is good for nothing else; `public` routes are for enrolment,
 * tokens and the patient's page.
 */
export type RouteAuth = 'public' | 'device' | 'guard';

export interface RouteSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, A extends z.ZodType = z.ZodType, Auth extends RouteAuth = RouteAuth> {
  readonly method: Method;
  readonly path: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly answer: A;
  readonly auth: Auth;
  /** The largest body the route reads (bytes); a longer one is refused before it is read. */
  readonly bodyLimit: number;
  /** An answer sent as it is rather than as a JSON Result: the update feed's YAML and a release's files, for electron-updater. */
  readonly raw?: 'text/yaml; charset=utf-8' | 'application/octet-stream';
}

const None = z.strictObject({});
const NoBody = z.undefined();
const Done = z.object({ done: z.literal(true) });

/** What a route reads unless it says otherwise: codes, signatures, small settings. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

function route<const Auth extends RouteAuth, P extends z.ZodType = typeof None, Q extends z.ZodType = typeof None, B extends z.ZodType = typeof NoBody, A extends z.ZodType = z.ZodType>(
  spec: { method: Method; path: string; params?: P; query?: Q; body?: B; answer: A; auth: Auth; bodyLimit?: number; raw?: RouteSpec['raw'] },
): RouteSpec<P, Q, B, A, Auth> {
  return { params: None as unknown as P, query: None as unknown as Q, body: NoBody as unknown as B, bodyLimit: DEFAULT_BODY_LIMIT, ...spec } as RouteSpec<P, Q, B, A, Auth>;
}

const uuid = z.uuid();
export const TenantParams = z.strictObject({ tenantId: uuid });
export const DeviceParams = TenantParams.extend({ deviceId: uuid });
export const VisitParams = TenantParams.extend({ visitId: uuid });
export const LinkParams = z.strictObject({ token: VisitToken });
export const BlobChunkParams = TenantParams.extend({ blobId: uuid, index: z.coerce.number().int().min(0).max(MAX_BLOB_CHUNKS - 1) });

export const PushAnswer = z.object({ stored: z.array(z.object({ msgId: z.string(), seq: z.number().int(), duplicate: z.boolean() })) });
export const PullAnswer = z.object({ messages: z.array(StoredEnvelope) });
export const KeysAnswer = z.object({
  wraps: z.array(z.object({ kid: z.string(), deviceId: z.string() })),
  mine: z.array(z.object({ kid: z.string(), wrapped: z.string() })),
});
export const EnrollCodeAnswer = z.object({ code: z.string(), expiresAt: z.string() });
export const DevicesAnswer = z.object({ devices: z.array(CloudDevice) });
/**
 * `seq` and `at` bound the answer: the newest snapshot at or before that place in the history, or
 * made (as the cloud received it) at or before that time; a restore to a point in time starts
 * from one made before the attack, never after.
 */
export const SnapshotQuery = z.strictObject({
  meta: z.literal('1').optional(),
  seq: z.coerce.number().int().min(0).optional(),
  at: z.string().datetime().optional(),
});
export const CreateVisitAnswer = z.object({ token: VisitToken, path: z.string() });
/** Without `turnSecret` the secret already kept stays (the admin form never shows it). */
export const IceSettingsBody = IceSettings.partial({ turnSecret: true });
export const IceSettingsView = z.object({ stunUrls: z.array(z.string()), turnUrls: z.array(z.string()), hasTurnSecret: z.boolean() });
export const LinkAnswer = VisitLinkStatus.extend({ message: z.string().nullable() });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');
/** A device's new sign-in guard secret (256 bits, base64url); the cloud keeps only its hash. */
export const GuardSecret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 256-bit secret');
export const GuardSecretBody = z.strictObject({ secret: GuardSecret });
/** A username as the cloud sees it: an HMAC under a key of the clinic's that the cloud never holds. */
export const GuardSubjectBody = z.strictObject({ subject: hex64 });
/** Where a workstation's audit chain ends: its last row's place and hash (kept by the cloud, append-only). */
export const AuditHead = z.strictObject({ seq: z.number().int().min(1), hash: hex64 });
export const AuditHeadsAnswer = z.object({ heads: z.array(AuditHead.extend({ deviceId: uuid, at: z.string() })) });
export const GuardLockoutAnswer = z.object({ lockedUntil: z.iso.datetime().nullable() });
/** After a wrong password: the clinic's count since the last success or lockout, and any lockout it brought. */
export const GuardFailureAnswer = GuardLockoutAnswer.extend({ failures: z.number().int().min(0) });

export const cloudRoutes = {
  enroll: route({ method: 'POST', path: '/v1/enroll', body: EnrollBody, answer: EnrollAnswer, auth: 'public' }),
  token: route({ method: 'POST', path: '/v1/token', body: TokenBody, answer: TokenAnswer, auth: 'public' }),

  push: route({ method: 'POST', path: '/v1/tenants/:tenantId/messages', params: TenantParams, body: PushBody, answer: PushAnswer, auth: 'device', bodyLimit: 32 * 1024 * 1024 }),
  pull: route({ method: 'GET', path: '/v1/tenants/:tenantId/messages', params: TenantParams, query: PullQuery, answer: PullAnswer, auth: 'device' }),

  putKeys: route({ method: 'PUT', path: '/v1/tenants/:tenantId/keys', params: TenantParams, body: KeyWrapsBody, answer: Done, auth: 'device', bodyLimit: 512 * 1024 }),
  keys: route({ method: 'GET', path: '/v1/tenants/:tenantId/keys', params: TenantParams, answer: KeysAnswer, auth: 'device' }),

  enrollCode: route({ method: 'POST', path: '/v1/tenants/:tenantId/enroll-codes', params: TenantParams, answer: EnrollCodeAnswer, auth: 'device' }),
  devices: route({ method: 'GET', path: '/v1/tenants/:tenantId/devices', params: TenantParams, answer: DevicesAnswer, auth: 'device' }),
  revoke: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/revoke', params: DeviceParams, answer: Done, auth: 'device' }),
  /** The caller's unsent change sets, as it counts them: the clinic's recovery point (Security page). */
  reportOutbox: route({ method: 'PUT', path: '/v1/tenants/:tenantId/outbox', params: TenantParams, body: OutboxBody, answer: Done, auth: 'device' }),

  /** Each workstation's audit chain head: a head that goes back, or changes at the same place, is refused. */
  putAuditHead: route({ method: 'POST', path: '/v1/tenants/:tenantId/audit-heads', params: TenantParams, body: AuditHead, answer: Done, auth: 'device' }),
  auditHeads: route({ method: 'GET', path: '/v1/tenants/:tenantId/audit-heads', params: TenantParams, answer: AuditHeadsAnswer, auth: 'device' }),

  /** The clinic's count of wrong passwords per username (shared/domain/sign-in-lockout.ts), asked before sign-in. */
  putSignInGuard: route({ method: 'PUT', path: '/v1/tenants/:tenantId/sign-in-guard', params: TenantParams, body: GuardSecretBody, answer: Done, auth: 'device' }),
  signInLockout: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/sign-in/lockout', params: DeviceParams, body: GuardSubjectBody, answer: GuardLockoutAnswer, auth: 'guard' }),
  signInFailure: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/sign-in/failures', params: DeviceParams, body: GuardSubjectBody, answer: GuardFailureAnswer, auth: 'guard' }),
  signInSuccess: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/sign-in/successes', params: DeviceParams, body: GuardSubjectBody, answer: Done, auth: 'guard' }),

  /** An admin at a workstation locks every workstation of the clinic (this one too). */
  lockDown: route({ method: 'POST', path: '/v1/tenants/:tenantId/lockdown', params: TenantParams, answer: Lockdown, auth: 'device' }),
  /** The clinic's IT key, set once by the workstation that made the recovery code. */
  putItKey: route({ method: 'PUT', path: '/v1/tenants/:tenantId/it-key', params: TenantParams, body: ItKeyBody, answer: Done, auth: 'device' }),
  /** IT's command (lock down, lift one workstation, ask), signed with the IT key; no device needed. */
  itCommand: route({ method: 'POST', path: '/v1/tenants/:tenantId/it', params: TenantParams, body: ItCommand, answer: ItAnswer, auth: 'public' }),
  /** IT enrolls a clean machine with the recovery code alone (to restore the clinic onto it). */
  itEnroll: route({ method: 'POST', path: '/v1/tenants/:tenantId/it/enroll', params: TenantParams, body: ItEnroll, answer: EnrollAnswer, auth: 'public' }),
  /** The clinic keys wrapped to the recovery key, one per key id (ciphertext only the recovery code opens). */
  recoveryWraps: route({ method: 'GET', path: '/v1/tenants/:tenantId/keys/recovery', params: TenantParams, answer: z.object({ wraps: z.array(z.object({ kid: z.string(), wrapped: z.string() })) }), auth: 'device' }),
  /** Whether a lockdown holds this workstation: asked before sign-in and while locked, with the guard secret. */
  lockdownStatus: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/lockdown', params: DeviceParams, answer: LockdownStatusAnswer, auth: 'guard' }),

  putSnapshot: route({
    method: 'POST', path: '/v1/tenants/:tenantId/snapshots', params: TenantParams, body: SnapshotBody, answer: Done, auth: 'device', bodyLimit: 400 * 1024 * 1024,
  }),
  latestSnapshot: route({ method: 'GET', path: '/v1/tenants/:tenantId/snapshots/latest', params: TenantParams, query: SnapshotQuery, answer: z.union([SnapshotAnswer, SnapshotMetaAnswer]), auth: 'device' }),

  /** A document's blob, chunk by chunk: ciphertext under the document's own key. */
  putBlobChunk: route({ method: 'PUT', path: '/v1/tenants/:tenantId/blobs/:blobId/chunks/:index', params: BlobChunkParams, body: BlobChunkBody, answer: Done, auth: 'device', bodyLimit: 2 * 1024 * 1024 }),
  blobChunk: route({ method: 'GET', path: '/v1/tenants/:tenantId/blobs/:blobId/chunks/:index', params: BlobChunkParams, answer: BlobChunkBody, auth: 'device' }),

  createVisit: route({ method: 'POST', path: '/v1/tenants/:tenantId/visits', params: TenantParams, body: CreateVisitBody, answer: CreateVisitAnswer, auth: 'device' }),
  revokeVisit: route({ method: 'POST', path: '/v1/tenants/:tenantId/visits/:visitId/revoke', params: VisitParams, answer: Done, auth: 'device' }),
  closeVisit: route({ method: 'POST', path: '/v1/tenants/:tenantId/visits/:visitId/close', params: VisitParams, answer: Done, auth: 'device' }),
  visitIceServers: route({ method: 'GET', path: '/v1/tenants/:tenantId/visits/:visitId/ice-servers', params: VisitParams, answer: z.object({ iceServers: z.array(IceServer) }), auth: 'device' }),
  waitingVisits: route({ method: 'GET', path: '/v1/tenants/:tenantId/visits/waiting', params: TenantParams, answer: z.object({ waiting: z.array(z.string()) }), auth: 'device' }),
  putIce: route({ method: 'PUT', path: '/v1/tenants/:tenantId/ice', params: TenantParams, body: IceSettingsBody, answer: Done, auth: 'device' }),
  ice: route({ method: 'GET', path: '/v1/tenants/:tenantId/ice', params: TenantParams, answer: IceSettingsView, auth: 'device' }),

  /**
   * electron-updater's generic feed: the release this workstation's policy gives it, as
   * `latest*.yml` with Chartroom's signatures and stamp. The feed, the files and the reports
   * take the guard secret, which a workstation holds outside its database: it asks while nobody
   * is signed in, which is when it installs.
   */
  updateFeed: route({ method: 'GET', path: '/v1/tenants/:tenantId/devices/:deviceId/updates/:channelFile', params: DeviceParams.extend({ channelFile: ChannelFile }), query: FeedQuery, answer: z.string(), auth: 'guard', raw: 'text/yaml; charset=utf-8' }),
  /** A file of a release, as published (electron-updater checks its SHA-512; the engine its signature). */
  updateFile: route({ method: 'GET', path: '/v1/tenants/:tenantId/devices/:deviceId/updates/:version/:file', params: ReleaseFileParams, query: FeedQuery, answer: z.custom<AsyncIterable<Uint8Array>>(), auth: 'guard', raw: 'application/octet-stream' }),
  /** A workstation's own update events: verified, refused, install, running, failure. */
  reportUpdate: route({ method: 'POST', path: '/v1/tenants/:tenantId/devices/:deviceId/update-reports', params: DeviceParams, body: UpdateReportBody, answer: Done, auth: 'guard' }),
  /** IT's Updates page: the policies and the releases. */
  updates: route({ method: 'GET', path: '/v1/tenants/:tenantId/update-policy', params: TenantParams, answer: UpdatesAnswer, auth: 'device' }),
  changeUpdatePolicy: route({ method: 'POST', path: '/v1/tenants/:tenantId/update-policy', params: TenantParams, body: PolicyChangeBody, answer: PolicyRecordView, auth: 'device' }),
  setDeviceGroup: route({ method: 'PUT', path: '/v1/tenants/:tenantId/update-groups', params: TenantParams, body: DeviceGroupBody, answer: Done, auth: 'device' }),

  /** The patient's page asks what its link is good for before asking for camera and microphone. */
  visitLink: route({ method: 'GET', path: '/v1/visit-links/:token', params: LinkParams, answer: LinkAnswer, auth: 'public' }),
} as const;

export type CloudRoutes = typeof cloudRoutes;
export type RouteName = keyof CloudRoutes;
export type RouteParams<N extends RouteName> = z.infer<CloudRoutes[N]['params']>;
export type RouteQuery<N extends RouteName> = z.input<CloudRoutes[N]['query']>;
export type RouteBody<N extends RouteName> = z.input<CloudRoutes[N]['body']>;
export type RouteAnswer<N extends RouteName> = z.infer<CloudRoutes[N]['answer']>;

/** The sockets: a tenant's stream ("there is more"), and a visit's two sides. */
export const cloudSockets = {
  stream: { path: '/v1/tenants/:tenantId/stream', params: TenantParams },
  visitClinic: { path: '/v1/tenants/:tenantId/visits/:visitId/socket', params: VisitParams },
  visitPatient: { path: '/v1/visit-links/:token/socket', params: LinkParams },
} as const;

/** A route's or socket's path with its params filled in (each one URL-encoded). */
export function pathOf(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(v);
  });
}
