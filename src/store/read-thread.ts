/**
 * Heavy reads of an SQLite file on reader threads (read.worker.ts). better-sqlite3 is synchronous: a query
 * runs on the thread that calls it, so a scan of a large incident table on the request-serving thread held
 * every request, alert intake included, for seconds (500,000 incidents: the incident list 8 s, the map's
 * summary 2.4 s, a statistics release 9.6 s; test/integration/read-availability.test.ts). Here the compiled
 * queries run on a read-only connection of a thread of their own, at lower CPU priority, and only the rows
 * come back. At most MAX_THREADS run at once; later reads wait their turn in arrival order.
 *
 * PostgreSQL already runs a query in its own process while this one serves, and an in-memory SQLite database
 * belongs to its one connection: both run the queries on the store's connection, as before. So does a file
 * whose reader thread cannot run (it is never worse than before).
 */
import type { Compilable } from 'kysely';
import type { Store } from './db';
import { rebuildThreadError, type SerializedError } from './import-thread';
import { shapedJson, type ReadShape } from './read-shapes';
import { reusableThreads } from './reusable-threads';

export type ToReadThread = {
  file: string;
  queries: { sql: string; parameters: readonly unknown[] }[];
  /** Reply with the JSON (UTF-8) of the first query's rows in this shape instead of the rows. */
  shape?: ReadShape;
};
export type FromReadThread =
  | { t: 'done'; rows: unknown[][] }
  | { t: 'json'; json: Uint8Array; count: number; rows: unknown[][] }
  | { t: 'failed'; error: SerializedError };

const MAX_THREADS = 2;
const run = reusableThreads(new URL('./read-worker.boot.mjs', import.meta.url), MAX_THREADS);
let running = 0;
const waiting: (() => void)[] = [];

/** Reads, and which of them ran on a reader thread, since this process started (for tests and metrics). */
const reads = { readerThread: 0, storeConnection: 0, threadFailures: 0 };
export const readThreadCounts = () => ({ ...reads });

class ReaderThreadFailure extends Error {}

type ShapedRead = { json: Buffer; count: number; rows: unknown[][] };

async function onReaderThread(job: ToReadThread): Promise<unknown[][] | ShapedRead> {
  if (running >= MAX_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await run<unknown[][] | ShapedRead, FromReadThread>(
      job,
      (m, settle) =>
        m.t === 'done'
          ? settle.done(m.rows)
          : m.t === 'json'
            ? settle.done({
                json: Buffer.from(m.json.buffer, m.json.byteOffset, m.json.byteLength),
                count: m.count,
                rows: m.rows,
              })
            : settle.failed(rebuildThreadError(m.error)),
      (why) => new ReaderThreadFailure(`the reader thread stopped (${why})`),
    );
  } finally {
    running--;
    waiting.shift()?.();
  }
}

type RowsOf<Q> = { -readonly [K in keyof Q]: Q[K] extends Compilable<infer R> ? R[] : never };
type Compiled = { sql: string; parameters: readonly unknown[] };

/**
 * The SQLite file another thread of this process can open and read, or undefined: PostgreSQL (whose server
 * reads in its own processes) and in-memory SQLite (one connection's alone).
 */
export function sqliteFileForThreads(store: Store): string | undefined {
  return store.sqlite && store.location !== ':memory:' ? store.location : undefined;
}

/** The job on a reader thread, or undefined when this store cannot have one or its thread failed. */
async function tryReaderThread(store: Store, queries: Compiled[], shape?: ReadShape) {
  const file = sqliteFileForThreads(store);
  if (!file) return undefined;
  try {
    const result = await onReaderThread({
      file,
      queries: queries.map((c) => ({ sql: c.sql, parameters: c.parameters })),
      shape,
    });
    reads.readerThread++;
    return result;
  } catch (e) {
    if (!(e instanceof ReaderThreadFailure)) throw e;
    reads.threadFailures++;
    return undefined;
  }
}

async function onStoreConnection(store: Store, queries: Compilable<unknown>[]) {
  reads.storeConnection++;
  const out: unknown[][] = [];
  for (const q of queries) out.push((await store.db.executeQuery(q.compile())).rows);
  return out;
}

/**
 * The rows of each query, in order: on a reader thread for an SQLite file (in one snapshot), on the store's
 * own connection otherwise. For reads whose cost grows with the table (scans, aggregates, large pages); a
 * lookup by key is cheaper where it is.
 */
export async function readRows<const Q extends readonly Compilable<unknown>[]>(
  store: Store,
  ...queries: Q
): Promise<RowsOf<Q>> {
  const onThread = await tryReaderThread(
    store,
    queries.map((q) => q.compile()),
  );
  return (Array.isArray(onThread) ? onThread : await onStoreConnection(store, [...queries])) as RowsOf<Q>;
}

/**
 * The JSON (UTF-8 bytes) of `query`'s rows in `shape` (read-shapes.ts) and their number, with the rows of
 * `others`: built where readRows would read them, in one snapshot on a reader thread, and moved from there
 * rather than copied (a 50,000-point list is 16 MB).
 */
export async function readJson<const Q extends readonly Compilable<unknown>[]>(
  store: Store,
  shape: ReadShape,
  query: Compilable<unknown>,
  ...others: Q
): Promise<{ json: Buffer; count: number; others: RowsOf<Q> }> {
  const onThread = await tryReaderThread(
    store,
    [query, ...others].map((q) => q.compile()),
    shape,
  );
  if (onThread && !Array.isArray(onThread))
    return { json: onThread.json, count: onThread.count, others: onThread.rows as RowsOf<Q> };
  const [rows, ...rest] = await onStoreConnection(store, [query, ...others]);
  return { json: Buffer.from(await shapedJson(rows, shape, true)), count: rows.length, others: rest as RowsOf<Q> };
}
