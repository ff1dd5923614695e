// Structured logs (pino) that never carry PHI, keys or passwords: callers log call names,
// codes and counts only, and known secret-bearing keys are redacted as a second line of defence.
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { privateDir, privateFile } from './util/private-files';

export type { Logger };

export function createLogger(destination?: string, level = process.env.CHARTROOM_LOG_LEVEL ?? 'info'): Logger {
  // The log's folder may be the first thing made in a new data dir: private, like all of it.
  if (destination) {
    privateDir(dirname(destination));
    privateFile(destination);
  }
  return pino(
    {
      level,
      base: { app: 'chartroom' },
      redact: { paths: ['password', 'newPassword', 'currentPassword', 'key', 'dk', '*.password', '*.fields', 'input', 'token'], censor: '[redacted]' },
    },
    destination ? pino.destination({ dest: destination, mode: 0o600, sync: true }) : pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
