// End-to-end tests drive the real dashboard (browser mode) with Debian's Chromium; each test
// starts its own station (e2e/fixtures.ts). Build first: `npm run build`.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: 'e2e',
  // Hang guards for a loaded 2-core machine, not speed checks (those are npm run bench's).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
})
