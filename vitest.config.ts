import { defineConfig } from 'vitest/config';

// Unit tests are pure and fast; integration tests run once per database (SQLite and PostgreSQL);
// e2e tests drive Debian's Chromium through playwright-core against a real server.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits this long by default (Vitest's own default, 1 s, fails browser tests on a loaded CI machine).
    expect: { poll: { timeout: 20_000 } },
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
