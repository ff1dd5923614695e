// Moving change sets between test workstations the way sync does: sealed under the tenant key
// by the sender, appended to one shared ordered log (what the cloud keeps), opened and applied
// by each receiver in log order. The transport is what later tests replace with the real cloud.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { PatientId, UserId } from '../../shared/domain/ids';
import { applyRemoteChangeSet, markPushed, pendingChangeSets } from '../../electron/engine/sync/apply';
import { openChangeSet, sealChangeSet } from '../../electron/engine/sync/envelope';
import type { StoredEnvelope } from '../../shared/sync/wire';
import { patient, type TestEngine, value, clinicOf } from './engine';
import { duplicateChecks } from '../../electron/engine/patients/duplicates';

export interface Workstation extends TestEngine {
  deviceId: string;
  /** How far into the log this workstation has applied. */
  cursor: number;
}

export class Log {
  readonly tenantId = '7d7c1b9e-4a44-4e9f-9a4e-2b1f3c4d5e6f';
  readonly key = { kid: 'k1', key: randomBytes(32) };
  readonly messages: StoredEnvelope[] = [];
  private readonly seen = new Set<string>();

  /** Push: every pending change set of `w` joins the log once (idempotent on message id). */
  async push(w: Workstation, opts: { duplicate?: boolean } = {}): Promise<number> {
    const sets = await clinicOf(w.engine).db.read((tx) => pendingChangeSets(tx, 10_000));
    for (const s of sets) {
      if (this.seen.has(s.msgId)) continue;
      this.seen.add(s.msgId);
      const env = sealChangeSet(this.key, { tenantId: this.tenantId, deviceId: w.deviceId, msgId: s.msgId }, s.rows);
      this.messages.push({ ...env, deviceId: w.deviceId, seq: this.messages.length + 1 });
    }
    if (!opts.duplicate) await clinicOf(w.engine).local((tx) => markPushed(tx, sets.map((s) => s.msgId)));
    return sets.length;
  }

  /** Pull: applies what `w` has not seen, in log order, skipping its own messages. */
  async pull(w: Workstation, opts: { from?: number } = {}): Promise<{ applied: number; refused: string[]; conflicts: number }> {
    const keys = new Map([[this.key.kid, this.key.key]]);
    const result = { applied: 0, refused: [] as string[], conflicts: 0 };
    const start = opts.from ?? w.cursor;
    for (const env of this.messages.slice(start)) {
      if (env.deviceId !== w.deviceId) {
        const opened = openChangeSet(keys, this.tenantId, env);
        if (!opened.ok) {
          result.refused.push(opened.reason);
        } else {
          const outcome = await clinicOf(w.engine).replicate((tx) => applyRemoteChangeSet(tx, clinicOf(w.engine).clock, env, opened.rows, duplicateChecks));
          if (outcome.status === 'applied') {
            result.applied++;
            result.conflicts += outcome.conflicts;
          } else if (outcome.status === 'refused') result.refused.push(outcome.reason);
        }
      }
      w.cursor = Math.max(w.cursor, env.seq);
    }
    return result;
  }
}

/** The synced tables' contents, for comparing workstations (local-only bookkeeping excluded). */
export async function syncedContent(w: Pick<TestEngine, 'engine'>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['clinic', 'users', 'settings', 'patients', 'providers', 'appointment_types', 'appointments', 'encounters', 'notes', 'addenda',
    'note_templates', 'problems', 'medications', 'allergies', 'vitals', 'immunizations', 'lab_results', 'documents', 'emergency_access', 'video_visits']) {
    const cols = t === 'patients' ? 'id, mrn, family_name, given_names, preferred_name, date_of_birth, phone, email, city, updated_at, no_known_allergies' : '*';
    out[t] = await clinicOf(w.engine).db.all(`SELECT ${cols} FROM ${t} ORDER BY id`);
  }
  return out;
}

// ---- what the convergence properties do at the front desk -------------------------------------

