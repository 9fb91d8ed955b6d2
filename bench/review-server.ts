/**
 * The server under test for bench/review.ts, in its own process (so the load generator does not share
 * its event loop): a demo server with an active system. Prints one JSON line with what the driver
 * needs, then on a line "drain" on stdin makes the log durable and answers "drained"; "stop" exits.
 * With CW_BENCH_DATABASE=postgres it runs on a throwaway PostgreSQL cluster with fsync and synchronous
 * commit on (as a production server would), not the tests' fsync-off cluster.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { registerBundledSources } from '../src/privacy/sources';
import { activeSystem } from '../test/support/active-system';
import { startCluster } from '../test/support/postgres';
import { startDemoServer } from '../test/support/server';

const onPostgres = process.env.CW_BENCH_DATABASE === 'postgres';
// CW_BENCH_PG_STATS=1: on each drain, print the statements PostgreSQL spent most time on, and the log's batches, to stderr.
const pgStats = onPostgres && process.env.CW_BENCH_PG_STATS === '1';
const cluster = onPostgres
  ? await startCluster({ durable: true, settings: pgStats ? { shared_preload_libraries: 'pg_stat_statements' } : {} })
  : undefined;
let databaseUrl: string | undefined;
if (cluster) {
  const c = new pg.Client({ connectionString: cluster.adminUrl });
  await c.connect();
  await c.query('CREATE DATABASE bench');
  await c.end();
  databaseUrl = cluster.adminUrl.replace(/\/postgres$/, '/bench');
}
const s = await startDemoServer({ demo: false, databaseUrl });
if (pgStats) await s.store.pg!.query('CREATE EXTENSION pg_stat_statements');
// Time spent inside the server per request (from the request's arrival to the reply's end), reported on drain:
// compared with the client's latency it tells server work from the load generator's own scheduling.
const served: number[] = [];
// The serving thread's event-loop delay (1 ms resolution) over the same window: when it is near the
// requests' p99, the time goes to this thread being busy or descheduled, not to waiting on the database.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
s.app.server.on('request', (req, res) => {
  if (req.url?.startsWith('/api/imports')) return; // the import being waited for is not what is measured
  const t0 = performance.now();
  res.on('finish', () => served.push(performance.now() - t0));
});
await registerBundledSources(s.store, s.ledger); // bench/import-under-load.ts imports into a registered source
const { as, systemId, key } = await activeSystem(s, 'Bench system');
process.stdout.write(
  `${JSON.stringify({ url: s.url, systemId, key, dbFile: s.dbFile, databaseUrl, officer: as.officer, analyst: as.analyst })}\n`,
);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'drain') {
    await s.ledger.drain();
    const t = served.splice(0).sort((a, b) => a - b);
    const at = (q: number) => +(t[Math.min(t.length - 1, Math.floor(q * t.length))] ?? 0).toFixed(1);
    const ms = (ns: number) => +(ns / 1e6).toFixed(1);
    const eventLoopDelay = {
      p50ms: ms(loopDelay.percentile(50)),
      p99ms: ms(loopDelay.percentile(99)),
      maxMs: ms(loopDelay.max),
    };
    loopDelay.reset();
    process.stdout.write(
      `${JSON.stringify({ serverSide: { requests: t.length, p50ms: at(0.5), p99ms: at(0.99), maxMs: at(1), eventLoopDelay } })}\n`,
    );
    if (pgStats) {
      const top = await s.store.pg!.query(
        `SELECT round(total_exec_time) AS ms, calls, round((total_exec_time / calls)::numeric, 2) AS per_call, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
      );
      const log = await s.store.pg!.query('SELECT count(*) AS batches, max(size) AS entries FROM ledger_checkpoints');
      process.stderr.write(`${JSON.stringify({ log: log.rows[0], statements: top.rows }, null, 1)}\n`);
      await s.store.pg!.query('SELECT pg_stat_statements_reset()');
    }
    process.stdout.write('drained\n');
  } else if (line === 'stop') {
    await s.close();
    cluster?.stop();
    process.exit(0);
  }
}
