// IT's command line as e2e specs run it, as IT would on a machine of its own: `admin lockdown …`
// with the recovery code from the environment. Answers what it printed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export async function adminLockdown(recoveryCode: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'electron/engine/cli/admin.ts', 'lockdown', ...args], { env: { ...process.env, CHARTROOM_RECOVERY_CODE: recoveryCode } });
  return stdout;
}
