/**
 * Ingest benchmark: import rate for N synthetic rows shaped like the Chicago file, on SQLite and
 * PostgreSQL, and peak memory (RSS sampled during the run). Prints one JSON object.
 *   npx tsx bench/ingest.ts [rows=1000000]     (CW_BENCH_ONLY=sqlite or postgres: one database only)
 * On PostgreSQL the import thread COPYs each parsed batch into a temporary table (import-postgres.ts).
 * cpuSeconds: this process's CPU (both threads); loadAverage: the machine's 1-minute load at the end,
 * so that runs on a shared VM can be compared. CW_BENCH_TIME_ORDERED=1: rows in date order (as a portal
 * export sorted by date), instead of uniformly random dates in file order.
 *
 * Issue 20 item 6, measured 2026-12-03 on the shared 2-core VM (CPU seconds are the comparable figure;
 * wall time follows the load, which other engineers' runs set):
 *   before  1M rows SQLite: 164.7 s, 6,071 rows/s, 74.7 CPU s, peak RSS 358 MiB, load ~5 (the lead's run)
 *   before  200k SQLite:     69.0 s, 2,899 rows/s, 19.8 CPU s, peak RSS 348 MiB, load 6
 *   after   200k SQLite:     43.9 s, 4,558 rows/s, 15.1 CPU s, peak RSS 365 MiB, load 10.6
 *   after   1M rows SQLite: 362.2 s, 2,761 rows/s, 76.5 CPU s, peak RSS 333 MiB, load 15–17
 *   after   1M PostgreSQL:  107.1 s, 9,342 rows/s, 24.1 CPU s (this process; the server's not counted), 322 MiB, load 14
 * Peak RSS is flat in the file size (348 MiB at 200k, 333 at 1M); test/unit/ingest/read-bounded.test.ts
 * checks the structure behind it. The 100k rows/s target is NOT met. Where a row's time goes on the import
 * thread (node --cpu-prof, 200k rows, load 16; profile samples include time blocked in SQLite's writes):
 *   publish INSERT…SELECT + COMMIT 59 µs · staging insert 10 µs · map/validate 11 µs (local time 7 µs)
 *   · CSV parse (papaparse) 9 µs · read loop 4 µs · GC 6 µs.
 * The publish dominates, and it is the index layout, not the code: with random dates in file order every
 * 256-row chunk dirties ~256 leaf pages of incidents_time (plus the table's and the other indexes'), and
 * each commit writes them all to the WAL. Measured on 100k staged rows, 256-row chunks: 7.8 s wall /
 * 2.5 CPU s with random dates, 1.0 s / 0.55 CPU s with dates in file order (ids follow file order in
 * both): 7×. Larger chunks amortise (1,000 rows: 4.0 s / 1.5 CPU s) but hold the lock longer, and the log
 * waits up to one chunk (write-turns.ts), so PUBLISH_TARGET_MS stays 5 ms. With two indexes whose orders
 * are unrelated (ids vs dates) no publish order is local for both; a real export sorted by date is the
 * friendly case (CW_BENCH_TIME_ORDERED=1): 200k rows 9.9 CPU s instead of 15.1 (load 16).
 * 2026-12-04 (h-scale, issue 20 item 6 again; load 3-12 from other engineers' runs, so CPU seconds compare):
 *   1M SQLite before: 131.1 s, 7,626 rows/s, 78.8 CPU s, peak RSS 364 MiB (load 3.3)
 *   1M SQLite after checkpoints left the chunks: 283.8 s, 3,524 rows/s, 71.9 CPU s, 370 MiB (load 9.9)
 *   1M PostgreSQL (COPY, fsync off), same run: 124.8 s, 8,010 rows/s, 21.8 CPU s, 344 MiB (load 11.7)
 *   bench/ingest-phases.ts, 200k random-date rows, 3 runs each (load 8-9): publish median 25.4 -> 17.3 s wall,
 *   publish CPU ~7.0 -> 4.7-6.2 s; staging (parse, validate, temp insert) 4.3-4.7 CPU s either way.
 * Why 100k rows/s is not reached on SQLite (still true): the publish is ~30 CPU µs a row with random dates
 * because each row dirties its own time-index page and each 5 ms chunk writes those pages to the WAL; the
 * chunk cannot grow (the log waits for one chunk) and two unrelated index orders cannot both be local.
 * Staging is ~22 CPU µs a row, parsing ~2/3 of it; a parse thread beside the staging thread would save at
 * most the ~9 µs of temp inserts. Publish wall time is ~3x its CPU time at load 8-12: the thread waits for a core.
 * Publish pauses (import-sqlite.ts publishPacer): a 5 ms gap per 20 ms of lock hold instead of a pause as
 * long as every chunk. `npx tsx bench/import-under-load.ts 200 10` (25,000-row imports), intake p99
 * client/server side: before (load 12–16) 567/361 ms without an import, 710/481 ms during; after (load
 * 15–16) 1,142/906 ms without, 617/557 ms during. At this load the event loop alone stalls 190–400 ms
 * (p99) with no import at all, so these say nothing about the code either way; rerun on a quiet machine.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile } from '../src/ingest/profiles';
import { loadTaxonomy } from '../src/ingest/taxonomy';
import { migrate, openStore, type Store } from '../src/store/db';
import { importIncidentFile } from '../src/store/incidents';
import { onThrowawayPostgres, writeSyntheticChicagoCsv } from './support';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-'));
async function run(store: Store, file: string) {
  await migrate(store);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await importIncidentFile(store, file, resolveProfile('chicago'), loadTaxonomy('config/taxonomy.json'));
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  await store.close();
  return {
    rows: r.imported,
    seconds: +secs.toFixed(2),
    rowsPerSecond: Math.round(r.imported / secs),
    peakRssMiB: Math.round(peak / 2 ** 20),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    loadAverage: +loadavg()[0].toFixed(1),
  };
}

const file = join(dir, 'synthetic.csv');
const timeOrdered = process.env.CW_BENCH_TIME_ORDERED === '1';
await writeSyntheticChicagoCsv(file, rows, undefined, timeOrdered);
const sizeMiB = Math.round(statSync(file).size / 2 ** 20);
const only = process.env.CW_BENCH_ONLY;
const sqlite = only === 'postgres' ? undefined : await run(openStore({ sqliteFile: join(dir, 'bench.db') }), file);
let postgres;
try {
  if (only !== 'sqlite') postgres = await onThrowawayPostgres((store) => run(store, file));
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  else console.error(dir);
}

console.log(
  JSON.stringify(
    {
      bench: 'ingest',
      rows,
      timeOrdered,
      fileMiB: sizeMiB,
      sqlite,
      postgres,
      note: 'PostgreSQL cluster runs with fsync=off (throwaway test cluster)',
    },
    null,
    2,
  ),
);
