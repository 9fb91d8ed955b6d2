import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { applyDataPolicy, DAY_MS, prepare, type ForecastIncident } from '../../../src/forecast/data';
import { fitModel, forecastRisk, type ModelParams } from '../../../src/forecast/models';
import { emEtas } from '../../../src/forecast/models/etas';
import { buildGrid } from '../../../src/geo/grid';

const row5 = buildGrid(
  [
    [
      [
        [0, 0],
        [5, 0],
        [5, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
  { cellSize: 1 },
); // cells k = 0..4, centres x = k + 0.5
const inc = (id: string, cellX: number, day: number, extra: Partial<ForecastIncident> = {}): ForecastIncident => ({
  id,
  type: 'burglary',
  origin: 'citizen',
  t: day * DAY_MS,
  timePrecision: 'day',
  x: cellX + 0.5,
  y: 0.5,
  ...extra,
});
// A: cell 2, 1 day old; B: cell 0, 10 days old (week 1); C: cell 4, 70 days old (week 10)
const ABC = [inc('A', 2, 99), inc('B', 0, 90), inc('C', 4, 30)];
const AS_OF = 100 * DAY_MS;
const risk = (p: ModelParams, ev = ABC, W = 7) => Array.from(forecastRisk(row5, ev, AS_OF, p, W));
const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));

describe('data policy', () => {
  it('keeps citizen-reported incidents by default; officer-initiated only with the explicit flag, and says so', () => {
    const ev = [inc('a', 0, 1), inc('b', 1, 1, { origin: 'officer' })];
    const def = applyDataPolicy(ev);
    expect(def.incidents.map((e) => e.id)).toEqual(['a']);
    expect(def.policy).toMatchObject({
      includeOfficerInitiated: false,
      excludedOfficerInitiated: 1,
      label: 'citizen-reported records only',
    });
    const flagged = applyDataPolicy(ev, { includeOfficerInitiated: true });
    expect(flagged.incidents).toHaveLength(2);
    expect(flagged.policy.label).toMatch(/INCLUDES officer-initiated/);
    expect(() => applyDataPolicy(ev, {} as never)).toThrow(InputError);
  });
});

describe('models on hand-computed tiny cases', () => {
  it('naive counts: all history and last N days; incidents at or after as-of are ignored', () => {
    close(risk({ model: 'counts' }, [...ABC, inc('future', 1, 100)]), [1, 0, 1, 0, 1]);
    close(risk({ model: 'counts', days: 30 }), [1, 0, 1, 0, 0]);
  });

  it('prospective hotspotting: 1/(1+band) × 1/(1+weeks), within 2 cells and 8 weeks', () => {
    // cell0: A at 2 bands 1/3 + B here ½ · 1 ; cell1: A ½ + B ½·½ ; cell2: A 1 + B ⅓·½ ; cell3: A ½ ; cell4: A ⅓ (C too old)
    close(risk({ model: 'prospective', bandwidth: 2, weeks: 8 }), [
      1 / 3 + 1 / 2,
      1 / 2 + 1 / 4,
      1 + 1 / 6,
      1 / 2,
      1 / 3,
    ]);
  });

  it('retrospective hotspotting: distance decay only', () => {
    close(risk({ model: 'retrospective', bandwidth: 2, weeks: 8 }), [
      1 / 3 + 1,
      1 / 2 + 1 / 2,
      1 + 1 / 3,
      1 / 2,
      1 / 3,
    ]);
    close(risk({ model: 'retrospective', bandwidth: 2, weeks: 11 }), [
      4 / 3,
      1,
      4 / 3 + 1 / 3,
      1 / 2 + 1 / 2,
      1 / 3 + 1,
    ]);
  });

  it('time-weighted KDE: Gaussian or quartic in space × half-life decay in time', () => {
    const one = [inc('A', 2, 90)]; // 10 days old: weight ½ with a 10-day half-life
    close(risk({ model: 'kde', bandwidth: 1, halfLifeDays: 10 }, one), [
      0.5 * Math.exp(-2),
      0.5 * Math.exp(-0.5),
      0.5,
      0.5 * Math.exp(-0.5),
      0.5 * Math.exp(-2),
    ]);
    close(risk({ model: 'kde', kernel: 'quartic', bandwidth: 2, halfLifeDays: 10 }, one), [
      0,
      0.5 * 0.5625,
      0.5,
      0.5 * 0.5625,
      0,
    ]);
  });

  it('grid ETAS: one EM step by hand', () => {
    const g1 = buildGrid(
      [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
        ],
      ],
      { cellSize: 1 },
    );
    const d = prepare(
      g1,
      [inc('a', 0, 0), inc('b', 0, 1)].map((e) => ({ ...e, x: 0.5 })),
    );
    const f = emEtas(d, 2, 1, 0);
    // start: μ = ½·2/2 = ½, θ = ½, ω = 1/7. Incident b: A = e^{−1/7}, trigger = θωA, λ = μ + θωA.
    const trig = 0.5 * (1 / 7) * Math.exp(-1 / 7);
    const pTrig = trig / (0.5 + trig);
    expect(f.mu[0]).toBeCloseTo((1 + (1 - pTrig)) / 2, 12);
    expect(f.theta).toBeCloseTo(pTrig / (2 - Math.exp(-2 / 7) - Math.exp(-1 / 7)), 12);
    expect(f.omega).toBeCloseTo(1, 12); // Σp / Σp·Δt with Δt = 1
  });

  it('grid ETAS: the O(n) recursion equals the O(n²) E-step over several EM iterations (ties do not trigger)', () => {
    const g3 = buildGrid(
      [
        [
          [
            [0, 0],
            [3, 0],
            [3, 1],
            [0, 1],
            [0, 0],
          ],
        ],
      ],
      { cellSize: 1 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: fc.integer({ min: 0, max: 2 }), day: fc.integer({ min: 0, max: 60 }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (evs) => {
          const d = prepare(
            g3,
            evs.map((e, i) => inc(`e${i}`, e.c, e.day)),
          );
          const T = 61,
            start = 0,
            iters = 3;
          const fast = emEtas(d, T, iters, start);
          // brute force
          const mu = new Float64Array(3);
          for (let i = 0; i < d.n; i++) mu[d.cell[i]] += 0.5 / T;
          let theta = 0.5,
            omega = 1 / 7;
          for (let it = 0; it < iters; it++) {
            const bg = new Float64Array(3);
            let sp = 0,
              spdt = 0,
              edge = 0;
            for (let i = 0; i < d.n; i++) {
              let trig = 0,
                trigDt = 0;
              for (let j = 0; j < d.n; j++)
                if (d.cell[j] === d.cell[i] && d.t[j] < d.t[i]) {
                  const dt = d.t[i] - d.t[j];
                  trig += theta * omega * Math.exp(-omega * dt);
                  trigDt += dt * theta * omega * Math.exp(-omega * dt);
                }
              const lam = mu[d.cell[i]] + trig;
              bg[d.cell[i]] += mu[d.cell[i]] / lam;
              sp += trig / lam;
              spdt += trigDt / lam;
              edge += 1 - Math.exp(-omega * (T - d.t[i]));
            }
            for (let k = 0; k < 3; k++) mu[k] = bg[k] / T;
            theta = Math.min(0.999, sp / edge);
            if (spdt > 0 && sp > 0) omega = Math.min(1e3, Math.max(1e-4, sp / spdt));
          }
          for (let k = 0; k < 3; k++) expect(fast.mu[k]).toBeCloseTo(mu[k], 10);
          expect(fast.theta).toBeCloseTo(theta, 10);
          expect(fast.omega).toBeCloseTo(omega, 8);
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });

  it('grid ETAS risk is μ_k·W plus the trigger mass still to come, and explanations add up to it', () => {
    const ev = [inc('a', 1, 50), inc('b', 1, 95), inc('c', 1, 97), inc('d', 3, 20), inc('e', 3, 60)];
    const fitted = fitModel(prepare(row5, ev), AS_OF, { model: 'etas', iterations: 40 });
    const r = fitted.risk(14);
    for (let k = 0; k < 5; k++) {
      const e = fitted.explain(k, 14);
      expect(e.background + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(r[k], 12);
    }
    expect(r[0]).toBe(0);
    expect(r[1]).toBeGreaterThan(r[3]); // the recent pair in cell 1
    expect(fitted.diagnostics.theta).toBeGreaterThanOrEqual(0);
    expect(fitted.diagnostics.iterations).toBe(40);
  });

  it('every model: background + Σ contributions = risk for every cell (random incidents)', () => {
    const models: ModelParams[] = [
      { model: 'counts', days: 40 },
      { model: 'prospective', bandwidth: 2, weeks: 4 },
      { model: 'retrospective', bandwidth: 1.5, weeks: 6 },
      { model: 'kde', bandwidth: 1, halfLifeDays: 20 },
      { model: 'kde', kernel: 'quartic', bandwidth: 2.5, halfLifeDays: 20 },
      { model: 'etas' },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 0, max: 499 }), day: fc.integer({ min: 0, max: 99 }) }), {
          maxLength: 30,
        }),
        (evs) => {
          const d = prepare(
            row5,
            evs.map((e, i) => ({ ...inc(`e${i}`, 0, e.day), x: e.x / 100 + 0.005 })),
          );
          for (const m of models) {
            const f = fitModel(d, AS_OF, m);
            const r = f.risk(7);
            for (let k = 0; k < 5; k++) {
              const e = f.explain(k, 7);
              expect(e.background + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(r[k], 9);
            }
          }
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it('refuses bad parameters, naming the field', () => {
    expect(() => forecastRisk(row5, ABC, AS_OF, { model: 'kde', bandwidth: -1, halfLifeDays: 3 }, 7)).toThrow(
      /bandwidth/,
    );
    expect(() => forecastRisk(row5, ABC, AS_OF, { model: 'nope' } as never, 7)).toThrow(InputError);
  });
});

describe('continuous SEPP (Mohler et al. 2011)', () => {
  const big = buildGrid(
    [
      [
        [
          [0, 0],
          [10_000, 0],
          [10_000, 10_000],
          [0, 10_000],
          [0, 0],
        ],
      ],
    ],
    { cellSize: 250 },
  );
  // Simulated Hawkes process: background uniform in space and over 400 days; each incident has
  // Poisson(0.4) offspring at Exp(mean 2 days) later, N(0, 150²) away.
  function simulate(seed: number): ForecastIncident[] {
    let s = seed;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const out: ForecastIncident[] = [];
    const queue: { t: number; x: number; y: number }[] = [];
    for (let i = 0; i < 400; i++) queue.push({ t: rnd() * 400, x: rnd() * 10_000, y: rnd() * 10_000 });
    while (queue.length) {
      const e = queue.pop()!;
      if (e.t >= 400 || e.x < 0 || e.y < 0 || e.x >= 10_000 || e.y >= 10_000) continue;
      out.push({
        id: `s${out.length}`,
        type: 'burglary',
        origin: 'citizen',
        t: Math.round(e.t * 24) * 3_600_000,
        timePrecision: 'hour',
        x: e.x,
        y: e.y,
      });
      let k = 0,
        p = Math.exp(-0.4),
        u = rnd();
      while (u > p) {
        u -= p;
        k++;
        p *= 0.4 / k;
      }
      for (let c = 0; c < k; c++)
        queue.push({ t: e.t - 2 * Math.log(1 - rnd()), x: e.x + 150 * normal(), y: e.y + 150 * normal() });
    }
    return out;
  }

  it('refuses date-only data with a clear error', () => {
    expect(() => forecastRisk(row5, ABC, AS_OF, { model: 'sepp' }, 7)).toThrow(/hour or finer.*3 training incident/);
  });

  it('recovers the triggering parameters of a simulated process, reproducibly by seed', () => {
    const ev = simulate(42);
    const asOf = 400 * DAY_MS;
    const p: ModelParams = {
      model: 'sepp',
      iterations: 40,
      maxDistance: 1500,
      maxLagDays: 30,
      backgroundBandwidth: 1000,
      seed: 9,
    };
    const d = prepare(big, ev);
    const f = fitModel(d, asOf, p);
    expect(f.diagnostics.theta).toBeGreaterThan(0.2);
    expect(f.diagnostics.theta).toBeLessThan(0.6);
    expect(f.diagnostics.sigma).toBeGreaterThan(100);
    expect(f.diagnostics.sigma).toBeLessThan(225);
    expect(1 / f.diagnostics.omega).toBeGreaterThan(1);
    expect(1 / f.diagnostics.omega).toBeLessThan(4);
    const again = fitModel(d, asOf, p);
    expect(again.diagnostics).toEqual(f.diagnostics);
    const r = f.risk(7);
    let total = 0;
    for (const v of r) total += v;
    // expected count in a week ≈ background rate (400/400 per day → 7) + triggered tail; same order as the data's rate
    expect(total).toBeGreaterThan(5);
    expect(total).toBeLessThan(20);
    const k = r.indexOf(Math.max(...r));
    const e = f.explain(k, 7);
    expect(e.background + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(r[k], 9);
  });
});
