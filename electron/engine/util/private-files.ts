// Folders 0700 and files 0600, whoever creates them first and whatever the umask: a data dir
// made by the logger before the engine, or a database file SQLite would make 0644, is private
// from its first byte. SQLite gives a database's -wal and -shm files the database's own mode,
// so a database made here keeps them private too.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** Makes `path` (and any missing parent) a private folder, or makes an existing one private. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(path, PRIVATE_DIR);
}

/** Makes `file` exist as a private file (empty if new), or makes an existing one private. */
export function privateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE));
  chmodSync(file, PRIVATE_FILE);
}

/** Makes the files among `files` that exist private (a database's -wal and -shm from before). */
export function keepPrivate(files: readonly string[]): void {
  for (const f of files) if (existsSync(f)) chmodSync(f, PRIVATE_FILE);
}
