// The SQLCipher connection: opened with a raw 32-byte key, WAL, foreign keys, synchronous=FULL
// and temp data kept in memory. Every statement runs through one queue, so a transaction
// on this single connection never interleaves with another caller's statements.
import { createRequire } from 'node:module';
import type * as Sqlcipher from '@journeyapps/sqlcipher';
import { keepPrivate, privateFile } from '../util/private-files';

// The driver is CommonJS with named exports Node's ESM loader cannot see; require it directly.
const sqlite3 = createRequire(import.meta.url)('@journeyapps/sqlcipher') as typeof Sqlcipher;

export type SqlValue = string | number | bigint | Buffer | null;
export type Params = readonly SqlValue[];
export type Row = Record<string, SqlValue>;

/** `plaintext` exists only so benchmarks can compare the same driver without encryption. */
export type DbKey = Buffer | 'plaintext-for-benchmark';

export interface OpenOptions {
  readonly file: string;
  readonly key: DbKey;
  /** Page cache in KiB; decrypted pages stay in memory, so reads skip the cipher. */
  readonly cacheKiB?: number;
}

export class DbOpenError extends Error {
  constructor(readonly reason: 'wrong-key' | 'io', message: string) {
    super(message);
  }
}

/** Reading statements: what a read-only handle or a mutation's own reads get. */
export interface ReadTx {
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
}

/** Statements for one transaction; only handed out inside `Db.transaction`. */
export interface Tx extends ReadTx {
  run(sql: string, params?: Params): Promise<{ changes: number; lastID: number }>;
  exec(sql: string): Promise<void>;
}

/**
 * A handle that can only read (as Signal-Desktop's ReadableDB): features and sync get this one,
 * and write through the Mutator or their port's named write paths, never through raw SQL.
 */
export interface ReadableDb {
  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T>;
  get<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
}

export class Db implements ReadableDb {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly raw: Sqlcipher.Database, readonly file: string) {}

  static async open(opts: OpenOptions): Promise<Db> {
    // SQLite would make the file (and so its -wal and -shm) with the umask's mode.
    try {
      privateFile(opts.file);
      keepPrivate([`${opts.file}-wal`, `${opts.file}-shm`]);
    } catch {
      throw new DbOpenError('io', 'cannot open the database file');
    }
    const raw = await new Promise<Sqlcipher.Database>((resolve, reject) => {
      const d = new sqlite3.Database(opts.file, (err) => (err ? reject(new DbOpenError('io', 'cannot open the database file')) : resolve(d)));
    });
    const db = new Db(raw, opts.file);
    try {
      if (opts.key !== 'plaintext-for-benchmark') {
        if (opts.key.length !== 32) throw new Error('database key must be 32 bytes');
        await db.execRaw(`PRAGMA key = "x'${opts.key.toString('hex')}'"`);
      }
      try {
        await db.getRaw('SELECT count(*) AS n FROM sqlite_master');
      } catch {
        throw new DbOpenError('wrong-key', 'the database cannot be read with this key');
      }
      await db.execRaw(
        [
          'PRAGMA journal_mode = WAL',
          'PRAGMA synchronous = FULL',
          'PRAGMA foreign_keys = ON',
          'PRAGMA temp_store = MEMORY',
          `PRAGMA cache_size = -${opts.cacheKiB ?? 65536}`,
          'PRAGMA busy_timeout = 5000',
        ].join(';'),
      );
    } catch (e) {
      await db.close();
      throw e;
    }
    return db;
  }

  /** Runs `fn` alone on the connection, inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.execRaw('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.tx);
        await this.execRaw('COMMIT');
        return result;
      } catch (e) {
        await this.execRaw('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  /** A read outside any transaction (its own implicit one). */
  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.enqueue(() => fn(this.tx));
  }

  get<T = Row>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.enqueue(() => this.getRaw<T>(sql, params));
  }

  all<T = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.enqueue(() => this.allRaw<T>(sql, params));
  }

  /** Statements that manage the connection itself (pragmas, checkpoints), not data. */
  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.execRaw(sql));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await new Promise<void>((resolve, reject) => this.raw.close((e) => (e ? reject(e) : resolve())));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private readonly tx: Tx = {
    run: (sql, params = []) => this.runRaw(sql, params),
    get: (sql, params = []) => this.getRaw(sql, params),
    all: (sql, params = []) => this.allRaw(sql, params),
    exec: (sql) => this.execRaw(sql),
  };

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runRaw(sql: string, params: Params): Promise<{ changes: number; lastID: number }> {
    return new Promise((resolve, reject) => {
      this.raw.run(sql, params as unknown[], function (this: Sqlcipher.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  private getRaw<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => this.raw.get(sql, params as unknown[], (err, row) => (err ? reject(err) : resolve(row as T | undefined))));
  }

  private allRaw<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) => this.raw.all(sql, params as unknown[], (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
  }

  private execRaw(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.raw.exec(sql, (err) => (err ? reject(err) : resolve())));
  }
}
