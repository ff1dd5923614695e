// Sync envelopes: a change set (or a batch of audit rows, sync/audit-wire.ts), compressed and
// sealed with AES-256-GCM under the tenant key.
// The associated data binds tenant, sending device, message id and key id, so the cloud cannot
// move a message between tenants, attribute it to another device, or relabel its key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { Envelope, StoredEnvelope } from '../../../shared/sync/wire';
import { AuditBatch } from './audit-wire';

export interface TenantKey {
  readonly kid: string;
  readonly key: Buffer;
}

/** One field change, as the mutation path records it. */
export const ChangeRow = z.strictObject({
  hlc: z.string().max(64),
  tbl: z.string().max(64),
  rowId: z.string().max(64),
  col: z.string().max(64),
  value: z.string().nullable(),
});
export type ChangeRow = z.infer<typeof ChangeRow>;

/**
 * Record changes, or (with no rows) one workstation's audit rows. v2 record changes say who made
 * them (`by`, the signed-in user's id), so one user's changes can be undone; v1 are still read.
 */
const ChangeSet = z.union([
  z.strictObject({ v: z.literal(1), rows: z.array(ChangeRow).min(1).max(100_000) }),
  z.strictObject({ v: z.literal(2), by: z.string().min(1).max(64), rows: z.array(ChangeRow).min(1).max(100_000) }),
  z.strictObject({ v: z.literal(1), rows: z.array(ChangeRow).max(0), audit: AuditBatch }),
]);

/** What an envelope opened to: record changes (and who made them, when it says), or an audit batch. */
export type Opened = { readonly rows: ChangeRow[]; readonly audit: AuditBatch | null; readonly by: string | null };

const aad = (tenantId: string, deviceId: string, msgId: string, kid: string) => Buffer.from(`chartroom/envelope/v1|${tenantId}|${deviceId}|${msgId}|${kid}`);

export function sealChangeSet(key: TenantKey, ctx: { tenantId: string; deviceId: string; msgId: string }, rows: readonly ChangeRow[], by: string | null = null): Envelope {
  return seal(key, ctx, by ? { v: 2, by, rows: [...rows] } : { v: 1, rows: [...rows] });
}

export function sealAuditBatch(key: TenantKey, ctx: { tenantId: string; deviceId: string; msgId: string }, audit: AuditBatch): Envelope {
  return seal(key, ctx, { v: 1, rows: [], audit });
}

function seal(key: TenantKey, ctx: { tenantId: string; deviceId: string; msgId: string }, payload: z.input<typeof ChangeSet>): Envelope {
  if (key.key.length !== 32) throw new Error('tenant key must be 32 bytes');
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key.key, nonce);
  c.setAAD(aad(ctx.tenantId, ctx.deviceId, ctx.msgId, key.kid));
  const plain = deflateRawSync(Buffer.from(JSON.stringify(payload)));
  const ct = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  return { msgId: ctx.msgId, kid: key.kid, nonce: nonce.toString('base64'), ciphertext: ct.toString('base64') };
}

export type OpenFailure = 'unknown-key' | 'not-authentic' | 'malformed';

/**
 * Opens an envelope as the cloud delivered it. Any failure is a value: the message is set
 * aside for the admin and never applied.
 */
export function openChangeSet(
  keys: ReadonlyMap<string, Buffer>,
  tenantId: string,
  env: StoredEnvelope,
): ({ ok: true } & Opened) | { ok: false; reason: OpenFailure } {
  const key = keys.get(env.kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  let plain: Buffer;
  try {
    const ct = Buffer.from(env.ciphertext, 'base64');
    if (ct.length < 17) return { ok: false, reason: 'malformed' };
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(env.nonce, 'base64'));
    d.setAAD(aad(tenantId, env.deviceId, env.msgId, env.kid));
    d.setAuthTag(ct.subarray(ct.length - 16));
    plain = Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  } catch {
    return { ok: false, reason: 'not-authentic' };
  }
  try {
    const parsed = ChangeSet.safeParse(JSON.parse(inflateRawSync(plain, { maxOutputLength: 256 * 1024 * 1024 }).toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    const d = parsed.data;
    return { ok: true, rows: d.rows, audit: 'audit' in d ? d.audit : null, by: 'by' in d ? d.by : null };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
