/** Finer model sweep on exact 111-cell grids with origin shifts (exploration for issue 18). */
import { windowDays, windowEnd } from '../src/forecast/backtest';
import { observedCounts, prepare } from '../src/forecast/data';
import { scoreHotspots, selectHotspots } from '../src/forecast/evaluation';
import { exactGeometries } from '../src/forecast/geometry';
import { fitModel, type ModelParams } from '../src/forecast/models';
import { buildGrid } from '../src/geo';
import { loadPortland, portlandJurisdiction } from '../test/unit/forecast/portland-data';
import { WINNERS } from './nij-winners';

const crime = (process.argv[2] ?? 'bur') as 'bur' | 'veh';
const years = [2014, 2015, 2016];
const WINDOWS = ['7d', '14d', '1mo', '2mo', '3mo'] as const;
const SQMI = 5280 * 5280;
const J = portlandJurisdiction();
const incidents = loadPortland(crime);
const n = Number(process.argv[3] ?? 111);
const c = exactGeometries(0.25 * SQMI, 0.3048, { counts: [n], aspects: [1] })[0];
const shifts: [number, number][] = [
  [0, 0],
  [0.5, 0],
  [0, 0.5],
  [0.5, 0.5],
];
const models: [string, ModelParams][] = [
  ['kde 125 730', { model: 'kde', kernel: 'gaussian', bandwidth: 125, halfLifeDays: 730 }],
  ['kde 125 3000', { model: 'kde', kernel: 'gaussian', bandwidth: 125, halfLifeDays: 3000 }],
  ['kde 100 1500', { model: 'kde', kernel: 'gaussian', bandwidth: 100, halfLifeDays: 1500 }],
  ['kde 175 1500', { model: 'kde', kernel: 'gaussian', bandwidth: 175, halfLifeDays: 1500 }],
  ['kde 125 365', { model: 'kde', kernel: 'gaussian', bandwidth: 125, halfLifeDays: 365 }],
  ['kde 60 1500', { model: 'kde', kernel: 'gaussian', bandwidth: 60, halfLifeDays: 1500 }],
  ['quartic 250 1500', { model: 'kde', kernel: 'quartic', bandwidth: 250, halfLifeDays: 1500 }],
  ['quartic 400 1500', { model: 'kde', kernel: 'quartic', bandwidth: 400, halfLifeDays: 1500 }],
  ['counts', { model: 'counts' }],
  ['learned', { model: 'learned' }],
  ['learned r0', { model: 'learned', rff: 0 }],
  ['learned s8', { model: 'learned', seasons: 8, recentOrigins: 12 }],
];
for (const [sx, sy] of shifts) {
  const grid = buildGrid(J, { ...c, origin: [sx * c.cellSize, sy * c.cellHeight] });
  const data = prepare(grid, incidents);
  const area = { minArea: 0.25 * SQMI, maxArea: 0.75 * SQMI, exact: true };
  for (const [name, p] of models) {
    const pais: number[] = [];
    let at = 0;
    for (const w of WINDOWS)
      for (const year of years) {
        const asOf = Date.UTC(year, 2, 1);
        const risk = fitModel(data, asOf, p).risk(windowDays(asOf, w));
        const s = scoreHotspots(
          grid,
          selectHotspots(grid, risk, area, 1),
          observedCounts(data, asOf, windowEnd(asOf, w)),
        );
        pais.push(s.pai);
        if (s.pai >= WINNERS[crime][w]) at++;
      }
    const mean = pais.reduce((a, b) => a + b, 0) / pais.length;
    console.log(
      `${c.label} shift ${sx},${sy} ${name.padEnd(16)} at/above ${String(at).padStart(2)}/15 mean ${mean.toFixed(1).padStart(5)} | ${pais.map((v) => v.toFixed(0).padStart(3)).join(' ')}`,
    );
  }
}
