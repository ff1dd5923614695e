// Unit and integration tests (engine, shared, electron glue, browser host). E2E lives in Playwright.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/bench/**', 'node_modules/**'],
    pool: 'forks',
    // One fork per core: Vitest's default left one of CI's two cores idle (12 min instead of 7).
    // Every test owns its data dir, database and ports, so files run side by side safely.
    maxWorkers: availableParallelism(),
    reporters: ['default', 'json'],
    outputFile: { json: '.test-reports/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
