// The tenant service in the test process, on loopback, over a fresh SQLite file: for tests that
// need a real cloud but not a separate process (tests/helpers/cloud-process.ts starts that).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createCloud, createTenant } from '../../cloud/server';
import { SqliteStore } from '../../cloud/store/sqlite-store';
import { SyncClient } from '../../electron/engine/sync/client';
import { setUpClinic, tempDir, value } from './engine';

export interface TestCloud {
  readonly url: string;
  readonly store: SqliteStore;
  readonly app: FastifyInstance;
  /** The SQLite file, for tests that look at (or tamper with) what the cloud keeps. */
  readonly file: string;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startTestCloud(opts: { visitHeartbeatMs?: number } = {}): Promise<TestCloud> {
  const dir = await tempDir('chartroom-cloud-');
  const file = join(dir, 'cloud.db');
  const store = new SqliteStore(file);
  await store.migrate();
  const app = await createCloud({ store, secret: randomBytes(32), visitHeartbeatMs: opts.visitHeartbeatMs });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url, store, app, file, dir,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A set-up workstation (its admin signed in) enrolled as the first of a new clinic tenant of
 * `cloud` ("Front desk"): with its sync client and the recovery code shown at enrolment.
 * The caller cleans up the workstation (`a.cleanup`).
 */
export async function firstWorkstation(cloud: TestCloud, opts: Parameters<typeof setUpClinic>[0] = {}) {
  const { setupCode } = await createTenant(cloud.store, 'Maple Street');
  const a = await setUpClinic(opts);
  const sync = new SyncClient(a.engine.syncHost);
  const enrolled = value(await sync.enroll(cloud.url, setupCode, 'Front desk'));
  return { a, sync, tenantId: enrolled.tenantId, recoveryCode: enrolled.recoveryCode as string };
}
