// Migration 0009 and the history nobody can erase (issue 12, point 5), on both stores: through
// the service's own connection, every UPDATE, DELETE (and on PostgreSQL TRUNCATE) of the
// messages, snapshots, documents' blob chunks and audit heads is refused, and they are all
// still there after; no route of the cloud's API deletes anything.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cloudRoutes } from '../../../../shared/cloud-api/routes';
import { dialects, envelope, inAMinute } from './dialects';

const deviceId = '66666666-6666-4666-8666-666666666666';

it('no route of the cloud’s API deletes, and the PUT routes are the replaceable settings and outbox report, the append-only blob chunks, the set-once IT key and a workstation’s update group', () => {
  const methods = Object.values(cloudRoutes).map((r) => r.method as string);
  expect(methods).not.toContain('DELETE');
  expect(Object.entries(cloudRoutes).filter(([, r]) => r.method === 'PUT').map(([n]) => n).sort()).toEqual(['putBlobChunk', 'putIce', 'putItKey', 'putKeys', 'putSignInGuard', 'reportOutbox', 'setDeviceGroup']);
});

for (const d of dialects) {
  describe(d.name, () => {
    it('refuses to change or erase any history, even through the service’s own connection', async () => {
      const o = await d.open();
      try {
        await o.store.migrate(8);
        const { tenantId } = await o.store.createTenant('Maple Street', 'setup-hash', inAMinute());
        await o.store.append(tenantId, deviceId, [envelope()]);
        await o.store.putSnapshot(tenantId, { snapshotId: randomUUID(), seq: 1, deviceId, kid: 'k1', nonce: 'AAAAAAAAAAAAAAAA', ciphertext: 'c2VhbGVk' });
        await o.store.putBlobChunk(tenantId, randomUUID(), 0, { nonce: 'AAAAAAAAAAAAAAAA', ciphertext: Buffer.from('sealed') }, deviceId);
        await o.store.putAuditHead(tenantId, { deviceId, seq: 3, hash: 'a'.repeat(64), at: new Date().toISOString() });
        await o.store.migrate(9);
        expect(await o.version()).toBe(9);
        const attempts = [
          "UPDATE messages SET ciphertext = 'AAAA'", 'DELETE FROM messages',
          "UPDATE snapshots SET ciphertext = 'AAAA'", 'DELETE FROM snapshots',
          "UPDATE blob_chunks SET nonce = 'BBBBBBBBBBBBBBBB'", 'DELETE FROM blob_chunks',
          "UPDATE audit_heads SET hash = 'b'", 'DELETE FROM audit_heads',
          ...(d.name === 'PostgreSQL' ? ['TRUNCATE messages', 'TRUNCATE snapshots', 'TRUNCATE blob_chunks', 'TRUNCATE audit_heads'] : []),
        ];
        for (const sql of attempts) await expect(o.exec(tenantId, sql), sql).rejects.toThrow(/append-only/);
        expect((await o.store.pull(tenantId, 0, 10)).length).toBe(1);
        expect((await o.store.latestSnapshot(tenantId))?.ciphertext).toBe('c2VhbGVk');
        expect((await o.store.auditHeads(tenantId)).map((h) => h.seq)).toEqual([3]);
      } finally {
        await o.close();
      }
    });
  });
}
