// The call's recovery rules, as both sides of a visit use them, on a clock the test moves.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { CallRecovery, type MediaState, RECOVER_MS, reconnectDelay } from '../../../shared/video/recovery';

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

function workstation() {
  const states: MediaState[] = [];
  let restarts = 0;
  const r = new CallRecovery({ onChange: (s) => states.push(s), restart: () => { restarts++; r.starting(); } });
  return { r, states, restarts: () => restarts };
}

it('starts a new connection when an interrupted one has not recovered within a few seconds', () => {
  const w = workstation();
  w.r.starting();
  w.r.connected();
  w.r.ice('disconnected');
  expect(w.r.state).toBe('unstable');
  vi.advanceTimersByTime(RECOVER_MS - 1);
  expect(w.restarts()).toBe(0);
  vi.advanceTimersByTime(1);
  expect(w.restarts()).toBe(1);
  expect(w.r.state).toBe('connecting');
});

it('does not start over when the interruption heals by itself', () => {
  const w = workstation();
  w.r.starting();
  w.r.connected();
  w.r.ice('disconnected');
  w.r.ice('connected');
  vi.advanceTimersByTime(RECOVER_MS * 2);
  expect(w.restarts()).toBe(0);
  expect(w.states).toEqual(['connecting', 'connected', 'unstable', 'connected']);
});

it('retries a lost connection after 1, 2, 4, 8, 8 s, and from 1 s again once connected', () => {
  const w = workstation();
  w.r.starting();
  const waits: number[] = [];
  for (let i = 0; i < 5; i++) {
    w.r.dropped();
    const before = w.restarts();
    let waited = 0;
    while (w.restarts() === before) { vi.advanceTimersByTime(100); waited += 100; }
    waits.push(waited);
  }
  expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
  w.r.connected();
  w.r.dropped();
  vi.advanceTimersByTime(1000);
  expect(w.restarts()).toBe(6);
});

it('the patient side only reports, and says when the picture has not come back for a while', () => {
  const states: MediaState[] = [];
  const stuck = vi.fn();
  const r = new CallRecovery({ onChange: (s) => states.push(s), stuckMs: 20_000, onStuck: stuck });
  r.connected();
  r.dropped();
  vi.advanceTimersByTime(19_999);
  expect(stuck).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(stuck).toHaveBeenCalledTimes(1);
  r.connected();
  r.dropped();
  r.connected();
  vi.advanceTimersByTime(30_000);
  expect(stuck).toHaveBeenCalledTimes(1);
  expect(states.at(-1)).toBe('connected');
});

it('a side that left is lost without a retry; the signalling back-off caps at 8 s', () => {
  const w = workstation();
  w.r.starting();
  w.r.connected();
  w.r.lost();
  vi.advanceTimersByTime(60_000);
  expect(w.restarts()).toBe(0);
  expect([0, 1, 2, 3, 4, 9].map(reconnectDelay)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
});
