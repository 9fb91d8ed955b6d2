// Split the ingest cost: parse+map only vs full import. Internal diagnostic for bench/ingest.ts.
import { resolveProfile } from '../src/ingest/profiles';
import { readIncidents } from '../src/ingest/read-incidents';
import { loadTaxonomy } from '../src/ingest/taxonomy';
const file = process.argv[2];
const t0 = performance.now();
const s = await readIncidents(file, resolveProfile('chicago'), loadTaxonomy('config/taxonomy.json'), () => {});
console.log(JSON.stringify({ parseAndMapRowsPerSecond: Math.round(s.rowsValid / ((performance.now() - t0) / 1000)) }));
