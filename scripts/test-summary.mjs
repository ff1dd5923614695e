// Prints one closing line for the whole test run ("N passed, N failed, N skipped"), adding up
// vitest's and Playwright's JSON reports (the normal run and the one at 23:55 before a month's
// end and a daylight-saving change, `npm run test:late`), so CI reads one figure for everything.
import { existsSync, readFileSync } from 'node:fs';

const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const runs = [
  ['', '.test-reports/vitest.json', '.test-reports/playwright.json'],
  ['at 23:55 America/New_York: ', '.test-reports/vitest-late.json', '.test-reports/playwright-late.json'],
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [label, vFile, pFile] of runs) {
  if (!existsSync(vFile) || !existsSync(pFile)) {
    console.log(`${label}missing report (${existsSync(vFile) ? pFile : vFile})`);
    failed += 1;
    continue;
  }
  const v = read(vFile);
  const p = read(pFile);
  passed += v.numPassedTests + (p.stats.expected ?? 0);
  failed += v.numFailedTests + (p.stats.unexpected ?? 0) + (p.stats.flaky ?? 0);
  skipped += v.numPendingTests + v.numTodoTests + (p.stats.skipped ?? 0);
  console.log(`${label}vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed; playwright: ${p.stats.expected} passed, ${p.stats.unexpected} failed, ${p.stats.skipped} skipped`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
