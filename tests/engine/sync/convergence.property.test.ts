// Property: three workstations edit at random, go offline at random, push (sometimes twice)
// and pull in any interleaving; once everyone has pushed and pulled, all three hold the same
// synced data, and every field holds the value of the latest change anyone made to it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import type { PatientId, UserId } from '../../../shared/domain/ids';
import { patient, setUpClinic, value } from '../../helpers/engine';
import { Log, syncedContent, type Workstation } from '../../helpers/sync';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

type Op =
  | { kind: 'register'; ws: number; name: string }
  | { kind: 'edit'; ws: number; pick: number; field: 'phone' | 'city' | 'email' | 'preferredName'; value: string }
  | { kind: 'book'; ws: number; pick: number; hour: number }
  | { kind: 'move'; ws: number; pick: number; hour: number }
  | { kind: 'push'; ws: number; twice: boolean }
  | { kind: 'pull'; ws: number; replay: boolean };

const ws = fc.integer({ min: 0, max: 2 });
// Few patients and few values, so workstations often edit the same field concurrently.
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('register' as const), ws, name: fc.constantFrom('Okafor', 'Lindqvist', 'Nguyen') }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const), ws, pick: fc.nat({ max: 3 }),
      field: fc.constantFrom('phone' as const, 'city' as const, 'email' as const, 'preferredName' as const),
      value: fc.constantFrom('555-201-0001', '555-201-0002', 'Springfield', 'Shelbyville', 'a@example.org', 'b@example.org', 'Kim', 'Lee'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('book' as const), ws, pick: fc.nat({ max: 3 }), hour: fc.integer({ min: 8, max: 16 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), ws, pick: fc.nat({ max: 3 }), hour: fc.integer({ min: 8, max: 16 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('push' as const), ws, twice: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pull' as const), ws, replay: fc.boolean() }) },
);

async function clinic(): Promise<{ log: Log; ws: Workstation[] }> {
  const log = new Log();
  const list: Workstation[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await setUpClinic({ roles: ['admin', 'physician', 'front-desk'], username: `admin${i}` });
    cleanups.push(c.cleanup);
    await c.engine.db.transaction((tx) => tx.run('UPDATE workstation SET number = ?', [i + 1]));
    list.push({ ...c, deviceId: randomUUID(), cursor: 0 });
  }
  // Two patients everyone already has, so edits collide from the first operation.
  for (const name of ['Abernathy', 'Baptiste']) {
    value(await list[0]!.api.call('patients.register', { fields: patient({ familyName: name, givenNames: 'Shared', phone: '' }) }));
  }
  for (const w of list) await log.push(w);
  for (const w of list) await log.pull(w);
  return { log, ws: list };
}

const validEmail = (v: string) => (v.includes('@') ? v : '');

async function run(w: Workstation, o: Op, log: Log): Promise<void> {
  const known = async () => (await w.engine.db.all<{ id: string }>('SELECT id FROM patients ORDER BY id')).map((r) => r.id as PatientId);
  switch (o.kind) {
    case 'register':
      value(await w.api.call('patients.register', { fields: patient({ familyName: o.name, givenNames: 'Pat', phone: '' }), duplicateOverride: { reason: 'property test' } }));
      return;
    case 'edit': {
      const ids = await known();
      if (ids.length === 0) return;
      const current = value(await w.api.call('patients.get', { patientId: ids[o.pick % ids.length] as PatientId }));
      const { id, mrn: _m, createdAt: _c, updatedAt: _u, ...fields } = current;
      const v = o.field === 'email' ? validEmail(o.value) : o.field === 'phone' && !/\d/.test(o.value) ? '' : o.value;
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
    case 'move': {
      const appts = await w.engine.db.all<{ id: string }>("SELECT id FROM appointments WHERE status = 'scheduled' ORDER BY id");
      if (appts.length === 0) return;
      const r = await w.api.call('appointments.move', { appointmentId: appts[o.pick % appts.length]!.id as never, start: `2030-06-04T${String(o.hour).padStart(2, '0')}:30`, confirmWarnings: true });
      if (!r.ok && r.error.code !== 'not-a-provider') throw new Error(r.error.code);
      return;
    }
    case 'push':
      await log.push(w, { duplicate: o.twice });
      if (o.twice) await log.push(w);
      return;
    case 'pull': {
      const r = await log.pull(w, o.replay ? { from: 0 } : {});
      if (r.refused.length) throw new Error(`refused: ${r.refused.join(', ')}`);
      return;
    }
  }
}

/** Latest change anyone made to each field, by clock, across every workstation's own log. */
async function latestChanges(list: Workstation[]): Promise<Map<string, { hlc: string; value: string | null }>> {
  const latest = new Map<string, { hlc: string; value: string | null }>();
  for (const w of list) {
    for (const c of await w.engine.db.all<{ tbl: string; row_id: string; col: string; hlc: string; value: string | null }>('SELECT tbl, row_id, col, hlc, value FROM changes')) {
      const key = `${c.tbl}|${c.row_id}|${c.col}`;
      const seen = latest.get(key);
      if (!seen || c.hlc > seen.hlc) latest.set(key, { hlc: c.hlc, value: c.value });
    }
  }
  return latest;
}

it('three workstations converge, losing no acknowledged change, whatever the interleaving', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
      const { log, ws: list } = await clinic();
      try {
        for (const o of ops) await run(list[o.ws] as Workstation, o, log);
        for (let round = 0; round < 2; round++) {
          for (const w of list) await log.push(w);
          for (const w of list) await log.pull(w);
        }
        const [a, b, c] = await Promise.all(list.map(syncedContent));
        expect(b).toEqual(a);
        expect(c).toEqual(a);
        const latest = await latestChanges(list);
        for (const [key, change] of latest) {
          const [tbl, rowId, col] = key.split('|') as [string, string, string];
          const row = await list[0]!.engine.db.get<Record<string, unknown>>(`SELECT ${col} AS v FROM ${tbl} WHERE id = ?`, [rowId]);
          expect(row, key).toBeDefined();
          expect(JSON.stringify(row?.v ?? null), key).toBe(change.value === null ? 'null' : change.value);
        }
      } finally {
        for (const c of cleanups.splice(0)) await c();
      }
    }),
    { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 20261129), endOnFailure: true },
  );
}, 240_000);
