/**
 * Fixed (geometry, model) pairs on the NIJ Portland March–May seasons, no selection: what each could
 * have scored. An exploration aid for `auto`'s candidate list (issue 18). Prints one line per pair.
 *
 *   npx tsx bench/nij-sweep.ts bur [years=2014,2015,2016]
 */
import { windowDays, windowEnd } from '../src/forecast/backtest';
import { observedCounts, prepare } from '../src/forecast/data';
import { scoreHotspots, selectHotspots } from '../src/forecast/evaluation';
import { exactGeometries } from '../src/forecast/geometry';
import { fitModel, type ModelParams } from '../src/forecast/models';
import { buildGrid, type GridSpec } from '../src/geo';
import { loadPortland, portlandJurisdiction } from '../test/unit/forecast/portland-data';
import { WINNERS } from './nij-winners';

const crime = (process.argv[2] ?? 'bur') as 'bur' | 'veh';
const years = (process.argv[3] ?? '2014,2015,2016').split(',').map(Number);
const only = process.argv[4];
const WINDOWS = ['7d', '14d', '1mo', '2mo', '3mo'] as const;
const SQMI = 5280 * 5280;
const J = portlandJurisdiction();
const incidents = loadPortland(crime);
const geoms: (GridSpec & { label: string; exact: boolean })[] = [
  { cellSize: 250, label: '250', exact: false },
  ...exactGeometries(0.25 * SQMI, 0.3048, { counts: [20, 36, 64, 111], aspects: [1, 2, 0.5] }).map((c) => ({
    ...c,
    exact: true,
  })),
];
const models = (s: number): [string, ModelParams][] => [
  ['kde s 365', { model: 'kde', kernel: 'gaussian', bandwidth: s, halfLifeDays: 365 }],
  ['kde s 1000', { model: 'kde', kernel: 'gaussian', bandwidth: s, halfLifeDays: 1000 }],
  ['kde s/2 730', { model: 'kde', kernel: 'gaussian', bandwidth: 0.5 * s, halfLifeDays: 730 }],
  ['kde 2s 1000', { model: 'kde', kernel: 'gaussian', bandwidth: 2 * s, halfLifeDays: 1000 }],
  ['kde 300ft 3000', { model: 'kde', kernel: 'gaussian', bandwidth: 300, halfLifeDays: 3000 }],
  ['kde 500ft 3000', { model: 'kde', kernel: 'gaussian', bandwidth: 500, halfLifeDays: 3000 }],
  ['kde 500ft 180', { model: 'kde', kernel: 'gaussian', bandwidth: 500, halfLifeDays: 180 }],
  ['counts', { model: 'counts' }],
  ['counts 365', { model: 'counts', days: 365 }],
  ['prosp', { model: 'prospective', bandwidth: 2 * s, weeks: 8 }],
  ['ensemble', { model: 'ensemble' }],
  ['learned', { model: 'learned' }],
];
for (const gs of geoms) {
  const grid = buildGrid(J, gs);
  const data = prepare(grid, incidents);
  const area = { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI, exact: gs.exact };
  for (const [name, p] of models(gs.cellSize)) {
    if (only && !name.startsWith(only)) continue;
    const pais: number[] = [];
    let at = 0;
    for (const w of WINDOWS)
      for (const year of years) {
        const asOf = Date.UTC(year, 2, 1);
        const risk = fitModel(data, asOf, p).risk(windowDays(asOf, w));
        const hot = selectHotspots(grid, risk, area, 1);
        const s = scoreHotspots(grid, hot, observedCounts(data, asOf, windowEnd(asOf, w)));
        pais.push(s.pai);
        if (s.pai >= WINNERS[crime][w]) at++;
      }
    const mean = pais.reduce((a, b) => a + b, 0) / pais.length;
    console.log(
      `${gs.label.padEnd(34)} ${name.padEnd(16)} at/above ${String(at).padStart(2)}/15 mean ${mean.toFixed(1).padStart(5)} | ${pais.map((v) => v.toFixed(0).padStart(3)).join(' ')}`,
    );
  }
}
