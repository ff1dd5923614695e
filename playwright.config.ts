// End-to-end tests: Debian's Chromium driving the browser host (each test its own data dir),
// plus Electron specs that run only where an Electron binary exists.
import { defineConfig } from '@playwright/test';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: process.env.CHARTROOM_PLAYWRIGHT_REPORT ?? '.test-reports/playwright.json' }]],
  use: {
    // A typical clinic screen; specs of the patient's page set a phone's or a laptop's.
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: chromiumPath,
      // Video visits: two fake cameras (test patterns) and microphones (tones), granted without a prompt.
      args: [
        '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run',
        '--use-fake-device-for-media-stream=device-count=2', '--use-fake-ui-for-media-stream',
        // Screen share picks the (fake) screen without a picker.
        '--auto-select-desktop-capture-source=Entire screen',
      ],
    },
    trace: 'off',
  },
});
