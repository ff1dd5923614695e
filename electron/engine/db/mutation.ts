// The one mutation path. Every domain write goes through `Mutator`: in the same transaction it
// updates the table, appends one change row per changed field (stamped with the hybrid logical
// clock) and appends the audit records. Nothing else may write to synced tables.
import { changeAuthor } from './change-author';
import { formatHlc, type Hlc, parseHlc, receive, tick } from '../../../shared/sync/hlc';
import { v7 as uuidv7 } from 'uuid';
import type { Db, ReadTx, SqlValue, Tx } from './connection';
import { localOnly } from './local-writes';
import { type RowValues, type SyncedTable, syncedTables } from './synced-tables';
import { appendAudit, type AuditRecord } from '../audit/audit-log';

export { syncedTables, type SyncedTable, type Columns, type RowValues } from './synced-tables';

interface ChangeRow {
  readonly hlc: string;
  readonly table: SyncedTable;
  readonly rowId: string;
  readonly column: string;
  readonly value: string | null;
}

/** The workstation's hybrid logical clock, resumed from the newest change on open. */
export class HlcClock {
  private last: Hlc;

  constructor(node: string, resumeFrom?: string | null) {
    this.last = resumeFrom ? { ...parseHlc(resumeFrom), node } : { millis: 0, counter: 0, node };
  }

  static async resume(db: Db, node: string): Promise<HlcClock> {
    // Local stamps only move forward, so the newest row carries the highest; reading it by
    // primary key keeps sign-in fast however long the change log grows.
    const row = await db.get<{ hlc: string | null }>('SELECT hlc FROM changes ORDER BY seq DESC LIMIT 1');
    return new HlcClock(node, row?.hlc ?? null);
  }

  next(now = Date.now()): string {
    this.last = tick(this.last, now);
    return formatHlc(this.last);
  }

  /** Moves past a stamp received from another workstation; throws if it is far in the future. */
  observe(remote: string, now = Date.now()): void {
    this.last = receive(this.last, parseHlc(remote), now);
  }
}

function assertColumns(table: SyncedTable, values: Record<string, unknown>): void {
  const allowed: readonly string[] = syncedTables[table];
  for (const c of Object.keys(values)) if (!allowed.includes(c)) throw new Error(`column ${table}.${c} is not a synced column`);
}

const encode = (v: SqlValue): string | null => (v === null ? null : JSON.stringify(Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v));

export class Mutator {
  private readonly changes: ChangeRow[] = [];
  private readonly auditRecords: AuditRecord[] = [];
  /** Names this transaction's change set: the unit sync encrypts and sends. */
  readonly msgId = uuidv7();
  /**
   * One clock reading for the whole transaction: between two transactions, every field both
   * touched goes the same way, so columns written together (phone and its digits) stay together.
   */
  private readonly hlc: string;

  /** Reads inside this transaction (it sees the writes made so far). */
  readonly tx: ReadTx;
  /** Writes to this workstation's own tables in the same transaction (a synced table throws). */
  readonly local: Tx;

  constructor(private readonly w: Tx, clock: HlcClock) {
    this.hlc = clock.next();
    this.tx = w;
    this.local = localOnly(w);
  }

  async insert<T extends SyncedTable>(table: T, id: string, values: RowValues<T>): Promise<void> {
    assertColumns(table, values);
    const cols = Object.keys(values);
    await this.w.run(
      `INSERT INTO ${table} (id, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`,
      [id, ...cols.map((c) => (values as Record<string, SqlValue>)[c] ?? null)],
    );
    this.record(table, id, values, true);
  }

  /** Multi-row insert for bulk loads (seeding, imports); same change rows as `insert`. */
  async insertMany<T extends SyncedTable>(table: T, rows: readonly { id: string; values: RowValues<T> }[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    assertColumns(table, first.values);
    const cols = Object.keys(first.values);
    const per = Math.max(1, Math.floor(3000 / (cols.length + 1)));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const params: SqlValue[] = [];
      for (const r of chunk) {
        if (Object.keys(r.values).length !== cols.length) throw new Error('insertMany rows must have the same columns');
        params.push(r.id, ...cols.map((c) => (r.values as Record<string, SqlValue>)[c] ?? null));
      }
      const row = `(?, ${cols.map(() => '?').join(', ')})`;
      await this.w.run(`INSERT INTO ${table} (id, ${cols.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`, params);
    }
    for (const r of rows) this.record(table, r.id, r.values, true);
  }

