import { defineConfig } from 'vitest/config';

/** The chaos tier (`npm run chaos`): faults injected into real Redis and workers, bounded in time, one file at a time. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
