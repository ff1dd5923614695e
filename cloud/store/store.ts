// The tenant service's storage contract. Two implementations (SQLite for one machine,
// PostgreSQL for several service processes) pass the same test suite
// (tests/cloud/store/store-contract.ts). Every method is scoped to one tenant; history is
// append-only: nothing here rewrites or deletes a message.
import type { Envelope, StoredEnvelope } from '../../shared/sync/wire';

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
}

/** `setup`: the tenant's first workstation; `enroll`: a further one, issued by an admin. */
export type CodeKind = 'setup' | 'enroll';

export interface AppendResult {
  /** Every message of the batch with its sequence number, whether new or already stored. */
  readonly stored: readonly { msgId: string; seq: number; duplicate: boolean }[];
}

export interface CloudStore {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>;
  /** A new tenant and its one-time setup code (stored only as a hash) for the first workstation. */
  createTenant(name: string, setupCodeHash: string, expiresAt: string): Promise<{ tenantId: string }>;
  /** Consumes an unexpired one-time code (by hash) exactly once; null if unknown, used or expired. */
  consumeCode(codeHash: string, now: string): Promise<{ tenantId: string; kind: CodeKind } | null>;
  addCode(tenantId: string, kind: CodeKind, codeHash: string, expiresAt: string): Promise<void>;
  /** Registers a device and gives it the tenant's next device number (at most 99). */
  addDevice(device: Omit<DeviceRecord, 'revokedAt' | 'number'>): Promise<{ number: number }>;
  getDevice(tenantId: string, deviceId: string): Promise<DeviceRecord | null>;
  listDevices(tenantId: string): Promise<DeviceRecord[]>;
  revokeDevice(tenantId: string, deviceId: string, at: string): Promise<void>;
  /** Idempotent on (tenant, msgId): a message already stored keeps its first sequence number. */
  append(tenantId: string, deviceId: string, messages: readonly Envelope[]): Promise<AppendResult>;
  /** The tenant key (by key id) wrapped to one device; ciphertext only. Replaces an older wrap. */
  putKeyWrap(tenantId: string, kid: string, deviceId: string, wrapped: string): Promise<void>;
  /** Every wrap of the tenant, without the ciphertext of other devices' wraps. */
  listKeyWraps(tenantId: string): Promise<{ kid: string; deviceId: string }[]>;
  keyWrapsFor(tenantId: string, deviceId: string): Promise<{ kid: string; wrapped: string }[]>;
  /** Messages with seq > after, in seq order. */
  pull(tenantId: string, after: number, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Calls `listener(tenantId)` after any service process appends to a tenant (PostgreSQL:
   * LISTEN/NOTIFY, so every process behind a load balancer hears it; SQLite: this process).
   */
  onAppended(listener: (tenantId: string) => void): Promise<() => Promise<void>>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
