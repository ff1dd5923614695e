// Structured logs (pino) that never carry PHI, keys or passwords: callers log call names,
// codes and counts only, and known secret-bearing keys are redacted as a second line of defence.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(destination?: string, level = process.env.CHARTROOM_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'chartroom' },
      redact: { paths: ['password', 'newPassword', 'currentPassword', 'key', 'dk', '*.password', '*.fields', 'input', 'token'], censor: '[redacted]' },
    },
    destination ? pino.destination({ dest: destination, mkdir: true, sync: true }) : pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
