import pg from 'pg';
import { openStore, type Store } from '../src/store/db';
import { startCluster } from '../test/support/postgres';

/** Run `fn` on a fresh database in a throwaway PostgreSQL cluster (fsync off), then stop the cluster. */
export async function onThrowawayPostgres<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const cluster = await startCluster();
  try {
    const c = new pg.Client({ connectionString: cluster.adminUrl });
    await c.connect();
    await c.query('CREATE DATABASE bench');
    await c.end();
    return await fn(openStore({ databaseUrl: cluster.adminUrl.replace(/\/postgres$/, '/bench') }));
  } finally {
    cluster.stop();
  }
}
