/**
 * Ingest benchmark: import rate for N synthetic rows shaped like the Chicago file, on SQLite and
 * PostgreSQL, and peak memory (RSS sampled during the run). Prints one JSON object.
 *   npx tsx bench/ingest.ts [rows=1000000]     (CW_BENCH_ONLY=sqlite or postgres: one database only)
 * On PostgreSQL the import thread COPYs each parsed batch into a temporary table (import-postgres.ts).
 * cpuSeconds: this process's CPU (both threads); loadAverage: the machine's 1-minute load at the end,
 * so that runs on a shared VM can be compared.
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
  return { rows: r.imported, seconds: +secs.toFixed(2), rowsPerSecond: Math.round(r.imported / secs), peakRssMiB: Math.round(peak / 2 ** 20), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1), loadAverage: +loadavg()[0].toFixed(1) };
}

const file = join(dir, 'synthetic.csv');
await writeSyntheticChicagoCsv(file, rows);
const sizeMiB = Math.round(statSync(file).size / 2 ** 20);
const only = process.env.CW_BENCH_ONLY;
const sqlite = only === 'postgres' ? undefined : await run(openStore({ sqliteFile: join(dir, 'bench.db') }), file);
let postgres;
try {
  if (only !== 'sqlite') postgres = await onThrowawayPostgres((store) => run(store, file));
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.error(dir);
}

console.log(JSON.stringify({ bench: 'ingest', rows, fileMiB: sizeMiB, sqlite, postgres, note: 'PostgreSQL cluster runs with fsync=off (throwaway test cluster)' }, null, 2));
