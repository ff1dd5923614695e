// When a verified update may install (electron/engine/updates/install-gate.ts), by this
// workstation's wall clock: never during a call or a note, not even at *Install now*; otherwise
// at sign-out, in IT's window (across midnight, and on the nights the clocks change), or at
// *Install now*; and what the user is told while it waits. Dates are built from local fields,
// so the test holds in any time zone the run uses.
import { expect, it } from 'vitest';
import { inWindow, installGate } from '../../../electron/engine/updates/install-gate';

const night = { from: '19:00', to: '07:00' };
const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi);
const busy = { signedIn: true, notes: 0, calls: 0 };

it('opens the window across midnight by the wall clock, the nights the clocks change included', () => {
  const at = (h: number, mi: number, day = 1) => inWindow(night, local(2026, 12, day, h, mi));
  expect([at(18, 59), at(19, 0), at(23, 55), at(0, 5, 2), at(6, 59, 2), at(7, 0, 2), at(12, 0)]).toEqual([false, true, true, true, true, false, false]);
  // The nights daylight saving starts and ends in North America and in Europe.
  for (const [mo, d] of [[3, 8], [11, 1], [3, 29], [10, 25]] as const) {
    expect(inWindow(night, local(2026, mo, d, 18, 30)), `${mo}/${d} 18:30`).toBe(false);
    expect(inWindow(night, local(2026, mo, d, 23, 30)), `${mo}/${d} 23:30`).toBe(true);
    expect(inWindow(night, local(2026, mo, d, 5, 30)), `${mo}/${d} 05:30`).toBe(true);
    expect(inWindow(night, local(2026, mo, d, 8, 0)), `${mo}/${d} 08:00`).toBe(false);
  }
  expect(inWindow({ from: '12:00', to: '13:00' }, local(2026, 12, 1, 12, 30))).toBe(true);
  expect(inWindow(null, local(2026, 12, 1, 23, 0))).toBe(false);
});

it('waits for a call, then a note, even in the window or at Install now; else installs at sign-out, in the window or when told', () => {
  const late = local(2026, 12, 1, 23, 0);
  const noon = local(2026, 12, 1, 12, 0);
  expect(installGate({ ...busy, calls: 1, notes: 1 }, night, late, true)).toEqual({ install: false, waitingFor: 'call', message: 'An update is ready and installs after the call, at 19:00 or when you sign out.' });
  expect(installGate({ ...busy, notes: 1 }, night, late, true)).toEqual({ install: false, waitingFor: 'note', message: 'An update is ready and installs once the note is closed, at 19:00 or when you sign out.' });
  expect(installGate(busy, night, noon, false)).toEqual({ install: false, waitingFor: 'sign-out', message: 'An update is ready and installs at 19:00 or when you sign out.' });
  expect(installGate(busy, null, noon, false)).toMatchObject({ install: false, message: 'An update is ready and installs when you sign out.' });
  expect(installGate(busy, night, noon, true)).toEqual({ install: true, because: 'install-now' });
  expect(installGate({ ...busy, signedIn: false }, night, noon, false)).toEqual({ install: true, because: 'nobody-signed-in' });
  expect(installGate(busy, night, late, false)).toEqual({ install: true, because: 'window' });
});
