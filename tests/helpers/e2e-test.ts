// Playwright's `test` for specs that run on the real clock: in `npm run test:late` the hosts
// and clouds the helpers spawn run on a moved clock (scripts/test-at.mjs --spawned), so each
// browser context is put on it too, or a page would ask the host for another "today".
import { type BrowserContext, test as base } from '@playwright/test';
import { runClock, setPageClock } from './test-clock';

/** Puts a browser context on this run's clock when the run moved it; otherwise leaves it alone. */
export async function followRunClock(context: BrowserContext): Promise<void> {
  const clock = runClock();
  if (clock) await setPageClock(context, clock);
}

export const test = base.extend({
  context: async ({ context }, use) => {
    await followRunClock(context);
    await use(context);
  },
});

export { expect } from '@playwright/test';
