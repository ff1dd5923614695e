// Property: three workstations edit at random, go offline at random, push (sometimes twice)
// and pull in any interleaving; once everyone has pushed and pulled, all three hold the same
// synced data, and every field holds the value of the latest change anyone made to it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, it } from 'vitest';
import { patient, setUpClinic, value, clinicOf } from '../../helpers/engine';
import { anyWorkstation, type EditOp, editOps, expectConverged, Log, runEdit, type Workstation } from '../../helpers/sync';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

type Op =
  | EditOp
  | { kind: 'move'; ws: number; pick: number; hour: number }
  | { kind: 'push'; ws: number; twice: boolean }
  | { kind: 'pull'; ws: number; replay: boolean };

const op: fc.Arbitrary<Op> = fc.oneof<fc.WeightedArbitrary<Op>[]>(
  ...editOps,
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), ws: anyWorkstation, pick: fc.nat({ max: 3 }), hour: fc.integer({ min: 8, max: 16 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('push' as const), ws: anyWorkstation, twice: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pull' as const), ws: anyWorkstation, replay: fc.boolean() }) },
);

async function clinic(): Promise<{ log: Log; ws: Workstation[] }> {
  const log = new Log();
  const list: Workstation[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await setUpClinic({ roles: ['admin', 'physician', 'front-desk'], username: `admin${i}` });
    cleanups.push(c.cleanup);
    await clinicOf(c.engine).local((tx) => tx.run('UPDATE workstation SET number = ?', [i + 1]));
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

async function run(w: Workstation, o: Op, log: Log): Promise<void> {
  switch (o.kind) {
    case 'register':
    case 'edit':
    case 'book':
      return runEdit(w, o);
    case 'move': {
      const appts = await clinicOf(w.engine).db.all<{ id: string }>("SELECT id FROM appointments WHERE status = 'scheduled' ORDER BY id");
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
        await expectConverged(list);
      } finally {
        for (const c of cleanups.splice(0)) await c();
      }
    }),
    { numRuns: 25, seed: Number(process.env.PROPERTY_SEED ?? 20261129), endOnFailure: true },
  );
}, 240_000);
