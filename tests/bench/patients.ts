// Patient insert and search: 100,000 synthetic patients inserted through the real mutation
// path, then search p50/p95, on SQLCipher and on the same driver without a key, side by side in
// one run. BENCH_PATIENTS=N to change N.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { Db, type DbKey } from '../../electron/engine/db/connection';
import { migrate } from '../../electron/engine/db/migrate';
import { insertPatients } from '../../electron/engine/patients/patient-repository';
import { PatientSearchIndex } from '../../electron/engine/patients/patient-search';
import { syntheticPatients } from '../../electron/engine/patients/synthetic';
import { HlcClock, mutate } from '../../electron/engine/db/mutation';
import type { PatientFields } from '../../shared/domain/patient';
import { percentile } from './stats';

const N = Number(process.env.BENCH_PATIENTS ?? 100_000);
const BATCH = 2_000;
const QUERIES = 400;

interface Variant {
  name: 'sqlcipher' | 'plain';
  key: DbKey;
  db?: Db;
  search?: PatientSearchIndex;
  insertMs?: number;
  latencies: Record<string, number[]>;
}


function typo(word: string, r: () => number): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(r() * (word.length - 3));
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function buildQueries(all: readonly PatientFields[], mrns: readonly string[]): { kind: string; q: string }[] {
  let seed = 7;
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: { kind: string; q: string }[] = [];
  const kinds = ['name-prefix', 'full-name', 'date-of-birth', 'phone', 'mrn', 'typo'] as const;
  for (let i = 0; i < QUERIES; i++) {
    const idx = Math.floor(r() * all.length);
    const p = all[idx] as PatientFields;
    const kind = kinds[i % kinds.length] as (typeof kinds)[number];
    const family = p.familyName.split(/[\s-]/)[0] as string;
    const q = {
      'name-prefix': family.slice(0, 3 + Math.floor(r() * 3)),
      'full-name': `${p.givenNames.split(' ')[0]} ${family}`,
      'date-of-birth': p.dateOfBirth,
      phone: p.phone.replace(/\D/g, '').slice(-7),
      mrn: mrns[idx] as string,
      typo: typo(family.toLowerCase(), r),
    }[kind];
    out.push({ kind, q });
  }
  return out;
}

async function open(v: Variant, dir: string): Promise<HlcClock> {
  v.db = await Db.open({ file: join(dir, `${v.name}.db`), key: v.key });
  const migrated = await migrate(v.db);
  if (!migrated.ok) throw new Error(migrated.error.message);
  v.insertMs = 0;
  return HlcClock.resume(v.db, 'bench000bench000');
}

/** Inserts batch by batch, alternating the two stores, so both see the same machine state. */
async function load(variants: Variant[], dir: string, batches: PatientFields[][]): Promise<string[]> {
  const clocks = [await open(variants[0] as Variant, dir), await open(variants[1] as Variant, dir)];
  for (const batch of batches) {
    for (const [i, v] of variants.entries()) {
      const started = performance.now();
      await mutate(v.db as Db, clocks[i] as HlcClock, 'bench000bench000', async (m) => {
        await insertPatients(m, batch, uuidv7, new Date().toISOString());
        m.audit({ userId: null, username: 'bench', action: 'patients.seed', patientId: null, outcome: 'success', detail: `count=${batch.length}` });
      });
      v.insertMs = (v.insertMs ?? 0) + performance.now() - started;
    }
  }
  for (const v of variants) v.search = new PatientSearchIndex(v.db as Db);
  return ((await variants[0]?.db?.all<{ mrn: string }>('SELECT mrn FROM patients ORDER BY pk')) ?? []).map((x) => x.mrn);
}

export async function benchPatients(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'chartroom-bench-'));
  try {
    console.log(`Generating ${N} synthetic patients…`);
    const all = syntheticPatients(N, 424242);
    const batches: PatientFields[][] = [];
    for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
    const variants: Variant[] = [
      { name: 'sqlcipher', key: randomBytes(32), latencies: {} },
      { name: 'plain', key: 'plaintext-for-benchmark', latencies: {} },
    ];
    console.log('Inserting into both stores, batch by batch…');
    const mrns = await load(variants, dir, batches);
    const queries = buildQueries(all, mrns);
    // Warm both caches the same way, then alternate the two stores query by query.
    for (const v of variants) for (const { q } of queries.slice(0, 40)) await v.search!.search(q, 100);
    let found = 0;
    for (const { kind, q } of queries) {
      for (const v of variants) {
        const t = performance.now();
        const r = await v.search!.search(q, 100);
        const ms = performance.now() - t;
        (v.latencies[kind] ??= []).push(ms);
        (v.latencies.all ??= []).push(ms);
        if (v.name === 'sqlcipher' && r.results.length > 0) found++;
      }
    }
    const [c, p] = variants as [Variant, Variant];
    const size = async (v: Variant) => (await stat(join(dir, `${v.name}.db`))).size + (await stat(join(dir, `${v.name}.db-wal`)).then((s) => s.size, () => 0));
    const rows: [string, string, string, string][] = [];
    const fmt = (n: number) => n.toFixed(2);
    rows.push([`insert ${N} patients (s)`, fmt(c.insertMs! / 1000), fmt(p.insertMs! / 1000), fmt(c.insertMs! / p.insertMs!)]);
    rows.push(['insert per patient (ms)', fmt(c.insertMs! / N), fmt(p.insertMs! / N), fmt(c.insertMs! / p.insertMs!)]);
    for (const kind of ['all', 'name-prefix', 'full-name', 'date-of-birth', 'phone', 'mrn', 'typo']) {
      for (const pct of [50, 95]) {
        const a = percentile(c.latencies[kind]!, pct);
        const b = percentile(p.latencies[kind]!, pct);
        rows.push([`search ${kind} p${pct} (ms)`, fmt(a), fmt(b), fmt(a / b)]);
      }
    }
    const sc = await size(c);
    const sp = await size(p);
    rows.push(['database on disk (MB)', fmt(sc / 1e6), fmt(sp / 1e6), fmt(sc / sp)]);
    console.log(`\n${queries.length} queries per store, ${found} of them found at least one patient (SQLCipher).`);
    console.log('| measure | SQLCipher | plain SQLite (same driver) | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    for (const v of variants) await v.db!.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

