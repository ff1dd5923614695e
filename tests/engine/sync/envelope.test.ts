// Envelopes: what goes to the cloud is ciphertext bound to its tenant, sender, message id and
// key id (and, sealed inside, who made it); anything altered, relabelled, misattributed or under
// an unknown key is refused.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ChangeRow, openChangeSet, sealChangeSet } from '../../../electron/engine/sync/envelope';
import type { StoredEnvelope } from '../../../shared/sync/wire';
import { Envelope } from '../../../shared/sync/wire';

const tenantId = randomUUID();
const deviceId = randomUUID();
const k1 = { kid: 'k1', key: randomBytes(32) };
const k2 = { kid: 'k2', key: randomBytes(32) };
const keys = new Map([[k1.kid, k1.key], [k2.kid, k2.key]]);
const rows: ChangeRow[] = [
  { hlc: '000001764000000000-0000-aaaaaaaaaaaaaaaa', tbl: 'patients', rowId: randomUUID(), col: 'family_name', value: JSON.stringify('Zyxwquorth') },
  { hlc: '000001764000000000-0001-aaaaaaaaaaaaaaaa', tbl: 'patients', rowId: randomUUID(), col: 'phone', value: JSON.stringify('555-201-4477') },
];

function stored(over: Partial<StoredEnvelope> = {}): StoredEnvelope {
  const env = sealChangeSet(k1, { tenantId, deviceId, msgId: over.msgId ?? randomUUID() }, rows);
  return { ...env, deviceId, seq: 1, ...over };
}

describe('sync envelopes', () => {
  it('round-trips a change set, and the wire form passes the wire schema and hides the data', () => {
    const env = stored();
    expect(Envelope.safeParse({ msgId: env.msgId, kid: env.kid, nonce: env.nonce, ciphertext: env.ciphertext }).success).toBe(true);
    expect(openChangeSet(keys, tenantId, env)).toEqual({ ok: true, rows, audit: null, by: null });
    const wire = JSON.stringify(env);
    for (const secret of ['Zyxwquorth', '555-201-4477', 'family_name', 'patients']) expect(wire).not.toContain(secret);
  });

  it('carries who made a change set sealed inside it (v2), hidden from the cloud', () => {
    const author = randomUUID();
    const env = { ...sealChangeSet(k1, { tenantId, deviceId, msgId: randomUUID() }, rows, author), deviceId, seq: 2 };
    expect(openChangeSet(keys, tenantId, env)).toEqual({ ok: true, rows, audit: null, by: author });
    expect(JSON.stringify(env)).not.toContain(author);
  });

  it('refuses a tampered ciphertext', () => {
    const env = stored();
    const ct = Buffer.from(env.ciphertext, 'base64');
    ct[5] = (ct[5] ?? 0) ^ 1;
    expect(openChangeSet(keys, tenantId, { ...env, ciphertext: ct.toString('base64') })).toEqual({ ok: false, reason: 'not-authentic' });
  });

  it('refuses a message moved to another tenant, attributed to another device, renumbered or relabelled', () => {
    const env = stored();
    expect(openChangeSet(keys, randomUUID(), env)).toEqual({ ok: false, reason: 'not-authentic' });
    expect(openChangeSet(keys, tenantId, { ...env, deviceId: randomUUID() })).toEqual({ ok: false, reason: 'not-authentic' });
    expect(openChangeSet(keys, tenantId, { ...env, msgId: randomUUID() })).toEqual({ ok: false, reason: 'not-authentic' });
    expect(openChangeSet(keys, tenantId, { ...env, kid: 'k2' })).toEqual({ ok: false, reason: 'not-authentic' });
  });

  it('refuses a message under a key it does not have, and an empty or broken change set', () => {
    expect(openChangeSet(new Map([[k2.kid, k2.key]]), tenantId, stored())).toEqual({ ok: false, reason: 'unknown-key' });
    const empty = sealChangeSet(k1, { tenantId, deviceId, msgId: randomUUID() }, []);
    expect(openChangeSet(keys, tenantId, { ...empty, deviceId, seq: 2 })).toEqual({ ok: false, reason: 'malformed' });
    expect(openChangeSet(keys, tenantId, { ...stored(), ciphertext: 'AAAA' })).toEqual({ ok: false, reason: 'malformed' });
  });
});
