// Runs a command with every Node process's clock moved to a given local wall time (in this
// process's TZ) and flowing from there: `TZ=America/New_York node scripts/test-at.mjs
// 2026-10-31T23:55 -- vitest run`. The offset is fixed here, once, so every process the
// command starts agrees on "now"; tests/helpers/shifted-clock.mjs applies it.
// With `--spawned`, the command itself keeps the real clock (Playwright's runner does not work
// on a moved one) and the test helpers put what they spawn, and browser pages, on the moved one.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const spawnedOnly = args[0] === '--spawned';
const [at, dashes, ...command] = spawnedOnly ? args.slice(1) : args;
if (!at || dashes !== '--' || command.length === 0 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at)) {
  console.error('usage: node scripts/test-at.mjs [--spawned] YYYY-MM-DDTHH:MM -- command [args…]');
  process.exit(2);
}
const target = new Date(at); // no zone in the text: local time in TZ
if (Number.isNaN(target.getTime())) {
  console.error(`not a time: ${at}`);
  process.exit(2);
}
const preload = new URL('../tests/helpers/shifted-clock.mjs', import.meta.url).href;
const offset = target.getTime() - Date.now();
const env = spawnedOnly
  ? { ...process.env, CHARTROOM_RUN_CLOCK_OFFSET_MS: String(offset) }
  : { ...process.env, CHARTROOM_CLOCK_OFFSET_MS: String(offset), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() };
console.log(`clock set to ${target.toString()} (TZ=${process.env.TZ ?? 'system'})`);
const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env, shell: false });
process.exit(r.status ?? 1);
