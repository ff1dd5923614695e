// Small shared pieces of the benchmarks: percentiles, a keyed and an unkeyed store side by
// side, and the result table.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Db } from '../../electron/engine/db/connection';
import { migrate } from '../../electron/engine/db/migrate';
import { HlcClock } from '../../electron/engine/db/mutation';

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

export interface Store {
  name: 'sqlcipher' | 'plain';
  db: Db;
  clock: HlcClock;
}

export const benchNode = 'bench000bench000';

/** The same schema twice: SQLCipher with a random key, and the same driver with none. */
export async function openPair(dir: string, prefix: string): Promise<[Store, Store]> {
  const open = async (name: Store['name']): Promise<Store> => {
    const db = await Db.open({ file: join(dir, `${prefix}-${name}.db`), key: name === 'sqlcipher' ? randomBytes(32) : 'plaintext-for-benchmark' });
    const m = await migrate(db);
    if (!m.ok) throw new Error(m.error.message);
    return { name, db, clock: await HlcClock.resume(db, benchNode) };
  };
  return [await open('sqlcipher'), await open('plain')];
}

/** Runs `fn` alternately on both stores, `n` times each after `warm` unmeasured rounds. */
export async function sideBySide(stores: readonly [Store, Store], n: number, warm: number, fn: (s: Store, i: number) => Promise<unknown>): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < warm; i++) for (const s of stores) await fn(s, i);
  for (let i = 0; i < n; i++) {
    for (const [k, s] of stores.entries()) {
      const t = performance.now();
      await fn(s, i);
      times[k as 0 | 1].push(performance.now() - t);
    }
  }
  return times;
}

export function printTable(title: string, rows: readonly [string, number, number][]): void {
  console.log(`\n### ${title}\n`);
  console.log('| measure | SQLCipher | plain SQLite (same driver) | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const [label, a, b] of rows) console.log(`| ${label} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)} |`);
}
