// The data dir's layout: which file holds what (docs/architecture.md has the table), and
// setting aside a database that can never be opened again.
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const dataFiles = {
  database: 'chartroom.db',
  keyring: 'keyring.json',
  signInAttempts: 'sign-in-attempts.json',
  deviceKey: 'device.key',
  logs: 'logs',
} as const;

export class DataDir {
  constructor(readonly path: string) {}

  get database(): string {
    return join(this.path, dataFiles.database);
  }

  get keyring(): string {
    return join(this.path, dataFiles.keyring);
  }

  get signInAttempts(): string {
    return join(this.path, dataFiles.signInAttempts);
  }

  get deviceKey(): string {
    return join(this.path, dataFiles.deviceKey);
  }

  /** A database without a keyring is unreadable forever (an interrupted setup): keep it aside. */
  async setAsideOrphanedDatabase(): Promise<void> {
    const names = await readdir(this.path);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (const n of names.filter((f) => f.startsWith(dataFiles.database))) {
      await rename(join(this.path, n), join(this.path, `orphaned-${stamp}-${n}`));
    }
  }
}
