/**
 * Forecast benchmark: fit + forecast time and peak memory of each model on the Portland 250-ft grid
 * (NIJ burglary calls, 5 years) and on 1M synthetic incidents. Prints one JSON object.
 *   npx tsx bench/forecast.ts [syntheticIncidents=1000000]
 */
import { readFileSync } from 'node:fs';
import { buildGrid, cellOf, type Polygon } from '../src/geo/square-grid';
import { selectHotspots } from '../src/forecast/hotspot-metrics';
import { CANDIDATES, describeModel, runModel, type GridEvent } from '../src/forecast/hotspot-models';
import { portlandNijProfile } from '../src/ingest/profiles';
import { readIncidents } from '../src/ingest/read-incidents';
import { loadTaxonomy } from '../src/ingest/taxonomy';

const synthetic = Number(process.argv[2] ?? 1_000_000);
const fc = JSON.parse(readFileSync('test/fixtures/forecast/portland_police_districts.epsg2913.geojson', 'utf8'));
const polys: Polygon[] = fc.features.flatMap((f: { geometry: { type: string; coordinates: Polygon | Polygon[] } }) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
let t = performance.now();
const grid = buildGrid(polys, 250);
const gridMs = performance.now() - t;
const real: GridEvent[] = [];
await readIncidents('test/fixtures/ingest/portland_crimes_bur_to_2017-02-28.csv', portlandNijProfile, loadTaxonomy('config/taxonomy.json'), (rows) => {
  for (const r of rows) real.push({ cell: cellOf(grid, r.x, r.y), t: Date.parse(r.occurred_at) });
});
const origin = Date.parse('2017-03-01T00:00:00Z');

// 1M synthetic incidents over the same grid and five years, clustered around random centres.
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const centres = Array.from({ length: 500 }, () => grid.ids.length * rnd() | 0);
const synth: GridEvent[] = Array.from({ length: synthetic }, () => {
  const k = centres[(rnd() * centres.length) | 0];
  const jitter = ((rnd() * 7) | 0) - 3;
  return { cell: Math.min(grid.ids.length - 1, Math.max(0, k + jitter)), t: origin - rnd() * 5 * 365 * 86_400_000 };
});

function measure(events: GridEvent[]) {
  return CANDIDATES.map((m) => {
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const risk = runModel(grid, events, origin, m);
    selectHotspots(grid, risk, 0.25 * 5280 ** 2, 0.75 * 5280 ** 2, 1);
    return { model: describeModel(m), ms: +(performance.now() - t0).toFixed(1), heapDeltaMiB: +((process.memoryUsage().heapUsed - before) / 2 ** 20).toFixed(1) };
  });
}

t = performance.now();
const portland = measure(real);
const large = measure(synth);
console.log(JSON.stringify({
  bench: 'forecast', grid: { cellFt: 250, cells: grid.ids.length, buildMs: +gridMs.toFixed(0), areaSqFt: grid.totalArea },
  portland: { incidents: real.length, models: portland }, synthetic: { incidents: synth.length, models: large },
  peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  missing: 'grid ETAS (EM) and continuous SEPP are not implemented yet',
}, null, 2));
