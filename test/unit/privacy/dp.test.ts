import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import {
  alphaOf,
  geometricNoise,
  geometricPmf,
  noiseHalfWidth,
  releaseBudget,
  releaseTable,
  seededNoise,
} from '../../../src/privacy/dp';

describe('two-sided geometric mechanism', () => {
  it('the pmf sums to 1 and matches the closed form at hand-computed points', () => {
    const a = alphaOf(1); // e^-1 = 0.36787944
    expect(geometricPmf(0, a)).toBeCloseTo((1 - 0.36787944) / (1 + 0.36787944), 7); // 0.46211716
    expect(geometricPmf(2, a)).toBeCloseTo(0.46211716 * 0.36787944 ** 2, 7);
    let s = 0;
    for (let k = -200; k <= 200; k++) s += geometricPmf(k, a);
    expect(s).toBeCloseTo(1, 12);
  });

  it('draws have the stated distribution (chi-square goodness of fit, 200,000 draws, ε = 0.5)', () => {
    const a = alphaOf(0.5);
    const rng = seededNoise(12345);
    const n = 200_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const z = geometricNoise(a, rng);
      counts.set(z, (counts.get(z) ?? 0) + 1);
    }
    // Bins -10..10 plus two tails; 22 bins → 21 degrees of freedom; χ²(0.999, 21) = 46.80.
    let chi = 0;
    let tailP = 0;
    for (let k = 11; k < 400; k++) tailP += geometricPmf(k, a);
    const bins: [number, number][] = [];
    for (let k = -10; k <= 10; k++) bins.push([counts.get(k) ?? 0, geometricPmf(k, a) * n]);
    let lo = 0;
    let hi = 0;
    for (const [k, c] of counts) {
      if (k < -10) lo += c;
      if (k > 10) hi += c;
    }
    bins.push([lo, tailP * n], [hi, tailP * n]);
    for (const [obs, exp] of bins) chi += (obs - exp) ** 2 / exp;
    expect(chi).toBeLessThan(46.8);
    // And the wrong ε is rejected by the same test: the draws are not ε = 1 noise.
    const b = alphaOf(1);
    let chiWrong = 0;
    for (let k = -10; k <= 10; k++)
      chiWrong += ((counts.get(k) ?? 0) - geometricPmf(k, b) * n) ** 2 / (geometricPmf(k, b) * n);
    expect(chiWrong).toBeGreaterThan(1000);
  });

  it('the 95% half-width holds: P(|Z| ≥ t) ≤ 5% and P(|Z| ≥ t − 1) > 5%', () => {
    for (const eps of [0.1, 0.5, 1, 2]) {
      const a = alphaOf(eps);
      const t = noiseHalfWidth(a);
      const tailAt = (x: number) => (2 * a ** x) / (1 + a);
      expect(tailAt(t)).toBeLessThanOrEqual(0.05);
      if (t > 1) expect(tailAt(t - 1)).toBeGreaterThan(0.05);
    }
    // By hand for ε = 1: 2e^-3/(1+e^-1) = 0.0728 > 5%, 2e^-4/(1+e^-1) = 0.0268 ≤ 5%, so t = 4.
    expect(noiseHalfWidth(alphaOf(1))).toBe(4);
  });
});

describe('table release', () => {
  it('suppresses small noisy cells, keeps intervals, and records the budget', () => {
    const cells = [
      { key: { area: '1' }, count: 500 },
      { key: { area: '2' }, count: 0 },
      { key: { area: '3' }, count: 3 },
    ];
    const t = releaseTable('incidents-by-area', cells, { epsilon: 1, suppressBelow: 10, rng: seededNoise(7) });
    expect(t.cells[0].suppressed).toBe(false);
    expect(Math.abs(t.cells[0].count! - 500)).toBeLessThan(15);
    expect(t.cells[0].interval![1] - t.cells[0].interval![0]).toBe(2 * t.margin95);
    expect(t.cells[1].suppressed).toBe(true);
    expect(t.cells[1].count).toBeNull();
    const t2 = releaseTable('alerts-by-month', [{ key: { m: '2019-01' }, count: 40 }], {
      epsilon: 0.5,
      rng: seededNoise(8),
    });
    expect(releaseBudget([t, t2])).toBe(1.5);
  });

  it('property: bad budgets and bad counts are refused with a named field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(Number.NaN), fc.constant(Infinity)), (eps) => {
        expect(() => releaseTable('t', [{ key: {}, count: 1 }], { epsilon: eps })).toThrow(InputError);
      }),
    );
    expect(() => releaseTable('t', [{ key: { a: '1' }, count: -2 }], { epsilon: 1 })).toThrow(/non-negative/);
  });
});
