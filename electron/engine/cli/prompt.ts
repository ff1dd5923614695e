// The admin CLI's secrets (a password, the recovery code): from the environment
// (CHARTROOM_PASSWORD, CHARTROOM_RECOVERY_CODE), or asked for in the terminal without echo.
import { createInterface } from 'node:readline';

export class UsageError extends Error {}
export class CommandError extends Error {}

export async function readPassword(prompt: string, env = 'CHARTROOM_PASSWORD'): Promise<string> {
  const fromEnv = process.env[env];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError(`Set ${env} or run in a terminal to be asked.`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  let muted = false;
  out._writeToOutput = (s) => { if (!muted) out.output.write(s); };
  return new Promise((res) => {
    rl.question(prompt, (answer) => { rl.close(); process.stdout.write('\n'); res(answer); });
    muted = true;
  });
}

/** Resolves once everything written to stdout so far has been handed to the OS (a pipe included). */
export function flushStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}
