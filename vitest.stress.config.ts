import { defineConfig } from 'vitest/config'

// The long kill/soak runs (`npm run test:stress`), kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['src/**/*.stress.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
