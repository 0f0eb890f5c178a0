import { defineConfig } from 'vitest/config';

// One test run for the whole workspace. Integration tests start real servers and databases, so test
// files run in separate processes and time limits are generous (timings on this machine are noisy).
export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.{ts,tsx}',
      'server/test/**/*.test.ts',
      'console/test/**/*.test.{ts,tsx}',
      'web/test/**/*.test.{ts,tsx}',
      'bench/test/**/*.test.ts',
    ],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['server/test/global-setup.ts'],
  },
});
