// Where an SQLite import's time goes, phase by phase (internal diagnostic for bench/ingest.ts): runs the
// import thread's code on this thread, so `node --cpu-prof` sees all of it.
//   npx tsx bench/ingest-phases.ts FILE.csv [db file]
import { rmSync } from 'node:fs';
import { resolveProfile } from '../src/ingest/profiles';
import { loadTaxonomy } from '../src/ingest/taxonomy';
import { migrate, openStore } from '../src/store/db';
import { stagedSqliteImport } from '../src/store/import-sqlite';

const file = process.argv[2];
const dbFile = process.argv[3] ?? '/tmp/cw-phases.db';
for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
const store = openStore({ sqliteFile: dbFile });
await migrate(store);
await store.close();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let staged = 0;
let stageCpu = 0;
const cpuSeconds = (since = cpu0) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};
const r = await stagedSqliteImport(
  dbFile,
  file,
  resolveProfile('chicago'),
  loadTaxonomy('config/taxonomy.json'),
  { datasetId: 'phases', source: 'chicago', importedBy: null, skipInvalid: false },
  {},
  { onPublish: (rows) => void (rows === 0 && ((staged = performance.now()), (stageCpu = cpuSeconds()))) },
);
const t1 = performance.now();
console.log(
  JSON.stringify({
    rows: r.imported,
    stageSeconds: +((staged - t0) / 1000).toFixed(2),
    publishSeconds: +((t1 - staged) / 1000).toFixed(2),
    stageCpuSeconds: +stageCpu.toFixed(2),
    publishCpuSeconds: +(cpuSeconds() - stageCpu).toFixed(2),
    rowsPerSecond: Math.round(r.imported! / ((t1 - t0) / 1000)),
  }),
);
