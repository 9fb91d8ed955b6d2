import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { DAY_MS, prepare, type ForecastIncident } from '../../../src/forecast/data';
import { explainCell } from '../../../src/forecast/explanations';
import { render, type MessageCode } from '../../../src/domain/messages';
import { fitNonNegativePoisson, trainingOrigins } from '../../../src/forecast/poisson-learner';
import { fitModel, validateParams, type ModelParams } from '../../../src/forecast/models';
import { buildGrid } from '../../../src/geo/grid';

// A 12 × 8 grid of 100-unit cells; incidents spread over ~6 years of days.
const grid = buildGrid(
  [
    [
      [
        [0, 0],
        [1200, 0],
        [1200, 800],
        [0, 800],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 100 },
);
const DAY0 = 16_000; // 2013-10-22
const inc = (id: string, x: number, y: number, day: number, type = 'burglary'): ForecastIncident => ({
  id,
  type,
  origin: 'citizen',
  t: (DAY0 + day) * DAY_MS,
  timePrecision: 'day',
  x,
  y,
});

function synthetic(n: number, seed: number): ForecastIncident[] {
  let s = seed;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  // two stable hotspots plus uniform noise
  return Array.from({ length: n }, (_, i) => {
    const r = rnd();
    const [x, y] =
      r < 0.35
        ? [150 + 60 * rnd(), 250 + 60 * rnd()]
        : r < 0.6
          ? [850 + 80 * rnd(), 550 + 80 * rnd()]
          : [1199 * rnd(), 799 * rnd()];
    return inc(`e${i}`, x, y, Math.floor(rnd() * 2000), rnd() < 0.3 ? 'vehicle' : 'burglary');
  });
}

describe('learned Poisson model and ensemble', () => {
  it('the multiplicative fit recovers known non-negative weights from exact expectations (hand-built rows)', () => {
    // three features over four rows; y = λ under β = (2, 0, 5) exactly, so the Poisson MLE is β itself
    const f = [
      [0.1, 0.4, 0.2],
      [0.3, 0.1, 0.1],
      [0.4, 0.2, 0.3],
      [0.2, 0.3, 0.4],
    ].map((r) => Float64Array.from(r));
    const beta = [2, 0, 5];
    const y = Float64Array.from(f.map((r) => r.reduce((s, v, j) => s + v * beta[j], 0)));
    const fit = fitNonNegativePoisson([{ y, f, present: new Uint8Array([1, 1, 1]) }], 3, 0, 20_000);
    expect(fit.beta[0]).toBeCloseTo(2, 2);
    expect(fit.beta[1]).toBeCloseTo(0, 2);
    expect(fit.beta[2]).toBeCloseTo(5, 2);
    // the L2 penalty shrinks the total
    const shrunk = fitNonNegativePoisson([{ y, f, present: new Uint8Array([1, 1, 1]) }], 3, 5, 20_000);
    expect(shrunk.beta.reduce((a, b) => a + b, 0)).toBeLessThan(7 - 0.1);
  });

  it('training origins end by the as-of date: recent ones a window apart and the same date in earlier years', () => {
    const o = trainingOrigins(3000, 30, 0, 3, 2);
    // weekly lattice: last = ⌊(3000 − 30)/7⌋·7 = 2968, step 35; years back ⌊(3000 − 365.25y)/7⌋·7
    expect(o).toEqual([2268, 2632, 2898, 2933, 2968]);
    for (const t of o) expect(t + 30).toBeLessThanOrEqual(3000);
    // an origin needs a year of history before it
    expect(trainingOrigins(500, 30, 0, 6, 4)).toEqual([399, 434, 469]);
    expect(trainingOrigins(300, 30, 0, 6, 4)).toEqual([]);
  });

  it('every cell: background + Σ incident contributions = risk = Σ named feature contributions (random data)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom('learned', 'ensemble'),
        fc.constantFrom(7, 30, 91),
        (seed, model, W) => {
          const d = prepare(grid, synthetic(600, seed));
          const params = {
            model,
            rff: 6,
            recentOrigins: 3,
            seasons: 2,
            iterations: 60,
            ...(model === 'learned' ? { target: ['burglary'] } : {}),
          } as ModelParams;
          const f = fitModel(d, (DAY0 + 2000) * DAY_MS, params);
          const r = f.risk(W);
          for (let k = 0; k < grid.n; k += 7) {
            const e = f.explain(k, W);
            const byIncident = e.background + e.contributions.reduce((s, c) => s + c.value, 0);
            expect(byIncident).toBeCloseTo(r[k], 9);
            expect(e.named!.reduce((s, c) => s + c.value, 0)).toBeCloseTo(r[k], 9);
            for (const c of e.named!) expect(c.value).toBeGreaterThan(0);
          }
          // the explanation page's sentence and numbers come from the same decomposition
          const top = r.indexOf(Math.max(...r));
          const ex = explainCell(d, f, top, W, r[top], { dataPolicy: 'citizen-reported records only' });
          expect(
            ex.background + ex.incidents.reduce((s, c) => s + c.contribution, 0) + ex.others.contribution,
          ).toBeCloseTo(r[top], 9);
          // the sentence is the message its code names, so the web app can show it in Korean
          for (const k of [top, r.indexOf(Math.min(...r))]) {
            const e = explainCell(d, f, k, W, r[k], { dataPolicy: 'citizen-reported records only' });
            const m = { code: e.messageKey as MessageCode, params: e.params };
            expect(render(m, 'en')).toBe(e.sentence);
            expect(render(m, 'ko')).not.toMatch(/\{\{|Flagged/);
          }
        },
      ),
      { numRuns: 6, seed: 5 },
    );
  });

  it('learns the stable hotspots: its top cells hold the two generating hotspots', () => {
    const d = prepare(grid, synthetic(1500, 7));
    const r = fitModel(d, (DAY0 + 2000) * DAY_MS, { model: 'learned', rff: 8 }).risk(30);
    const order = Array.from(r.keys())
      .sort((a, b) => r[b] - r[a])
      .slice(0, 2)
      .map((k) => [Math.floor(grid.cx[k] / 100), Math.floor(grid.cy[k] / 100)]);
    expect(order).toEqual(
      expect.arrayContaining([
        [1, 2],
        [8, 5],
      ]),
    );
  });

  it('uses only incidents before the as-of date (later ones change nothing)', () => {
    const ev = synthetic(800, 3);
    const asOf = (DAY0 + 1500) * DAY_MS;
    const a = fitModel(
      prepare(
        grid,
        ev.filter((e) => e.t < asOf),
      ),
      asOf,
      { model: 'learned', rff: 4 },
    ).risk(30);
    const b = fitModel(prepare(grid, ev), asOf, { model: 'learned', rff: 4 }).risk(30);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('refuses bad parameters, naming the field', () => {
    const bad: [ModelParams, RegExp][] = [
      [{ model: 'learned', rff: -1 }, /rff/],
      [{ model: 'learned', ridge: -2 }, /ridge/],
      [{ model: 'ensemble', recentOrigins: 0, seasons: 0 }, /origins/],
      [{ model: 'learned', target: [] }, /target/],
    ];
    for (const [p, re] of bad) {
      expect(() => validateParams(p)).toThrow(InputError);
      expect(() => validateParams(p)).toThrow(re);
    }
  });
});
