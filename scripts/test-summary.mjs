// Prints one closing line for the whole test run ("N passed, N failed, N skipped"), adding up
// vitest's and Playwright's JSON reports, so CI reads one figure for everything `npm test` ran.
import { readFileSync } from 'node:fs';

const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const v = read('.test-reports/vitest.json');
const p = read('.test-reports/playwright.json');
const passed = v.numPassedTests + (p.stats.expected ?? 0);
const failed = v.numFailedTests + (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
const skipped = v.numPendingTests + v.numTodoTests + (p.stats.skipped ?? 0);
console.log(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed; playwright: ${p.stats.expected} passed, ${p.stats.unexpected} failed, ${p.stats.skipped} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
