// One behaviour, two stores: every test here runs against SQLite and against PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudStore } from '../../../cloud/store/store';
import type { Envelope } from '../../../shared/sync/wire';

const envelope = (i: number): Envelope => ({
  msgId: randomUUID(), kid: 'k1', nonce: Buffer.alloc(12, i).toString('base64'), ciphertext: Buffer.alloc(40, i).toString('base64'),
});
const inFuture = () => new Date(Date.now() + 3600_000).toISOString();
const now = () => new Date().toISOString();

export function storeContract(name: string, open: () => Promise<CloudStore>, close: () => Promise<void>) {
  describe(`${name} store`, () => {
    let store: CloudStore;
    beforeAll(async () => {
      store = await open();
      await store.migrate();
      await store.migrate(); // idempotent
    });
    afterAll(async () => {
      await store.close();
      await close();
    });

    const tenant = async () => (await store.createTenant(`Clinic ${randomUUID().slice(0, 6)}`, randomUUID(), inFuture())).tenantId;

    it('numbers each tenant’s messages 1, 2, 3… in arrival order and serves them by cursor', async () => {
      const t = await tenant();
      const device = randomUUID();
      const batch = [envelope(1), envelope(2), envelope(3)];
      const r = await store.append(t, device, batch);
      expect(r.stored.map((x) => [x.seq, x.duplicate])).toEqual([[1, false], [2, false], [3, false]]);
      await store.append(t, device, [envelope(4), envelope(5)]);
      expect((await store.pull(t, 0, 100)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.pull(t, 2, 2)).map((m) => m.seq)).toEqual([3, 4]);
      const [first] = await store.pull(t, 0, 1);
      expect(first).toEqual({ ...batch[0], seq: 1, deviceId: device });
    });

    it('stores a message once however often it is pushed (idempotent on message id)', async () => {
      const t = await tenant();
      const device = randomUUID();
      const m = envelope(7);
      await store.append(t, device, [m, envelope(8)]);
      const again = await store.append(t, device, [m, envelope(9)]);
      expect(again.stored.map((x) => [x.seq, x.duplicate])).toEqual([[1, true], [3, false]]);
      expect((await store.pull(t, 0, 100)).map((x) => x.msgId).filter((id) => id === m.msgId)).toHaveLength(1);
    });

    it('keeps tenants apart: own sequence, own history', async () => {
      const a = await tenant();
      const b = await tenant();
      await store.append(a, randomUUID(), [envelope(1), envelope(2)]);
      const mine = await store.append(b, randomUUID(), [envelope(3)]);
      expect(mine.stored[0]?.seq).toBe(1);
      expect(await store.pull(b, 0, 100)).toHaveLength(1);
      expect(await store.pull(a, 0, 100)).toHaveLength(2);
      // The same message id in two tenants is two messages.
      const shared = envelope(5);
      await store.append(a, randomUUID(), [shared]);
      expect((await store.append(b, randomUUID(), [shared])).stored[0]?.duplicate).toBe(false);
    });

    it('hands out gap-free sequence numbers under concurrent pushes', async () => {
      const t = await tenant();
      await Promise.all(Array.from({ length: 8 }, (_, d) => store.append(t, randomUUID(), Array.from({ length: 5 }, (_, i) => envelope(d * 10 + i)))));
      expect((await store.pull(t, 0, 1000)).map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('accepts a one-time code once, before it expires, and never by anything but its hash', async () => {
      const setup = randomUUID();
      const { tenantId } = await store.createTenant('Code Clinic', setup, inFuture());
      expect(await store.consumeCode('not-the-hash', now())).toBeNull();
      expect(await store.consumeCode(setup, now())).toEqual({ tenantId, kind: 'setup' });
      expect(await store.consumeCode(setup, now())).toBeNull();
      const late = randomUUID();
      await store.addCode(tenantId, 'enroll', late, new Date(Date.now() - 1000).toISOString());
      expect(await store.consumeCode(late, now())).toBeNull();
      const enroll = randomUUID();
      await store.addCode(tenantId, 'enroll', enroll, inFuture());
      expect(await store.consumeCode(enroll, now())).toEqual({ tenantId, kind: 'enroll' });
    });

    it('leaves a code of the other kind unused when the caller says which kind it expects', async () => {
      const setup = randomUUID();
      const { tenantId } = await store.createTenant('Kind Clinic', setup, inFuture());
      expect(await store.tenantName(tenantId)).toBe('Kind Clinic');
      expect(await store.consumeCode(setup, now(), 'enroll')).toEqual({ wrongKind: 'setup' });
      expect(await store.consumeCode(setup, now(), 'setup')).toEqual({ tenantId, kind: 'setup' });
      expect(await store.consumeCode(setup, now(), 'setup')).toBeNull();
    });

    it('records when a device was last seen', async () => {
      const t = await tenant();
      const deviceId = randomUUID();
      await store.addDevice({ tenantId: t, deviceId, name: 'Exam 2', signingKey: 'c2lnbg==', boxKey: 'Ym94', enrolledAt: now() });
      expect((await store.getDevice(t, deviceId))?.lastSeenAt).toBeNull();
      const at = new Date(Date.now() + 5000).toISOString();
      await store.touchDevice(t, deviceId, at);
      expect((await store.listDevices(t))[0]?.lastSeenAt).toBe(at);
      await store.touchDevice(await tenant(), deviceId, now()); // another tenant cannot touch it
      expect((await store.getDevice(t, deviceId))?.lastSeenAt).toBe(at);
    });

    it('keeps snapshots and serves the newest one of the tenant', async () => {
      const t = await tenant();
      expect(await store.latestSnapshot(t)).toBeNull();
      const snap = (seq: number) => ({ snapshotId: randomUUID(), seq, deviceId: randomUUID(), kid: 'k1', nonce: Buffer.alloc(12, seq).toString('base64'), ciphertext: Buffer.alloc(64, seq).toString('base64') });
      const older = snap(10);
      const newer = snap(25);
      await store.putSnapshot(t, newer);
      await store.putSnapshot(t, older);
      expect(await store.latestSnapshot(t)).toMatchObject(newer);
      expect(await store.latestSnapshot(await tenant())).toBeNull();
    });

    it('serves the newest snapshot before a point, and never a revoked device’s', async () => {
      const t = await tenant();
      const honest = randomUUID();
      const taken = randomUUID();
      for (const [deviceId, name] of [[honest, 'Front desk'], [taken, 'Exam 3']] as const) {
        await store.addDevice({ tenantId: t, deviceId, name, signingKey: 'c2lnbg==', boxKey: 'Ym94', enrolledAt: now() });
      }
      const snap = (seq: number, deviceId: string) => ({ snapshotId: randomUUID(), seq, deviceId, kid: 'k1', nonce: Buffer.alloc(12, seq).toString('base64'), ciphertext: Buffer.alloc(64, seq).toString('base64') });
      const before = snap(10, honest);
      await store.putSnapshot(t, before);
      const madeBetween = new Date(Date.now() + 5).toISOString();
      await new Promise((r) => setTimeout(r, 20));
      const after = snap(40, honest);
      await store.putSnapshot(t, after);
      const poisoned = snap(55, taken);
      await store.putSnapshot(t, poisoned);

      expect((await store.latestSnapshot(t))?.snapshotId).toBe(poisoned.snapshotId);
      expect((await store.latestSnapshot(t, { seq: 39 }))?.snapshotId).toBe(before.snapshotId);
      expect((await store.latestSnapshot(t, { seq: 40 }))?.snapshotId).toBe(after.snapshotId);
      expect((await store.latestSnapshot(t, { at: madeBetween }))?.snapshotId).toBe(before.snapshotId);
      expect(await store.latestSnapshot(t, { seq: 9 })).toBeNull();
      await store.revokeDevice(t, taken, now());
      expect((await store.latestSnapshot(t))?.snapshotId).toBe(after.snapshotId);
    });

    it('keeps each tenant’s video settings apart', async () => {
      const t = await tenant();
      const other = await tenant();
      expect(await store.getIceSettings(t)).toBeNull();
      await store.setIceSettings(t, '{"v":1}');
      await store.setIceSettings(t, '{"v":2}');
      expect(await store.getIceSettings(t)).toBe('{"v":2}');
      expect(await store.getIceSettings(other)).toBeNull();
    });

    it('keeps video visits by tenant, finds one by its link token hash only, and sets each mark once', async () => {
      const t = await tenant();
      const visitId = randomUUID();
      const validFrom = new Date(Date.now() - 60_000).toISOString();
      const validUntil = new Date(Date.now() + 3600_000).toISOString();
      await store.addVisit({ tenantId: t, visitId, validFrom, validUntil, identityKey: '{"kty":"EC"}' }, 'hash-of-token');
      expect(await store.visitByToken('hash-of-token')).toEqual({ tenantId: t, visitId, validFrom, validUntil, identityKey: '{"kty":"EC"}', revokedAt: null, closedAt: null, admittedAt: null });
      expect(await store.visitByToken('another-hash')).toBeNull();
      expect(await store.getVisit(await tenant(), visitId)).toBeNull();
      const first = new Date(Date.now() + 1000).toISOString();
      await store.markVisit(t, visitId, 'admittedAt', first);
      await store.markVisit(t, visitId, 'admittedAt', new Date(Date.now() + 9000).toISOString());
      await store.markVisit(t, visitId, 'closedAt', first);
      expect(await store.getVisit(t, visitId)).toMatchObject({ admittedAt: first, closedAt: first, revokedAt: null });
      await expect(store.addVisit({ tenantId: t, visitId: randomUUID(), validFrom, validUntil, identityKey: 'k' }, 'hash-of-token')).rejects.toThrow();
    });

    it('tells listeners of every append and every announced event, with the tenant', async () => {
      const t = await tenant();
      const heard: string[] = [];
      const stop = await store.onEvent((tenantId, event) => {
        if (tenantId === t) heard.push(event);
      });
      await store.append(t, randomUUID(), [envelope(7)]);
      await store.notify(t, 'keys');
      await store.notify(t, 'devices');
      await store.notify(t, 'visits');
      await expect.poll(() => heard, { timeout: 5000 }).toEqual(['more', 'keys', 'devices', 'visits']);
      await stop();
    });

    it('lets one socket at a time hold a visit’s patient browser, until it lets go or stops renewing', async () => {
      const t = await tenant();
      const visit = randomUUID();
      const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 9, 0, s)).toISOString();
      expect(await store.claimVisitPatient(t, visit, 'first', 'seat-a', at(0), at(-30))).toBe(true);
      // A second browser while the first is fresh: refused.
      expect(await store.claimVisitPatient(t, visit, 'second', 'seat-b', at(10), at(-20))).toBe(false);
      expect(await store.visitsWithPatient(t, at(-20))).toEqual([visit]);
      expect(await store.visitsWithPatient(await tenant(), at(-20))).toEqual([]);
      // Renewed, it stays fresh; someone else's release does not free it.
      await store.renewVisitPatients([{ tenantId: t, visitId: visit, holder: 'first' }], at(25));
      await store.releaseVisitPatient(t, visit, 'second');
      expect(await store.claimVisitPatient(t, visit, 'second', 'seat-b', at(40), at(10))).toBe(false);
      // Not renewed for longer than the freshness window (its process died): it lapses.
      expect(await store.visitsWithPatient(t, at(30))).toEqual([]);
      expect(await store.claimVisitPatient(t, visit, 'second', 'seat-b', at(60), at(30))).toBe(true);
      // Let go, it is free at once.
      await store.releaseVisitPatient(t, visit, 'second');
      expect(await store.visitsWithPatient(t, at(0))).toEqual([]);
      expect(await store.claimVisitPatient(t, visit, 'third', 'seat-c', at(61), at(31))).toBe(true);
      // The same page reconnecting (its seat) takes over its own fresh claim; another still cannot.
      expect(await store.claimVisitPatient(t, visit, 'fourth', 'seat-c', at(62), at(32))).toBe(true);
      expect(await store.claimVisitPatient(t, visit, 'fifth', 'seat-d', at(63), at(33))).toBe(false);
      await store.releaseVisitPatient(t, visit, 'third');
      expect(await store.visitsWithPatient(t, at(33))).toEqual([visit]);
    });

    it('relays visit messages in order, whole, however long', async () => {
      const t = await tenant();
      const visitId = randomUUID();
      const heard: { to: string; body: string }[] = [];
      const stop = await store.onVisitRelay((m) => { if (m.tenantId === t && m.visitId === visitId) heard.push({ to: m.to, body: m.body }); });
      // An SDP offer can pass PostgreSQL's 8000-byte NOTIFY limit; names can be beyond ASCII.
      const sent = [{ to: 'clinic', body: 'a' }, { to: 'patient', body: 'é'.repeat(30_000) }, { to: 'clinic', body: JSON.stringify({ n: 3 }) }] as const;
      await Promise.all(sent.map((m) => store.relayVisit({ tenantId: t, visitId, ...m })));
      await expect.poll(() => heard.length, { timeout: 5000 }).toBe(3);
      expect(heard).toEqual(sent.map((m) => ({ ...m })));
      await stop();
    });

    it('records a signed token request once per device, and forgets it after its window', async () => {
      const t = await tenant();
      const [a, b] = [randomUUID(), randomUUID()];
      const at = '2026-12-02T09:00:00.000Z';
      const forget = '2026-12-02T09:05:00.000Z';
      expect(await store.useTokenRequest(t, a, at, forget, at)).toBe(true);
      expect(await store.useTokenRequest(t, a, at, forget, at)).toBe(false);
      // Another device may sign the same instant; another tenant keeps its own.
      expect(await store.useTokenRequest(t, b, at, forget, at)).toBe(true);
      expect(await store.useTokenRequest(await tenant(), a, at, forget, at)).toBe(true);
      expect(await Promise.all([1, 2, 3].map(() => store.useTokenRequest(t, a, '2026-12-02T09:00:01.000Z', forget, at)))).toEqual(expect.arrayContaining([true, false, false]));
      // Past its window it is forgotten (its timestamp would be refused as stale by then anyway).
      expect(await store.useTokenRequest(t, a, at, forget, '2026-12-02T09:06:00.000Z')).toBe(true);
    });

    it('counts wrong passwords per username hash for the whole clinic: five lock it, a lockout holds until it ends, a success clears the count', async () => {
      const t = await tenant();
      const policy = { maxFailures: 5, lockoutMs: 300_000 };
      const [ada, ben] = ['a1'.repeat(32), 'b2'.repeat(32)];
      const now = 1_800_000_000_000;
      for (let i = 1; i <= 4; i++) expect(await store.recordSignInFailure(t, ada, now + i, policy)).toEqual({ failures: i, lockedUntil: 0 });
      expect(await store.signInLockedUntil(t, ada)).toBe(0);
      expect(await store.recordSignInFailure(t, ada, now + 5, policy)).toEqual({ failures: 0, lockedUntil: now + 5 + 300_000 });
      expect(await store.signInLockedUntil(t, ada)).toBe(now + 5 + 300_000);
      // Reported while locked (a race between workstations): the lockout neither grows nor ends.
      expect(await store.recordSignInFailure(t, ada, now + 10, policy)).toEqual({ failures: 0, lockedUntil: now + 5 + 300_000 });
      // Another username, and the same username in another clinic, have their own counts.
      expect(await store.recordSignInFailure(t, ben, now, policy)).toEqual({ failures: 1, lockedUntil: 0 });
      const other = await tenant();
      expect(await store.signInLockedUntil(other, ada)).toBe(0);
      // After the lockout the count starts again; a success clears it.
      expect(await store.recordSignInFailure(t, ada, now + 400_000, policy)).toEqual({ failures: 1, lockedUntil: 0 });
      await store.clearSignInFailures(t, ada);
      expect(await store.recordSignInFailure(t, ada, now + 400_001, policy)).toEqual({ failures: 1, lockedUntil: 0 });
      // Failures reported at once (several workstations, several service processes) are all counted.
      const many = { maxFailures: 1000, lockoutMs: 300_000 };
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.recordSignInFailure(t, ben, now + i, many)));
      expect((await store.recordSignInFailure(t, ben, now + 20, many)).failures).toBe(14);
    });

    it('keeps each device’s audit chain head as it grows, refuses one that goes back or changes, and never forgets one', async () => {
      const t = await tenant();
      const [a, b] = [randomUUID(), randomUUID()];
      const h = (c: string) => c.repeat(64);
      const at = '2026-12-02T09:00:00.000Z';
      expect(await store.putAuditHead(t, { deviceId: a, seq: 10, hash: h('a'), at })).toBe('stored');
      expect(await store.putAuditHead(t, { deviceId: a, seq: 10, hash: h('a'), at })).toBe('same');
      expect(await store.putAuditHead(t, { deviceId: a, seq: 10, hash: h('b'), at })).toBe('changed');
      expect(await store.putAuditHead(t, { deviceId: a, seq: 9, hash: h('c'), at })).toBe('behind');
      expect(await store.putAuditHead(t, { deviceId: a, seq: 25, hash: h('d'), at })).toBe('stored');
      expect(await store.putAuditHead(t, { deviceId: b, seq: 3, hash: h('e'), at })).toBe('stored');
      expect((await store.auditHeads(t)).map(({ deviceId, seq, hash }) => ({ deviceId, seq, hash })).sort((x, y) => x.seq - y.seq)).toEqual([
        { deviceId: b, seq: 3, hash: h('e') }, { deviceId: a, seq: 25, hash: h('d') },
      ]);
      expect(await store.auditHeads(await tenant())).toEqual([]);
    });

    it('keeps a blob chunk once: the same bytes again are a retry, other bytes are refused, another tenant sees none', async () => {
      const t = await tenant();
      const blob = randomUUID();
      const chunk = { nonce: Buffer.alloc(12, 1).toString('base64'), ciphertext: Buffer.alloc(3000, 7) };
      expect(await store.putBlobChunk(t, blob, 0, chunk, randomUUID())).toBe('stored');
      expect(await store.putBlobChunk(t, blob, 0, { ...chunk, ciphertext: Buffer.from(chunk.ciphertext) }, randomUUID())).toBe('same');
      expect(await store.putBlobChunk(t, blob, 0, { ...chunk, ciphertext: Buffer.alloc(3000, 8) }, randomUUID())).toBe('conflict');
      expect(await store.blobChunk(t, blob, 0)).toEqual(chunk);
      expect(await store.blobChunk(t, blob, 1)).toBeNull();
      expect(await store.blobChunk(await tenant(), blob, 0)).toBeNull();
    });

    it('records devices per tenant and revokes them', async () => {
      const t = await tenant();
      const other = await tenant();
      const deviceId = randomUUID();
      expect(await store.addDevice({ tenantId: t, deviceId, name: 'Front desk PC', signingKey: 'c2lnbg==', boxKey: 'Ym94', enrolledAt: now() })).toEqual({ number: 1 });
      expect(await store.addDevice({ tenantId: t, deviceId: randomUUID(), name: 'Exam 1', signingKey: 'c2lnbg==', boxKey: 'Ym94', enrolledAt: now() })).toEqual({ number: 2 });
      expect(await store.addDevice({ tenantId: other, deviceId: randomUUID(), name: 'Elsewhere', signingKey: 'c2lnbg==', boxKey: 'Ym94', enrolledAt: now() })).toEqual({ number: 1 });
      expect(await store.getDevice(t, deviceId)).toMatchObject({ name: 'Front desk PC', revokedAt: null, number: 1 });
      expect(await store.getDevice(other, deviceId)).toBeNull();
      await store.revokeDevice(t, deviceId, now());
      expect((await store.getDevice(t, deviceId))?.revokedAt).not.toBeNull();
      expect(await store.listDevices(t)).toHaveLength(2);
      expect(await store.listDevices(other)).toHaveLength(1);
    });

    it('keeps each device’s wrap of the tenant key, and hands a device only its own', async () => {
      const t = await tenant();
      const [d1, d2] = [randomUUID(), randomUUID()];
      await store.putKeyWrap(t, 'k1', d1, 'wrap-for-d1');
      await store.putKeyWrap(t, 'k1', d2, 'wrap-for-d2');
      await store.putKeyWrap(t, 'k1', d2, 'newer-wrap-for-d2');
      expect(await store.keyWrapsFor(t, d2)).toEqual([{ kid: 'k1', wrapped: 'newer-wrap-for-d2' }]);
      expect((await store.listKeyWraps(t)).map((w) => w.deviceId).sort()).toEqual([d1, d2].sort());
      expect(await store.keyWrapsFor(await tenant(), d1)).toEqual([]);
    });

    it('refuses to append for a tenant that does not exist', async () => {
      await expect(store.append(randomUUID(), randomUUID(), [envelope(1)])).rejects.toThrow();
    });

    it('answers ready', async () => {
      expect(await store.ready()).toBe(true);
    });
  });
}
