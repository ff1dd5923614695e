// The service's folders 0700 and files 0600 (its database, the -wal and -shm SQLite gives the
// database's mode, its log, its secret), whatever the umask. The workstation has its own copy
// (electron/engine/util/private-files.ts): cloud/ and the engine share no Node code.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** Makes `file` exist and private, and any of `siblings` that exist private too. */
export function privateFile(file: string, siblings: readonly string[] = []): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  for (const f of siblings) if (existsSync(f)) chmodSync(f, 0o600);
}
