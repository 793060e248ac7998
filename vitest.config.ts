import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Playwright's e2e/*.spec.ts must not be collected by vitest.
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