export type EditOp =
  | { kind: 'register'; ws: number; name: string }
  | { kind: 'edit'; ws: number; pick: number; field: 'phone' | 'city' | 'email' | 'preferredName'; value: string }
  | { kind: 'book'; ws: number; pick: number; hour: number };

export const anyWorkstation = fc.integer({ min: 0, max: 2 });
// Few patients and few values, so workstations often edit the same field concurrently.
export const editOps: readonly fc.WeightedArbitrary<EditOp>[] = [
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const), ws: anyWorkstation, name: fc.constantFrom('Okafor', 'Lindqvist', 'Nguyen') }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const), ws: anyWorkstation, pick: fc.nat({ max: 3 }),
      field: fc.constantFrom('phone' as const, 'city' as const, 'email' as const, 'preferredName' as const),
      value: fc.constantFrom('555-201-0001', '555-201-0002', 'Springfield', 'Shelbyville', 'a@example.org', 'b@example.org', 'Kim', 'Lee'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('book' as const), ws: anyWorkstation, pick: fc.nat({ max: 3 }), hour: fc.integer({ min: 8, max: 16 }) }) },
];

/** Registers, edits a field of, or books one of the patients this workstation knows. */
export async function runEdit(w: TestEngine, o: EditOp): Promise<void> {
  const known = async () => (await clinicOf(w.engine).db.all<{ id: string }>('SELECT id FROM patients ORDER BY id')).map((r) => r.id as PatientId);
  switch (o.kind) {
    case 'register':
      value(await w.api.call('patients.register', { fields: patient({ familyName: o.name, givenNames: 'Pat', phone: '' }), duplicateOverride: { reason: 'property test' } }));
      return;
    case 'edit': {
      const ids = await known();
      if (ids.length === 0) return;
      const current = value(await w.api.call('patients.get', { patientId: ids[o.pick % ids.length] as PatientId }));
      const { id, mrn: _m, createdAt: _c, updatedAt: _u, ...fields } = current;
      const v = o.field === 'email' ? (o.value.includes('@') ? o.value : '') : o.field === 'phone' && !/\d/.test(o.value) ? '' : o.value;
      value(await w.api.call('patients.update', { patientId: id, fields: { ...fields, [o.field]: v } }));
      return;
    }
    case 'book': {
      const ids = await known();
      if (ids.length === 0) return;
      const me = value(await w.api.call('session.current', {}))!;
      const type = value(await w.api.call('schedule.types', {}))[0]!;
      value(await w.api.call('appointments.book', {
        patientId: ids[o.pick % ids.length] as PatientId, providerId: me.user.id as UserId, typeId: type.id, start: `2030-06-03T${String(o.hour).padStart(2, '0')}:00`, confirmWarnings: true,
      }));
      return;
    }
  }
}

/**
 * All workstations hold the same synced data, and every field holds the latest change anyone
 * made to it (by clock, across every workstation's own change log): nothing acknowledged lost.
 */
export async function expectConverged(list: readonly Pick<TestEngine, 'engine'>[]): Promise<void> {
  const [first, ...rest] = await Promise.all(list.map(syncedContent));
  for (const other of rest) expect(other).toEqual(first);
  const latest = new Map<string, { hlc: string; value: string | null }>();
  for (const w of list) {
    for (const c of await clinicOf(w.engine).db.all<{ tbl: string; row_id: string; col: string; hlc: string; value: string | null }>('SELECT tbl, row_id, col, hlc, value FROM changes')) {
      const key = `${c.tbl}|${c.row_id}|${c.col}`;
      const seen = latest.get(key);
      if (!seen || c.hlc > seen.hlc) latest.set(key, { hlc: c.hlc, value: c.value });
    }
  }
  for (const [key, change] of latest) {
    const [tbl, rowId, col] = key.split('|') as [string, string, string];
    const row = await clinicOf(list[0]!.engine).db.get<Record<string, unknown>>(`SELECT ${col} AS v FROM ${tbl} WHERE id = ?`, [rowId]);
    expect(row, key).toBeDefined();
    expect(JSON.stringify(row?.v ?? null), key).toBe(change.value === null ? 'null' : change.value);
  }
}
