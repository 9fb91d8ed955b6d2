import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, twoProportionZ as twoProportionTest, wilson } from '../../../src/fairness/stats';
import { disparityCheck, overrideCheck, responseTimeCheck } from '../../../src/fairness/monitor-checks';

describe("the monitor's checks (one implementation, src/fairness/monitor-checks.ts) against hand-computed values", () => {
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
    // The live monitor's settings (ratioMax 1.25, minCount 20 events, alpha 0.05) as the one check reads them.
    const monitor = { maxRatio: 1.25, alpha: 0.05, minTrials: 1, minEvents: 20 };
    const big = disparityCheck(
      [
        { group: 'A', events: 60, trials: 1000 },
        { group: 'B', events: 30, trials: 1000 },
      ],
      monitor,
    );
    expect(big.status).toBe('breach');
    expect(big.statistic).toBeCloseTo(2, 10);
    const small = disparityCheck(
      [
        { group: 'A', events: 6, trials: 100 },
        { group: 'B', events: 3, trials: 100 },
      ],
      monitor,
    );
    expect(small.status).toBe('insufficient-data');
    expect(small.warnings.join()).toMatch(/6 events \(< 20\); no verdict/);
    // Significant but within the band: no breach.
    expect(
      disparityCheck(
        [
          { group: 'A', events: 1100, trials: 10000 },
          { group: 'B', events: 1000, trials: 10000 },
        ],
        monitor,
      ).status,
    ).toBe('ok');
  });
  it('override rate breaches only with enough decisions, and only when confidently above the limit (Wilson lower bound)', () => {
    expect(overrideCheck(8, 10, { maxRate: 0.5, minDecisions: 20 }).status).toBe('insufficient-data');
    // 16/20: Wilson 95% lower bound 0.584 > 0.5; 12/20 (rate 0.6, lower bound 0.387) is not confidently above it.
    expect(overrideCheck(16, 20, { maxRate: 0.5, minDecisions: 20 }).status).toBe('breach');
    expect(overrideCheck(12, 20, { maxRate: 0.5, minDecisions: 20 }).status).toBe('ok');
  });

  it('response time: a breach when enough alerts were judged and too few were acknowledged in time', () => {
    expect(responseTimeCheck(7, 10, { minShare: 0.9, minAlerts: 10 })).toMatchObject({
      status: 'breach',
      statistic: 0.7,
    });
    expect(responseTimeCheck(9, 10, { minShare: 0.9, minAlerts: 10 }).status).toBe('ok');
    expect(responseTimeCheck(1, 4, { minShare: 0.9, minAlerts: 10 }).status).toBe('insufficient-data');
  });
  it('property: p-values are in [0, 1] and symmetric in the groups', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (a, n1, b, n2) => {
          const k1 = Math.min(a, n1);
          const k2 = Math.min(b, n2);
          const t = twoProportionTest(k1, n1, k2, n2);
          expect(t.p).toBeGreaterThanOrEqual(0);
          expect(t.p).toBeLessThanOrEqual(1.0000001);
          expect(twoProportionTest(k2, n2, k1, n1).p).toBeCloseTo(t.p, 9);
        },
      ),
    );
  });
});
