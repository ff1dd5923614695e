// Clocks for tests that need "now": a clinic moment far from any edge, and the means to set a
// child process (the browser host, the cloud) or a browser page to it. Through these, a test
// passes whatever the real hour, date or daylight-saving state is.

/**
 * 10:00 local time on Wednesday 5 June 2030: inside clinic hours, with hours to spare before
 * midnight, days before a month's end, and months from a daylight-saving change anywhere.
 */
export function clinicMorning(hour = 10, minute = 0): Date {
  return new Date(2030, 5, 5, hour, minute);
}

declare global {
  // Set by tests/helpers/shifted-clock.mjs when `npm run test:late` moved this process's clock.
  var __chartroomShiftedClock: number | undefined;
}

/** The real time, even inside a run whose clock scripts/test-at.mjs moved. */
export const realNow = (): number => Date.now() - (globalThis.__chartroomShiftedClock ?? 0);

const preload = new URL('./shifted-clock.mjs', import.meta.url).href;

/**
 * One clock for every part of a test (its child processes and browser pages): it read `at`
 * when it was made and flows from there, so a service restarted later still agrees with it.
 */
export interface TestClock {
  readonly offsetMs: number;
  now(): Date;
}

export function testClock(at: Date = clinicMorning()): TestClock {
  const offsetMs = at.getTime() - realNow();
  return { offsetMs, now: () => new Date(realNow() + offsetMs) };
}

/** The run's clock when `scripts/test-at.mjs --spawned` moved it for what tests spawn (else none). */
export function runClock(): TestClock | undefined {
  const offsetMs = Number(process.env.CHARTROOM_RUN_CLOCK_OFFSET_MS ?? '0');
  return Number.isFinite(offsetMs) && offsetMs !== 0 ? { offsetMs, now: () => new Date(realNow() + offsetMs) } : undefined;
}

/** Environment for a child Node process that runs on `clock`. */
export function clockEnv(clock: TestClock, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const options = (base.NODE_OPTIONS ?? '').split(' ').filter((o) => o && !o.includes('shifted-clock.mjs'));
  return { ...base, CHARTROOM_CLOCK_OFFSET_MS: String(clock.offsetMs), NODE_OPTIONS: [...options, `--import=${preload}`].join(' ') };
}

/** Two-digit local date and time parts, as the UI's date and time fields take them. */
const pad = (n: number) => String(n).padStart(2, '0');
export const localDate = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const localTime = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
/** Clinic wall time as the engine stores appointments: `2030-06-05T10:00`. */
export const localDateTime = (d: Date): string => `${localDate(d)}T${localTime(d)}`;

/** What a browser context's clock needs (Playwright's BrowserContext has it), kept structural so this file imports no test runner. */
interface ClockedContext { clock: { install(options: { time: number }): Promise<void> } }

/** Puts every page of a browser context on `clock` (time flows and timers keep running). */
export async function setPageClock(context: ClockedContext, clock: TestClock): Promise<void> {
  await context.clock.install({ time: clock.now().getTime() });
}
