// Unit and integration tests (engine, shared, electron glue, browser host). E2E lives in Playwright.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/bench/**', 'node_modules/**'],
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.test-reports/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
