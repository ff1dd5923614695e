// `npm run cloud -- <command>`: the tenant service.
//   serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--database-url postgres://…]
//   tenant create --name NAME [--data-dir DIR] [--database-url postgres://…]
//   release keygen|sign|sign-rollback (the vendor's, offline) and publish|add-rollback|list|
//     promote|halt|resume|pin|rollback (cloud/updates/release-cli.ts)
// SQLite in --data-dir by default; --database-url (or DATABASE_URL) switches to PostgreSQL.
// Structured JSON logs (pino) go to DIR/logs/cloud.log, or standard error without a data dir.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Result } from '../shared/errors';
import { privateDir, privateFile } from './private-files';
import { createCloud, createTenant } from './server';
import { PostgresStore } from './store/postgres-store';
import { SqliteStore } from './store/sqlite-store';
import type { CloudStore } from './store/store';
import { signingCommand, storeCommand } from './updates/release-cli';

const usage = `Usage: npm run cloud -- serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--database-url URL]
       npm run cloud -- tenant create --name NAME [--data-dir DIR] [--database-url URL]
       npm run cloud -- release keygen --out KEY.pem
       npm run cloud -- release sign --dir DIST --channel stable|beta --key-file KEY.pem
       npm run cloud -- release sign-rollback --channel C --version V --key-file KEY.pem > grant.json
       npm run cloud -- release publish --dir DIST --channel stable|beta [--data-dir DIR]
       npm run cloud -- release add-rollback --file grant.json
       npm run cloud -- release list
       npm run cloud -- release promote --tenant ID [--group G] --version V --percent 10|50|100
       npm run cloud -- release halt|resume --tenant ID [--group G]
       npm run cloud -- release pin|rollback --tenant ID [--group G] --version V|none`;

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
      dir: { type: 'string' }, channel: { type: 'string' }, version: { type: 'string' }, percent: { type: 'string' },
      tenant: { type: 'string' }, group: { type: 'string' }, 'key-file': { type: 'string' }, out: { type: 'string' }, file: { type: 'string' },
    },
  });
  if (positionals[0] === 'release') {
    const signed = await signingCommand(positionals[1] ?? '', values);
    if (signed) return report(signed);
  }
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
      if (positionals[0] === 'release' && positionals.length === 2) {
        const r = await storeCommand(store, positionals[1] as string, values);
        await store.close();
        return report(r);
      }
      throw new UsageError(positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command');
  }
}

/** A command's answer on standard output, or its failure's words (exit 1). */
function report(r: Result<string>): void {
  if (r.ok) process.stdout.write(`${r.value}\n`);
  else {
    console.error(`error: ${r.error.message}`);
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(`error: ${e.message}\n\n${usage}`);
  else console.error(`error: ${e instanceof Error ? e.message : 'the service could not start'}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
