import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, twoProportionZ as twoProportionTest, wilson } from '../../../src/fairness/stats';
import { disparityCheck, overrideCheck } from '../../../src/monitor/checks';

describe('monitor checks against hand-computed values', () => {
  it('normal CDF at published points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
  it('Wilson interval: 0 of 10 → [0, 0.2775]; 50 of 100 → [0.4038, 0.5962]', () => {
    const [a, b] = wilson(0, 10);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(0.27753, 4);
    const [c, d] = wilson(50, 100);
    expect(c).toBeCloseTo(0.40383, 4);
    expect(d).toBeCloseTo(0.59617, 4);
  });
  it('two-proportion test: 60/1000 vs 30/1000 → z = 3.236, p = 0.0012', () => {
    // pooled 0.045; se = sqrt(0.045 × 0.955 × 0.002) = 0.009271; z = 0.03 / 0.009271 = 3.236
    const t = twoProportionTest(60, 1000, 30, 1000);
    expect(t.z).toBeCloseTo(3.236, 3);
    expect(t.p).toBeCloseTo(0.00121, 4);
  });
  it('a ratio of 2.0 that is significant breaches a 1.25 bound; the same ratio on tiny groups gives no verdict', () => {
    const big = disparityCheck([{ group: 'A', count: 60, denominator: 1000 }, { group: 'B', count: 30, denominator: 1000 }], { ratioMax: 1.25, minCount: 20, alpha: 0.05 });
    expect(big.breached).toBe(true);
    expect(big.ratio).toBeCloseTo(2, 10);
    const small = disparityCheck([{ group: 'A', count: 6, denominator: 100 }, { group: 'B', count: 3, denominator: 100 }], { ratioMax: 1.25, minCount: 20, alpha: 0.05 });
    expect(small.breached).toBe(false);
    expect(small.warnings.join()).toMatch(/no verdict/);
    // Significant but within the band: no breach.
    expect(disparityCheck([{ group: 'A', count: 1100, denominator: 10000 }, { group: 'B', count: 1000, denominator: 10000 }], { ratioMax: 1.25, minCount: 20, alpha: 0.05 }).breached).toBe(false);
  });
  it('override rate breaches only with enough decisions', () => {
    expect(overrideCheck(8, 10, { maxRate: 0.5, minDecisions: 20 }).breached).toBe(false);
    expect(overrideCheck(16, 20, { maxRate: 0.5, minDecisions: 20 }).breached).toBe(true);
  });
  it('property: p-values are in [0, 1] and symmetric in the groups', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, n1, b, n2) => {
      const k1 = Math.min(a, n1);
      const k2 = Math.min(b, n2);
      const t = twoProportionTest(k1, n1, k2, n2);
      expect(t.p).toBeGreaterThanOrEqual(0);
      expect(t.p).toBeLessThanOrEqual(1.0000001);
      expect(twoProportionTest(k2, n2, k1, n1).p).toBeCloseTo(t.p, 9);
    }));
  });
});
