// Moving change sets between test workstations the way sync does: sealed under the tenant key
// by the sender, appended to one shared ordered log (what the cloud keeps), opened and applied
// by each receiver in log order. The transport is what later tests replace with the real cloud.
import { randomBytes } from 'node:crypto';
import { applyRemoteChangeSet, markPushed, pendingChangeSets } from '../../electron/engine/sync/apply';
import { openChangeSet, sealChangeSet } from '../../electron/engine/sync/envelope';
import type { StoredEnvelope } from '../../shared/sync/wire';
import type { TestEngine } from './engine';

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
    const sets = await w.engine.db.read((tx) => pendingChangeSets(tx, 10_000));
    for (const s of sets) {
      if (this.seen.has(s.msgId)) continue;
      this.seen.add(s.msgId);
      const env = sealChangeSet(this.key, { tenantId: this.tenantId, deviceId: w.deviceId, msgId: s.msgId }, s.rows);
      this.messages.push({ ...env, deviceId: w.deviceId, seq: this.messages.length + 1 });
    }
    if (!opts.duplicate) await w.engine.db.transaction((tx) => markPushed(tx, sets.map((s) => s.msgId)));
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
          const outcome = await w.engine.db.transaction((tx) => applyRemoteChangeSet(tx, w.engine.clock, env, opened.rows));
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
export async function syncedContent(w: Workstation): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['clinic', 'users', 'settings', 'patients', 'providers', 'appointment_types', 'appointments', 'encounters', 'notes', 'addenda',
    'note_templates', 'problems', 'medications', 'allergies', 'vitals', 'immunizations', 'lab_results', 'documents', 'emergency_access']) {
    const cols = t === 'patients' ? 'id, mrn, family_name, given_names, preferred_name, date_of_birth, phone, email, city, updated_at, no_known_allergies' : '*';
    out[t] = await w.engine.db.all(`SELECT ${cols} FROM ${t} ORDER BY id`);
  }
  return out;
}
