import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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

/**
 * The Node flags `npm start` runs the server with (package.json): a 64 MiB young generation, so the
 * objects of a batch in flight are not copied by every scavenge (about 10% more log appends/s).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Re-run this bench under SERVER_NODE_FLAGS unless it already runs under them; returns only in that case. */
export function asServerRuns(): void {
  const has = (f: string) => process.execArgv.includes(f) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(f);
  if (SERVER_NODE_FLAGS.every(has)) return;
  const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/**
 * CPU time the hypervisor took from this VM ("steal", all CPUs, seconds) so far, from /proc/stat; undefined
 * off Linux. Printed beside timings: on a shared VM, a run with much steal is slower for reasons no code controls.
 */
export function stolenCpuSeconds(): number | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return Number(cpu[8]) / 100; // user nice system idle iowait irq softirq steal, in USER_HZ (100/s)
  } catch {
    return undefined;
  }
}
