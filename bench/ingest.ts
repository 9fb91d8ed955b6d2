/**
 * Ingest benchmark: import rate for N synthetic rows shaped like the Chicago file, on SQLite and
 * PostgreSQL, and peak memory (RSS sampled during the run). Prints one JSON object.
 *   npx tsx bench/ingest.ts [rows=1000000]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile } from '../src/ingest/profiles';
import { loadTaxonomy } from '../src/ingest/taxonomy';
import { migrate, openStore, type Store } from '../src/store/db';
import { importIncidentFile } from '../src/store/incidents';
import { onThrowawayPostgres } from './support';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'cw-bench-'));
const TYPES = ['THEFT', 'BATTERY', 'CRIMINAL DAMAGE', 'ASSAULT', 'NARCOTICS', 'BURGLARY', 'ROBBERY', 'MOTOR VEHICLE THEFT'];

async function writeCsv(file: string, n: number) {
  const out = createWriteStream(file);
  out.write('"id","case_number","date","block","iucr","primary_type","description","location_description","arrest","domestic","beat","district","ward","community_area","fbi_code","x_coordinate","y_coordinate","year","updated_on","latitude","longitude","location"\n');
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i++) {
    const lat = 41.65 + rnd() * 0.35;
    const lon = -87.85 + rnd() * 0.3;
    const line = `${10_000_000 + i},"JA${i}","${1 + Math.floor(rnd() * 12)}/${1 + Math.floor(rnd() * 28)}/2018 ${Math.floor(rnd() * 24)}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}","024XX W SOME ST","0820","${TYPES[i % TYPES.length]}","$500 AND UNDER","STREET",FALSE,FALSE,832,8,15,66,"6",1161120,1858829,2018,"2/10/2019 15:50",${lat.toFixed(8)},${lon.toFixed(8)},"(${lat.toFixed(6)}, ${lon.toFixed(6)})"\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

async function run(store: Store, file: string) {
  await migrate(store);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const r = await importIncidentFile(store, file, resolveProfile('chicago'), loadTaxonomy('config/taxonomy.json'));
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  await store.close();
  return { rows: r.imported, seconds: +secs.toFixed(2), rowsPerSecond: Math.round(r.imported / secs), peakRssMiB: Math.round(peak / 2 ** 20) };
}

const file = join(dir, 'synthetic.csv');
await writeCsv(file, rows);
const sizeMiB = Math.round(statSync(file).size / 2 ** 20);
const sqlite = await run(openStore({ sqliteFile: join(dir, 'bench.db') }), file);
let postgres;
try {
  postgres = await onThrowawayPostgres((store) => run(store, file));
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.error(dir);
}

console.log(JSON.stringify({ bench: 'ingest', rows, fileMiB: sizeMiB, sqlite, postgres, note: 'PostgreSQL cluster runs with fsync=off (throwaway test cluster)' }, null, 2));
