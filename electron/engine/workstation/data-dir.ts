// The data dir's layout: which file holds what (docs/architecture.md has the table), and
// setting aside (or, when this run made it, deleting) a database that can never be opened again.
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const dataFiles = {
  database: 'chartroom.db',
  keyring: 'keyring.json',
  signInAttempts: 'sign-in-attempts.json',
  signInGuard: 'sign-in-guard.json',
  lockdown: 'lockdown.json',
  updates: 'updates.json',
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

  get signInGuard(): string {
    return join(this.path, dataFiles.signInGuard);
  }

  get lockdown(): string {
    return join(this.path, dataFiles.lockdown);
  }

  get updates(): string {
    return join(this.path, dataFiles.updates);
  }

  get deviceKey(): string {
    return join(this.path, dataFiles.deviceKey);
  }

  /**
   * Deletes the database this run made and whose key it is discarding (a join or a setup that
   * failed): encrypted under a key no one holds, it could never be read, so nothing is kept.
   */
  async discardDatabase(): Promise<void> {
    for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${this.database}${suffix}`, { force: true });
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
