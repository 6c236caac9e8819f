import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,prisma,analysis,media,api,deploy,tests}/**/*.test.ts', 'web/src/lib/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'prisma/generated/**'],
    // Two cores: integration tests start real servers, so files run two at a time at most.
    maxWorkers: 2,
    testTimeout: 60_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    hookTimeout: 120_000,
  },
});
