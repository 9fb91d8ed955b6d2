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
    // Test files run one after another in each worker's process instead of a process each: the modules
    // (Fastify, Kysely, the app) load once per worker, not once per file (the suite took 23.6 min on the
    // 2-core machine with a process per file, 18.2 without). So a test file leaves the process as it found
    // it: environment variables restored (unset, not "undefined"), mocked modules loaded afresh and dropped,
    // process-wide counters read as differences.
    isolate: false,
  },
});
