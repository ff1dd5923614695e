// This vitest worker's clock (the engine and an in-process cloud read it) set to a clinic moment
// and flowing from there: for tests that book "soon" or read "today".
import { afterEach, vi } from 'vitest';
import { clinicMorning } from './test-clock';

/** From now until the test ends, the clock reads `at` (10:00 on a quiet Wednesday unless told). */
export function useClinicClock(at: Date = clinicMorning()): Date {
  vi.useFakeTimers({ toFake: ['Date'], now: at, shouldAdvanceTime: true });
  return at;
}

afterEach(() => {
  vi.useRealTimers();
});
