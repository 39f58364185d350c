import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The chaos tier runs on its own (`npm run chaos`): it kills and restarts services.
    exclude: ['test/chaos/**', 'node_modules/**'],
    environment: 'node',
    // Real models on 2 cores: inference-heavy files get time, and at most two files run at once.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
