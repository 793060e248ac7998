import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Playwright's e2e/*.spec.ts must not be collected by vitest.
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Hang guards, not speed checks: generous, for a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
