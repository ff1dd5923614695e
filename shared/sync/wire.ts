// What crosses the network between a workstation and its cloud tenant. The cloud sees only
// these fields: which tenant, which device, the message id, the key id, and ciphertext.
import { z } from 'zod';
import { UpdateSummary } from '../updates/report';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');

/** The largest change set the cloud takes (base64 of its ciphertext); documents travel as blobs, apart. */
export const MAX_CHANGE_SET_CIPHERTEXT = 16 * 1024 * 1024;

/** One encrypted change set (DESIGN.md, Sync: AES-256-GCM under the tenant key). */
export const Envelope = z.strictObject({
  msgId: uuid,
  kid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  nonce: b64.refine((s) => s.length === 16, 'must be a 96-bit nonce'),
  ciphertext: b64.min(24).max(MAX_CHANGE_SET_CIPHERTEXT),
});
export type Envelope = z.infer<typeof Envelope>;

/** An envelope as stored and served back: who sent it and its place in the tenant's history. */
export const StoredEnvelope = Envelope.extend({ deviceId: uuid, seq: z.number().int().positive() });
export type StoredEnvelope = z.infer<typeof StoredEnvelope>;

export const PushBody = z.strictObject({ messages: z.array(Envelope).min(1).max(500) });
export const PullQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const b64key = (bytes: number) => b64.refine((s) => s.length === Math.ceil(bytes / 3) * 4, `must be a ${bytes}-byte key`);

/** A workstation registers with a one-time code: its Ed25519 and X25519 public keys (raw). */
export const EnrollBody = z.strictObject({
  code: z.string().trim().min(8).max(64),
  deviceName: z.string().trim().min(1).max(100),
  signingKey: b64key(32),
  boxKey: b64key(32),
  /** Joining an existing clinic (`enroll`) or starting one (`setup`): a code of the other kind is left unused. */
  expect: z.enum(['setup', 'enroll']).optional(),
});
export const EnrollAnswer = z.object({
  tenantId: uuid, deviceId: uuid, kind: z.enum(['setup', 'enroll']), number: z.number().int().min(1).max(99), tenantName: z.string(),
});

/** A short-lived token, asked for with a signature over tokenChallenge(...). */
export const TokenBody = z.strictObject({
  tenantId: uuid,
  deviceId: uuid,
  timestamp: z.iso.datetime(),
  signature: b64.refine((s) => s.length === 88, 'must be an Ed25519 signature'),
});
export const TokenAnswer = z.object({ token: z.string(), expiresAt: z.string() });

export function tokenChallenge(tenantId: string, deviceId: string, timestamp: string): string {
  return `chartroom-token/v1|${tenantId}|${deviceId}|${timestamp}`;
}

/** The tenant key wrapped to one device (see electron/engine/keys/tenant-key-wrap.ts), as JSON. */
export const KeyWrapsBody = z.strictObject({
  kid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  wraps: z.array(z.strictObject({ deviceId: uuid, wrapped: z.string().min(10).max(4096) })).min(1).max(100),
});

/** An encrypted snapshot of a workstation's record up to `seq` (see electron/engine/sync/snapshot.ts). */
export const SnapshotBody = z.strictObject({
  snapshotId: uuid,
  seq: z.number().int().min(0),
  kid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  nonce: b64.refine((s) => s.length === 16, 'must be a 96-bit nonce'),
  ciphertext: b64.min(24).max(256 * 1024 * 1024),
});
export const SnapshotAnswer = z.object({
  snapshot: SnapshotBody.extend({ deviceId: uuid, createdAt: z.string() }).nullable(),
});
/** `?meta=1`: where the newest snapshot stands, without its ciphertext. */
export const SnapshotMetaAnswer = z.object({
  snapshot: SnapshotBody.omit({ ciphertext: true }).extend({ deviceId: uuid, createdAt: z.string() }).nullable(),
});

/** One device as the cloud lists it (never its signing key). */
export const CloudDevice = z.object({
  deviceId: uuid, name: z.string(), number: z.number().int(), boxKey: z.string(), enrolledAt: z.string(),
  revokedAt: z.string().nullable(), lastSeenAt: z.string().nullable(),
  /** What it had not sent yet at its last report (null: it never reported). */
  outbox: z.object({ unsent: z.number().int(), oldestAt: z.string().nullable(), at: z.string() }).nullable(),
  /** Its updates at a glance (version, channel, last check, pending, last failure), and its update group. */
  updates: UpdateSummary,
  group: z.string().nullable(),
});
/** A workstation's own report of what it has not sent yet: counts and a time, never content. */
export const OutboxBody = z.strictObject({ unsent: z.number().int().min(0).max(100_000_000), oldestAt: z.string().datetime().nullable() });
export type CloudDevice = z.infer<typeof CloudDevice>;
