import type { TestProject } from 'vitest/node';
import { startCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * One PostgreSQL cluster for the whole run; each test file makes its own database in it. The compiled
 * command (dist/) is built first from the current sources, once: the CLI tests run it (test/support/cli.ts).
 */
export default async function setup(project: TestProject) {
  const { build, isFresh } = await import('../../scripts/build.mjs');
  if (!isFresh()) await build();
  if (process.env.CW_TEST_PG_URL) {
    project.provide('pgAdminUrl', process.env.CW_TEST_PG_URL);
    return;
  }
  const cluster = await startCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