  /**
   * Updates only the given columns and records a change row for each value that differs, or,
   * with `restamp`, for every given column (signing a note stamps its whole content, so every
   * workstation converges on exactly the signed text).
   */
  async update<T extends SyncedTable>(table: T, id: string, values: RowValues<T>, opts: { restamp?: boolean } = {}): Promise<number> {
    assertColumns(table, values);
    const cols = Object.keys(values);
    if (cols.length === 0) return 0;
    const current = await this.tx.get<Record<string, SqlValue>>(`SELECT ${cols.join(', ')} FROM ${table} WHERE id = ?`, [id]);
    if (!current) throw new Error(`${table} row to update does not exist`);
    const changed = Object.fromEntries(cols.filter((c) => opts.restamp || current[c] !== (values as Record<string, SqlValue>)[c]).map((c) => [c, (values as Record<string, SqlValue>)[c] ?? null]));
    const changedCols = Object.keys(changed);
    if (changedCols.length === 0) return 0;
    await this.w.run(`UPDATE ${table} SET ${changedCols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...changedCols.map((c) => changed[c] ?? null), id]);
    this.record(table, id, changed);
    return changedCols.length;
  }

  /** Insert-or-update for key/value tables such as settings. */
  async upsert<T extends SyncedTable>(table: T, id: string, values: RowValues<T>): Promise<void> {
    const exists = await this.tx.get(`SELECT 1 AS x FROM ${table} WHERE id = ?`, [id]);
    if (exists) await this.update(table, id, values);
    else await this.insert(table, id, values);
  }

  audit(record: AuditRecord): void {
    this.auditRecords.push(record);
  }

  /** Names of fields changed so far (for audit detail: which fields, never their values). */
  changedColumns(table: SyncedTable, id: string): string[] {
    return this.changes.filter((c) => c.table === table && c.rowId === id).map((c) => c.column);
  }

  /**
   * One change row per field. On insert, empty-string fields are the schema's defaults and
   * carry no information, so they are left out (`skipDefaults`).
   */
  private record(table: SyncedTable, rowId: string, values: Record<string, unknown>, skipDefaults = false): void {
    for (const [column, value] of Object.entries(values)) {
      if (skipDefaults && value === '') continue;
      this.changes.push({ hlc: this.hlc, table, rowId, column, value: encode(value as SqlValue) });
    }
  }

  /** Writes the buffered change rows (multi-row inserts) and audit records. */
  async flush(workstationId: string): Promise<void> {
    const per = 400;
    for (let i = 0; i < this.changes.length; i += per) {
      const chunk = this.changes.slice(i, i + per);
      await this.w.run(
        `INSERT INTO changes (msg_id, hlc, tbl, row_id, col, value) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((c) => [this.msgId, c.hlc, c.table, c.rowId, c.column, c.value]),
      );
      await this.w.run(
        `INSERT INTO field_versions (tbl, row_id, col, hlc) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > field_versions.hlc`,
        chunk.flatMap((c) => [c.table, c.rowId, c.column, c.hlc]),
      );
    }
    // One more change set waits to leave (sync/apply.ts's markPushed counts it down).
    if (this.changes.length > 0) await this.w.run("UPDATE sync_counters SET value = value + 1 WHERE name = 'pending'");
    const author = changeAuthor.getStore();
    if (this.changes.length > 0 && author) await this.w.run('INSERT OR IGNORE INTO change_authors (msg_id, user_id) VALUES (?, ?)', [this.msgId, author]);
    await appendAudit(this.w, workstationId, this.auditRecords);
  }

  /** Whether this transaction wrote anything the clinic's other workstations need. */
  get changed(): boolean {
    return this.changes.length > 0;
  }

  /** Whether it wrote audit rows (which reach the other workstations with the next round). */
  get audited(): boolean {
    return this.auditRecords.length > 0;
  }
}

/**
 * Runs `fn` in one transaction with a Mutator; changes and audit commit with the writes.
 * `changed` says whether it made a change set (an audited read makes none).
 */
export async function mutate<T>(db: Db, clock: HlcClock, workstationId: string, fn: (m: Mutator) => Promise<T> | T): Promise<{ result: T; changed: boolean; audited: boolean }> {
  return db.transaction(async (tx) => {
    const m = new Mutator(tx, clock);
    const result = await fn(m);
    await m.flush(workstationId);
    return { result, changed: m.changed, audited: m.audited };
  });
}
