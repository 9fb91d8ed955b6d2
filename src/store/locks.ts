import { getSetting, setSetting } from './settings';
import type { Store } from './db';

/**
 * Work that must happen once across every server sharing one PostgreSQL database: first-start work
 * (migrations, the first admin, the demo data, claiming the log for its key) and the scheduled jobs
 * (monitors, retention, the expiry sweep). PostgreSQL session advisory locks on a connection of their own:
 * released when the work ends, or by the server if the process dies. An SQLite file has one server, so
 * the work simply runs.
 */

/** The lock ids (pg_advisory_lock takes a bigint); fixed so that every version of the server agrees. */
export const LOCKS = {
  firstStart: 0x43570001,
  monitors: 0x43570002,
  retention: 0x43570003,
  expiry: 0x43570004,
} as const;
export type LockName = keyof typeof LOCKS;

/** Run `fn` holding lock `name`, waiting for another server that holds it. */
export async function withLock<T>(store: Store, name: LockName, fn: () => Promise<T>): Promise<T> {
  if (!store.pg) return fn();
  const c = await store.pg.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [LOCKS[name]]);
    try {
      return await fn();
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCKS[name]]);
    }
  } finally {
    c.release();
  }
}

/**
 * A scheduled job, run by one server only: skipped (undefined) while another server runs it, and when
 * `everyMs` is given, also when any server started it less than `everyMs` ago (the time is kept in the
 * settings table as `job.<name>.startedAt`), so servers whose timers tick at different moments still run
 * it once per period between them.
 */
export async function runOnce<T>(
  store: Store,
  name: LockName,
  fn: () => Promise<T>,
  opts: { everyMs?: number; now?: Date } = {},
): Promise<T | undefined> {
  const now = opts.now ?? new Date();
  const due = async () => {
    if (opts.everyMs === undefined) return true;
    const last = Date.parse((await getSetting(store.db, `job.${name}.startedAt`)) ?? '');
    return !(now.getTime() - last < opts.everyMs);
  };
  const run = async () => {
    if (!(await due())) return undefined;
    await setSetting(store.db, `job.${name}.startedAt`, now.toISOString());
    return fn();
  };
  if (!store.pg) return run();
  const c = await store.pg.connect();
  try {
    const got = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCKS[name]])).rows[0].ok;
    if (!got) return undefined;
    try {
      return await run();
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCKS[name]]);
    }
  } finally {
    c.release();
  }
}
