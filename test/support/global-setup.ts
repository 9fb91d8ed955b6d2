import type { TestProject } from 'vitest/node';
import { startCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** One PostgreSQL cluster for the whole run; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  if (process.env.CW_TEST_PG_URL) {
    project.provide('pgAdminUrl', process.env.CW_TEST_PG_URL);
    return;
  }
  const cluster = await startCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
