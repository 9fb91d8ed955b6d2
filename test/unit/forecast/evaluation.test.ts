import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autoSelect,
  backtest,
  backtestSteps,
  compareModels,
  windowDays,
  windowEnd,
  windowLastDate,
} from '../../../src/forecast/backtest';
import { DAY_MS, prepare, type ForecastIncident } from '../../../src/forecast/data';
import {
  bestCapture,
  bootstrapMean,
  hitRateCurve,
  poissonLogScore,
  scoreHotspots,
  selectHotspots,
} from '../../../src/forecast/evaluation';
import { buildGrid } from '../../../src/geo/grid';

const square2 = buildGrid(
  [
    [
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 1 },
); // 4 unit cells, A = 4
// 3 lattice cells of areas 1, ½, ½ (the polygon trims the last two)
const trimmed = buildGrid(
  [
    [
      [
        [0, 0],
        [3, 0],
        [3, 0.5],
        [1, 0.5],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 1 },
);
const F = (a: number[]) => Float64Array.from(a);

describe('hotspot selection, PAI and PEI on hand-computed grids', () => {
  it('2×2 grid: PAI = (n/N)/(a/A), PEI = n/n*', () => {
    const hot = selectHotspots(square2, F([4, 3, 2, 1]), { minArea: 2, maxArea: 2 }, 1);
    expect(hot.cells).toEqual([0, 1]);
    const s = scoreHotspots(square2, hot, F([1, 0, 3, 0]));
    expect(s).toMatchObject({ n: 1, N: 4, a: 2, A: 4, nStar: 4 });
    expect(s.pai).toBeCloseTo(0.25 / 0.5, 12);
    expect(s.pei).toBeCloseTo(1 / 4, 12);
  });

  it('the area range: a cell that would overshoot the maximum is skipped, selection stops at the minimum', () => {
    expect(trimmed.areas).toEqual(F([1, 0.5, 0.5]));
    const hot = selectHotspots(trimmed, F([3, 2, 1]), { minArea: 0.9, maxArea: 1 }, 1);
    expect(hot.cells).toEqual([0]);
    const hot2 = selectHotspots(trimmed, F([1, 3, 2]), { minArea: 1, maxArea: 1.2 }, 1);
    expect(hot2.cells).toEqual([1, 2]); // 0.5 + 0.5 reaches the minimum; cell 0 is never needed
    const hot3 = selectHotspots(trimmed, F([3, 2, 1]), { minArea: 1.5, maxArea: 1.5 }, 1);
    expect(hot3.cells).toEqual([0, 1]);
  });

  it('n* is exact when trimmed cells make "top cells by count" wrong', () => {
    // area ≤ 1: the top cell by count (3, area 1) loses to the two half cells (2 + 2)
    expect(bestCapture(trimmed, F([3, 2, 2]), 1)).toBe(4);
    expect(bestCapture(trimmed, F([3, 2, 2]), 0.5)).toBe(2);
    expect(bestCapture(trimmed, F([3, 2, 2]), 2)).toBe(7);
    const s = scoreHotspots(
      trimmed,
      selectHotspots(trimmed, F([9, 0, 0]), { minArea: 1, maxArea: 1 }, 1),
      F([3, 2, 2]),
    );
    expect(s.pei).toBeCloseTo(3 / 4, 12);
  });

  it('n* by knapsack matches brute force over all subsets, and PEI ≤ 1', () => {
    const g = buildGrid(
      [
        [
          [
            [0, 0],
            [4, 0],
            [4, 1.5],
            [2, 1.5],
            [2, 2],
            [0, 2],
            [0, 0],
          ],
        ],
      ],
      { cellSize: 1 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: g.n, maxLength: g.n }),
        fc.integer({ min: 1, max: 8 }),
        (counts, a2) => {
          const obs = F(counts);
          const area = a2 / 2;
          let best = 0;
          for (let m = 0; m < 1 << g.n; m++) {
            let ar = 0,
              c = 0;
            for (let k = 0; k < g.n; k++)
              if (m & (1 << k)) {
                ar += g.areas[k];
                c += counts[k];
              }
            if (ar <= area + 1e-9 && c > best) best = c;
          }
          expect(bestCapture(g, obs, area)).toBe(best);
          const hot = selectHotspots(
            g,
            F(counts.map((_, i) => (i * 7) % 5)),
            { minArea: area, maxArea: area + 0.5 },
            3,
          );
          const s = scoreHotspots(g, hot, obs);
          if (Number.isFinite(s.pei)) expect(s.pei).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('ties are broken by the seed, reproducibly', () => {
    const g = buildGrid(
      [
        [
          [
            [0, 0],
            [10, 0],
            [10, 10],
            [0, 10],
            [0, 0],
          ],
        ],
      ],
      { cellSize: 1 },
    );
    const flat = new Float64Array(g.n).fill(1);
    const a = selectHotspots(g, flat, { minArea: 5, maxArea: 5 }, 42).cells;
    expect(selectHotspots(g, flat, { minArea: 5, maxArea: 5 }, 42).cells).toEqual(a);
    expect(selectHotspots(g, flat, { minArea: 5, maxArea: 5 }, 43).cells).not.toEqual(a);
    expect(() => selectHotspots(g, flat, { minArea: 5, maxArea: 4 }, 1)).toThrow(/min ≤ max/);
  });

  it('hit-rate curve by share of area', () => {
    const c = hitRateCurve(square2, F([4, 3, 2, 1]), F([1, 0, 3, 0]), [0.25, 0.5, 0.75, 1], 1);
    expect(c.map((p) => p.hitRate)).toEqual([0.25, 0.25, 1, 1]);
    expect(c.map((p) => p.area)).toEqual([1, 2, 3, 4]);
  });

  it('Poisson log score by hand', () => {
    expect(poissonLogScore(F([1, 2]), F([0, 3]))).toBeCloseTo(-1 + 3 * Math.log(2) - 2 - Math.log(6), 12);
    expect(poissonLogScore(F([0, 2]), F([1, 0]))).toBe(-Infinity);
  });

  it('bootstrap intervals are seeded and bracket the mean; NaN origins are skipped and counted', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN];
    const b = bootstrapMean(xs, 7);
    expect(b).toEqual(bootstrapMean(xs, 7));
    expect(b.mean).toBe(5.5);
    expect(b.n).toBe(10);
    expect(b.skipped).toBe(1);
    expect(b.lo).toBeLessThan(5.5);
    expect(b.hi).toBeGreaterThan(5.5);
    expect(b.lo).toBeGreaterThan(3);
  });
});

describe('windows', () => {
  it('NIJ windows from 2017-03-01: inclusive ends 03-07, 03-14, 03-31, 04-30, 05-31', () => {
    const o = Date.parse('2017-03-01T00:00:00Z');
    expect(['7d', '14d', '1mo', '2mo', '3mo'].map((w) => windowLastDate(o, w))).toEqual([
      '2017-03-07',
      '2017-03-14',
      '2017-03-31',
      '2017-04-30',
      '2017-05-31',
    ]);
    expect(windowDays(o, '1mo')).toBe(31);
    expect(windowEnd(o, '2w')).toBe(windowEnd(o, '14d'));
    expect(() => windowEnd(o, 'week')).toThrow(/7d, 14d, 1mo/);
  });
});

describe('rolling-origin backtest and auto selection', () => {
  const g = buildGrid(
    [
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
      ],
    ],
    { cellSize: 1 },
  );
  // a persistent hotspot at (2,2) plus noise, one incident a day for 400 days
  const events: ForecastIncident[] = [];
  let s = 1;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let d = 0; d < 400; d++) {
    const hot = rnd() < 0.5;
    events.push({
      id: `e${d}`,
      type: 'x',
      origin: 'citizen',
      t: d * DAY_MS,
      timePrecision: 'day',
      x: hot ? 2.5 : rnd() * 10,
      y: hot ? 2.5 : rnd() * 10,
    });
  }
  const data = prepare(g, events);
  const spec = {
    origins: [300, 314, 328, 342].map((d) => d * DAY_MS),
    windows: ['7d', '14d'],
    minArea: 1,
    maxArea: 1,
    seed: 1,
    dataEndMs: 400 * DAY_MS,
    logScore: true,
  };
  const models = [
    { label: 'counts', params: { model: 'counts' as const } },
    { label: 'recent7', params: { model: 'counts' as const, days: 7 } },
  ];

  it('scores every model × window × origin and summarises with intervals; paired comparison', () => {
    const bt = backtest(data, { ...spec, models });
    expect(bt.rows).toHaveLength(4 * 2 * 2);
    const c = bt.summary.find((r) => r.model === 'counts' && r.window === '7d')!;
    expect(c.pai.n).toBe(4);
    expect(c.pai.mean).toBeGreaterThan(30); // the hot cell holds ~half the incidents in 1% of the area
    expect(c.logScore!.mean).toBeLessThan(0);
    const cmp = compareModels(bt.rows, 'counts', 'recent7', '7d', 3);
    expect(cmp.wins + cmp.losses + cmp.ties).toBe(4);
  });

  it('backtestSteps reports each origin done (1..4 of 4, one past the data skipped but counted) and returns what backtest returns', () => {
    const origins = [...spec.origins, 395 * DAY_MS]; // 395 + 7 days ends after the data: no rows, still a step
    const steps = backtestSteps(data, { ...spec, origins, models });
    const seen: { done: number; total: number }[] = [];
    let r = steps.next();
    while (!r.done) {
      seen.push(r.value);
      r = steps.next();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5].map((done) => ({ done, total: 5 })));
    expect(r.value).toEqual(backtest(data, { ...spec, origins, models }));
    expect(r.value.rows).toHaveLength(4 * 2 * 2);
  });

  it('auto never reads incidents at or after the as-of date', () => {
    const asOf = 350 * DAY_MS;
    const a = autoSelect(data, asOf, { window: '7d', candidates: models, minArea: 1, maxArea: 1, seed: 2, origins: 8 });
    expect(a.chosen.label).toBe('counts');
    expect(a.origins).toHaveLength(8);
    expect(a.origins[a.origins.length - 1] <= '1970-12-10').toBe(true);
    // scramble everything from the as-of date on: the choice and its table do not move
    const scrambled = events.map((e) => (e.t >= asOf ? { ...e, x: 9.5, y: 9.5 } : e));
    const b = autoSelect(prepare(g, scrambled), asOf, {
      window: '7d',
      candidates: models,
      minArea: 1,
      maxArea: 1,
      seed: 2,
      origins: 8,
    });
    expect(b).toEqual(a);
  });
});
