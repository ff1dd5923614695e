// What the app shows about sync: whether this workstation is enrolled, online, how many of its
// changes wait to be sent, refused messages and conflicts waiting for a person.
import { z } from 'zod';
import { UpdateSummary } from '../updates/report';

export const SyncState = z.enum(['not-enrolled', 'online', 'offline', 'waiting-for-key', 'revoked', 'locked-down']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  state: SyncState,
  workstationNumber: z.number().int(),
  /** Local change sets not yet sent to the cloud. */
  pending: z.number().int(),
  lastSyncAt: z.string().nullable(),
  message: z.string().nullable(),
  quarantined: z.number().int(),
  conflicts: z.number().int(),
  /** The clinic's id at its cloud (IT names the clinic by it, e.g. for a lockdown), once enrolled. */
  clinicId: z.string().nullable().optional(),
  /** What the last successful round moved (absent before the first one). */
  lastRound: z.object({
    pushed: z.number().int(), pulled: z.number().int(), applied: z.number().int(), refused: z.number().int(),
    conflicts: z.number().int(), keysShared: z.number().int(),
  }).optional(),
});
export type SyncStatus = Readonly<z.infer<typeof SyncStatus>>;

export const DeviceInfo = z.object({
  deviceId: z.string(),
  name: z.string(),
  number: z.number().int(),
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
  /** When the workstation last reached the cloud (it does at every sync round). */
  lastSeenAt: z.string().nullable(),
  thisWorkstation: z.boolean(),
  /**
   * Change sets it had not sent yet, and the oldest one's time, as of `at`: its last report to
   * the cloud (this workstation: now). Null: it never reported.
   */
  outbox: z.object({ unsent: z.number().int(), oldestAt: z.string().nullable(), at: z.string() }).nullable(),
  /** Its updates as the cloud saw them: version, channel, last check, pending, last failure; and its update group. */
  updates: UpdateSummary,
  group: z.string().nullable(),
});
export type DeviceInfo = Readonly<z.infer<typeof DeviceInfo>>;

export const SyncConflict = z.object({
  id: z.number().int(),
  kind: z.enum(['signed-note-changed', 'possible-duplicate']),
  table: z.string(),
  rowId: z.string(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  detail: z.string().nullable(),
  recordedAt: z.string(),
});
export type SyncConflict = Readonly<z.infer<typeof SyncConflict>>;

export const EnrollInput = z.strictObject({
  cloudUrl: z.url({ protocol: /^https?$/ }),
  code: z.string().trim().min(8, 'is too short').max(64),
  deviceName: z.string().trim().min(1, 'is required').max(100),
});

/** A message from the cloud this workstation refused and set aside (never applied). */
/** What a set-aside item was: from the cloud, or (`unsent-change-set`) a change of this workstation the cloud would not take. */
export const QuarantineKind = z.enum(['change-set', 'key-wrap', 'snapshot', 'unsent-change-set', 'document', 'audit-rows']);
export type QuarantineKind = z.infer<typeof QuarantineKind>;

export const RefusedMessage = z.object({
  kind: QuarantineKind,
  msgId: z.string(),
  seq: z.number().int(),
  /** The workstation it claims to come from, by number, if the clinic has it. */
  fromWorkstation: z.number().int().nullable(),
  reason: z.string(),
  receivedAt: z.string(),
});
export type RefusedMessage = Readonly<z.infer<typeof RefusedMessage>>;
