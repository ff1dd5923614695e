// A Node preload (`--import`) that moves this process's wall clock by CHARTROOM_CLOCK_OFFSET_MS,
// so a whole test run (vitest workers, the browser host, the cloud, the CLI) reads one shifted
// "now" that keeps flowing: `npm run test:late` uses it to run the suites at 23:55 the evening
// before a month ends and daylight saving ends. Timers and performance.now() are untouched.
const offset = Number(process.env.CHARTROOM_CLOCK_OFFSET_MS ?? '0');

if (Number.isFinite(offset) && offset !== 0 && !globalThis.__chartroomShiftedClock) {
  const RealDate = globalThis.Date;
  const now = () => RealDate.now() + offset;
  const Shifted = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      return prop === 'now' ? now : Reflect.get(target, prop, receiver);
    },
  });
  globalThis.Date = Shifted;
  globalThis.__chartroomShiftedClock = offset;
}
