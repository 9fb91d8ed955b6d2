import { describe, expect, it } from 'vitest';
import { feedbackVerdict, simulateUrn } from '../../../src/fairness/feedback-loop';

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

describe('Ensign et al. feedback loop (Pólya urn)', () => {
  it('uncorrected, discovered-only records run away from the true crime share 0.3 / 0.7', () => {
    const v = feedbackVerdict({ trueRates: [0.3, 0.7], days: 20_000 }, seeds);
    expect(v.passes).toBe(false);
    // Runaway: the region with the higher rate ends with far more than its 70% share in most runs.
    expect(v.runs.filter((s) => s[1] > 0.9).length).toBeGreaterThanOrEqual(6);
  });

  it('with their correction the allocation converges to the true share, over every seed', () => {
    const v = feedbackVerdict({ trueRates: [0.3, 0.7], days: 20_000, correction: true }, seeds, 0.05);
    expect(v.passes).toBe(true);
    expect(v.meanError).toBeLessThan(0.03);
  });

  it('equal true rates: the corrected urn sits at 0.5 / 0.5 (the fixed point), the uncorrected one wanders', () => {
    const corrected = feedbackVerdict({ trueRates: [0.5, 0.5], days: 20_000, correction: true }, seeds, 0.05);
    expect(corrected.passes).toBe(true);
    const plain = feedbackVerdict({ trueRates: [0.5, 0.5], days: 20_000 }, seeds, 0.05);
    expect(plain.maxError).toBeGreaterThan(0.05); // a Pólya urn's limit is random, not the truth
  });

  it('learning from citizen reports only converges to the truth; mixing in discovered incidents keeps a bias', () => {
    const reportsOnly = feedbackVerdict(
      { trueRates: [0.3, 0.7], days: 20_000, reportingRate: 0.5, learnFromDiscovered: false },
      seeds,
      0.05,
    );
    expect(reportsOnly.passes).toBe(true);
    // Mixed: daily increments A 0.15 + 0.3·pA, B 0.35 + 0.7·pB; the fixed point solves 0.4p² − 0.9p + 0.15 = 0,
    // p = (0.9 − √0.57)/0.8 = 0.1813 instead of the true 0.3 — reports dampen the loop but do not remove it.
    const mixed = feedbackVerdict({ trueRates: [0.3, 0.7], days: 40_000, reportingRate: 0.5 }, seeds, 0.05);
    const meanA = mixed.runs.reduce((a, r) => a + r[0], 0) / mixed.runs.length;
    expect(meanA).toBeCloseTo((0.9 - Math.sqrt(0.57)) / 0.8, 1);
    expect(mixed.passes).toBe(false);
  });

  it('is deterministic for a seed', () => {
    expect(simulateUrn({ trueRates: [0.3, 0.7], days: 1000, seed: 9 })).toEqual(
      simulateUrn({ trueRates: [0.3, 0.7], days: 1000, seed: 9 }),
    );
  });
});

describe("Ensign et al.'s Oakland drug rates (3.69 and 2.82 a day): daily discoveries are Poisson counts", () => {
  // Their Lum & Isaac-derived setting: region A's true share is 3.69 / 6.51 = 0.567; the urn starts 609 : 379 (0.616).
  const oakland = { trueRates: [3.69, 2.82], initial: [609, 379], days: 1000 };
  const trueShare = 3.69 / (3.69 + 2.82);

  it('attack on the Bernoulli draw: with rates above 1 the uncorrected urn must still run away, well above 0.567', () => {
    // Expected drift per day ≈ p(1 − p)(λA − λB)/N: from 0.616 it climbs towards ~0.7 over 1,000 days. A Bernoulli
    // draw saturates at one ball per visit, which makes it a plain Pólya urn that stays near its start (0.616).
    for (const seed of seeds) {
      const r = simulateUrn({ ...oakland, seed });
      expect(r.trueShares[0]).toBeCloseTo(0.567, 3);
      expect(r.shares[0], `seed ${seed}`).toBeGreaterThan(0.66);
    }
  });

  it('the corrected urn stays near the true share 0.567 over the same 1,000 days; every uncorrected run ends above every corrected one', () => {
    const plain = seeds.map((seed) => simulateUrn({ ...oakland, seed }).shares[0]);
    for (const correction of [true, 'sample'] as const) {
      const shares = seeds.map((seed) => simulateUrn({ ...oakland, seed, correction }).shares[0]);
      // Weighted: (609 + 1000·3.69) / (988 + 1000·6.51) = 0.573 in expectation (the start has not quite faded); seeds 1–8 give 0.562–0.598.
      for (const [i, v] of shares.entries())
        expect(Math.abs(v - trueShare), `${correction} seed ${seeds[i]}: ${v}`).toBeLessThan(0.035);
      expect(Math.min(...plain) - Math.max(...shares)).toBeGreaterThan(0.05);
    }
    for (const v of plain) expect(v - trueShare).toBeGreaterThan(0.09); // 0.667–0.740
  });

  it('the uncorrected drift is monotone in expectation: the mean share over 8 seeds rises from 0.616 by at least 0.05', () => {
    const mean =
      seeds.map((seed) => simulateUrn({ ...oakland, seed }).shares[0]).reduce((a, b) => a + b, 0) / seeds.length;
    expect(mean - 609 / 988).toBeGreaterThan(0.05);
  });
});
