// `npm run cloud -- <command>`: the tenant service.
//   serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--database-url postgres://…]
//   tenant create --name NAME [--data-dir DIR] [--database-url postgres://…]
// SQLite in --data-dir by default; --database-url (or DATABASE_URL) switches to PostgreSQL.
// Structured JSON logs (pino) go to DIR/logs/cloud.log, or standard error without a data dir.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { privateDir, privateFile } from './private-files';
import { createCloud, createTenant } from './server';
import { PostgresStore } from './store/postgres-store';
import { SqliteStore } from './store/sqlite-store';
import type { CloudStore } from './store/store';

const usage = `Usage: npm run cloud -- serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--database-url URL]
       npm run cloud -- tenant create --name NAME [--data-dir DIR] [--database-url URL]`;

class UsageError extends Error {}

async function tokenSecret(dataDir: string | null): Promise<Buffer> {
  const fromEnv = process.env.CHARTROOM_CLOUD_SECRET;
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  if (!dataDir) throw new UsageError('with --database-url, set CHARTROOM_CLOUD_SECRET (32 random bytes, base64) the same on every service process');
  const file = join(dataDir, 'token-secret');
  try {
    return await readFile(file);
  } catch {
    const secret = randomBytes(32);
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string', default: process.env.DATABASE_URL },
      name: { type: 'string' },
    },
  });
  const url = values['database-url'];
  const dataDir = url && !values['data-dir'] ? null : resolve(values['data-dir'] ?? '.chartroom-cloud');
  if (dataDir) privateDir(dataDir);
  const store: CloudStore = url ? new PostgresStore(url) : new SqliteStore(join(dataDir as string, 'cloud.db'));
  await store.migrate();

  switch (positionals.join(' ')) {
    case 'serve': {
      const logFile = dataDir ? join(dataDir, 'logs', 'cloud.log') : null;
      if (logFile) {
        privateDir(join(logFile, '..'));
        privateFile(logFile);
      }
      const logger = pino({ base: { app: 'chartroom-cloud' }, redact: ['req.headers.authorization'] }, logFile ? pino.destination({ dest: logFile, mode: 0o600, sync: true }) : pino.destination(2));
      const app = await createCloud({ store, secret: await tokenSecret(dataDir), logger });
      const address = await app.listen({ host: values.host, port: Number(values.port) });
      process.stdout.write(`listening on ${address}\n`);
      const stop = async () => { await app.close(); await store.close(); process.exit(0); };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    case 'tenant create': {
      if (!values.name?.trim()) throw new UsageError('--name NAME is required');
      const t = await createTenant(store, values.name.trim());
      process.stdout.write(`tenant ${t.tenantId}\nsetup code ${t.setupCode}\n(The setup code is shown once and works for 7 days, for the clinic's first workstation.)\n`);
      await store.close();
      return;
    }
    default:
      throw new UsageError(positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command');
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(`error: ${e.message}\n\n${usage}`);
  else console.error(`error: ${e instanceof Error ? e.message : 'the service could not start'}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
