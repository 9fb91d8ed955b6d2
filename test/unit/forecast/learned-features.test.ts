// The learned model reads its features only at the cells it needs (issue 18 item 5): a kernel feature
// is gathered at the training cells and its total Z comes from the source masses, instead of spreading
// a map over every cell. These tests compute the features from their definitions, incident by incident
// over every cell, and check the training rows and the risk against them.
import { describe, expect, it } from 'vitest';
import { DAY_MS, prepare, type ForecastIncident } from '../../../src/forecast/data';
import { fitModel } from '../../../src/forecast/models';
import { learnedTrainingRows } from '../../../src/forecast/poisson-learner';
import { buildGrid } from '../../../src/geo/grid';

// An L-shaped jurisdiction of 100-unit cells: kernels are cut by the edges and by the missing corner.
const grid = buildGrid(
  [
    [
      [
        [0, 0],
        [1400, 0],
        [1400, 500],
        [700, 500],
        [700, 1000],
        [0, 1000],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 100 },
);
const DAY0 = 16_000;

function incidents(n: number, seed: number): ForecastIncident[] {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const out: ForecastIncident[] = [];
  while (out.length < n) {
    const hot = rnd() < 0.4;
    const x = hot ? 300 + 80 * rnd() : 1399 * rnd();
    const y = hot ? 200 + 80 * rnd() : 999 * rnd();
    if (x >= 700 && y >= 500) continue;
    out.push({
      id: `e${out.length}`,
      type: rnd() < 0.3 ? 'vehicle' : 'burglary',
      origin: 'citizen',
      t: (DAY0 + Math.floor(rnd() * 1500)) * DAY_MS,
      timePrecision: 'day',
      x,
      y,
    });
  }
  return out;
}

const d = prepare(grid, incidents(900, 4));
const dist = (a: number, b: number) => Math.hypot(grid.cx[a] - grid.cx[b], grid.cy[a] - grid.cy[b]);

/** A feature map by its definition: Σ over incidents before t0 of time weight × space weight, at every cell. */
function mapByDefinition(
  t0: number,
  time: (age: number) => number,
  space: (r: number) => number,
  types?: Set<string>,
): Float64Array {
  const m = new Float64Array(grid.n);
  for (let i = 0; i < d.n && d.t[i] < t0; i++) {
    if (types && !types.has(d.types[i])) continue;
    const v = time(t0 - d.t[i]);
    if (!(v > 0)) continue;
    for (let k = 0; k < grid.n; k++) m[k] += v * space(dist(d.cell[i], k));
  }
  return m;
}
const sum = (m: Float64Array) => m.reduce((a, b) => a + b, 0);
const gauss = (h: number) => (r: number) => (r <= 3 * h + 1e-9 ? Math.exp(-(r * r) / (2 * h * h)) : 0);
const quartic = (h: number) => (r: number) => (r < h ? (1 - (r * r) / (h * h)) ** 2 : 0);
const decay = (hl: number) => (a: number) => Math.exp((-Math.LN2 / hl) * a);
const box = (days: number) => (a: number) => (a <= days ? 1 : 0);
const cell = (r: number) => (r === 0 ? 1 : 0);

describe('learned features read at the training cells equal the feature maps by definition', () => {
  const target = new Set(['burglary']);
  const defs: [string, (t0: number) => Float64Array][] = [
    ['all-history counts', (t0) => mapByDefinition(t0, () => 1, cell, target)],
    ['last-year counts', (t0) => mapByDefinition(t0, box(365), cell, target)],
    ['last-30-day counts', (t0) => mapByDefinition(t0, box(30), cell, target)],
    ['near-repeat (4 weeks, 2 cells)', (t0) => mapByDefinition(t0, box(28), quartic(250), target)],
    ['kde σ100 half-life 30d', (t0) => mapByDefinition(t0, decay(30), gauss(100), target)],
    ['kde σ200 half-life 730d', (t0) => mapByDefinition(t0, decay(730), gauss(200), target)],
    ['kde σ400 half-life 730d', (t0) => mapByDefinition(t0, decay(730), gauss(400), target)],
    [
      'other crime types (σ 2 cells, half-life 365d)',
      (t0) => mapByDefinition(t0, decay(365), gauss(200), new Set(['vehicle'])),
    ],
  ];

  it('training rows: every feature / Z at every cell with a count, for several origins and windows', () => {
    for (const [t0, W] of [
      [DAY0 + 800, 30],
      [DAY0 + 1200, 14],
      [DAY0 + 1400, 91],
    ]) {
      const rows = learnedTrainingRows(d, { model: 'learned', target: ['burglary'], rff: 4 }, t0, W);
      expect(rows.cells.length).toBeGreaterThanOrEqual(3);
      for (const [name, def] of defs) {
        const j = rows.names.indexOf(name);
        expect(j, name).toBeGreaterThanOrEqual(0);
        const m = def(t0);
        const z = sum(m);
        expect(z).toBeGreaterThan(0);
        expect(rows.present[j]).toBe(1);
        rows.cells.forEach((k, r) => {
          expect(rows.f[r][j]).toBeCloseTo(m[k] / z, 12);
        });
      }
      // the targets: burglaries in the window per cell
      rows.cells.forEach((k, r) => {
        let y = 0;
        for (let i = 0; i < d.n; i++)
          if (d.cell[i] === k && d.types[i] === 'burglary' && d.t[i] >= t0 && d.t[i] < t0 + W) y++;
        expect(rows.y[r]).toBe(y);
      });
    }
  });

  it('the risk map is Σ β_j × map_j / Z_j over the named features (β from the fit)', () => {
    const asOf = (DAY0 + 1500) * DAY_MS;
    const f = fitModel(d, asOf, { model: 'learned', target: ['burglary'], rff: 4 });
    const risk = f.risk(30);
    const T = asOf / DAY_MS;
    const expected = new Float64Array(grid.n);
    let checked = 0;
    for (const [name, def] of defs) {
      const beta = f.diagnostics[`β ${name}`];
      expect(beta, name).toBeGreaterThanOrEqual(0);
      const m = def(T);
      const z = sum(m);
      for (let k = 0; k < grid.n; k++) expected[k] += (beta * m[k]) / z;
      checked++;
    }
    expect(checked).toBe(defs.length);
    // the features not defined above (other kernels, season, position) add the rest: check through the
    // explanation, which names them, that the defined part is what the fit used
    for (let k = 0; k < grid.n; k += 3) {
      const named = new Map(f.explain(k, 30).named!.map((x) => [x.name, x.value]));
      let defined = 0;
      for (const [name] of defs) defined += named.get(name) ?? 0;
      expect(defined).toBeCloseTo(expected[k], 10);
      expect([...named.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(risk[k], 10);
    }
  });
});
