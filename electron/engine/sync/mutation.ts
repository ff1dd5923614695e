// The one mutation path. Every domain write goes through `Mutator`: in the same transaction it
// updates the table, appends one change row per changed field (stamped with the hybrid logical
// clock) and appends the audit records. Nothing else may write to synced tables.
import { formatHlc, type Hlc, parseHlc, receive, tick } from '../../../shared/sync/hlc';
import { v7 as uuidv7 } from 'uuid';
import type { Db, SqlValue, Tx } from '../db/connection';
import { appendAudit, type AuditRecord } from '../audit/audit-log';

/** Synced tables and their columns: the only names a mutation may touch (never caller text). */
export const syncedTables = {
  clinic: ['name', 'created_at', 'recovery_public_key'],
  users: ['username', 'display_name', 'roles', 'disabled', 'created_at', 'key_record'],
  settings: ['value'],
  patients: [
    'mrn', 'family_name', 'given_names', 'preferred_name', 'date_of_birth', 'sex_at_birth', 'gender_identity',
    'phone', 'phone_digits', 'email', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country',
    'emergency_name', 'emergency_relationship', 'emergency_phone', 'insurance_payer', 'insurance_member_id',
    'insurance_group', 'created_at', 'updated_at', 'no_known_allergies', 'merged_into', 'merged_at',
  ],
  providers: ['active'],
  appointment_types: ['name', 'duration_minutes', 'mode', 'active'],
  appointments: [
    'patient_id', 'provider_id', 'type_id', 'start', 'duration_minutes', 'reason', 'status', 'cancel_reason',
    'checked_in_at', 'roomed_at', 'with_provider_at', 'checked_out_at', 'created_at', 'updated_at',
  ],
  encounters: ['patient_id', 'appointment_id', 'provider_id', 'kind', 'started_at', 'call_started_at', 'call_ended_at', 'call_seconds'],
  notes: ['encounter_id', 'author_id', 'subjective', 'objective', 'assessment', 'plan', 'status', 'signed_by', 'signed_at', 'updated_at'],
  addenda: ['note_id', 'author_id', 'text', 'signed_at'],
  note_templates: ['name', 'subjective', 'objective', 'assessment', 'plan'],
  problems: ['patient_id', 'description', 'icd10', 'onset', 'status', 'recorded_by', 'recorded_at'],
  medications: ['patient_id', 'name', 'dose', 'route', 'frequency', 'rxnorm', 'start', 'stop', 'recorded_by', 'recorded_at'],
  allergies: ['patient_id', 'substance', 'reaction', 'severity', 'code', 'active', 'recorded_by', 'recorded_at'],
  vitals: [
    'patient_id', 'encounter_id', 'taken_at', 'systolic', 'diastolic', 'heart_rate', 'respiratory_rate',
    'temperature_c', 'spo2', 'height_cm', 'weight_kg', 'recorded_by',
  ],
  immunizations: ['patient_id', 'vaccine', 'cvx', 'date', 'lot', 'recorded_by'],
  lab_results: ['patient_id', 'test', 'loinc', 'value', 'unit', 'ref_low', 'ref_high', 'collected_on', 'recorded_by'],
  documents: ['patient_id', 'title', 'mime', 'bytes', 'content', 'uploaded_by', 'uploaded_at'],
  emergency_access: ['user_id', 'patient_id', 'reason', 'granted_at', 'expires_at'],
  video_visits: ['appointment_id', 'link_token', 'identity_key', 'valid_from', 'valid_until', 'created_by', 'created_at', 'revoked_at', 'started_at', 'ended_at'],
} as const satisfies Record<string, readonly string[]>;

export type SyncedTable = keyof typeof syncedTables;
export type Columns<T extends SyncedTable> = (typeof syncedTables)[T][number];
export type RowValues<T extends SyncedTable> = Partial<Record<Columns<T>, SqlValue>>;

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

  constructor(readonly tx: Tx, clock: HlcClock) {
    this.hlc = clock.next();
  }

  async insert<T extends SyncedTable>(table: T, id: string, values: RowValues<T>): Promise<void> {
    assertColumns(table, values);
    const cols = Object.keys(values);
    await this.tx.run(
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
      await this.tx.run(`INSERT INTO ${table} (id, ${cols.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`, params);
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
    await this.tx.run(`UPDATE ${table} SET ${changedCols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...changedCols.map((c) => changed[c] ?? null), id]);
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
      await this.tx.run(
        `INSERT INTO changes (msg_id, hlc, tbl, row_id, col, value) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((c) => [this.msgId, c.hlc, c.table, c.rowId, c.column, c.value]),
      );
      await this.tx.run(
        `INSERT INTO field_versions (tbl, row_id, col, hlc) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (tbl, row_id, col) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > field_versions.hlc`,
        chunk.flatMap((c) => [c.table, c.rowId, c.column, c.hlc]),
      );
    }
    await appendAudit(this.tx, workstationId, this.auditRecords);
  }
}

/** Runs `fn` in one transaction with a Mutator; changes and audit commit with the writes. */
export async function mutate<T>(db: Db, clock: HlcClock, workstationId: string, fn: (m: Mutator) => Promise<T> | T): Promise<T> {
  return db.transaction(async (tx) => {
    const m = new Mutator(tx, clock);
    const result = await fn(m);
    await m.flush(workstationId);
    return result;
  });
}
