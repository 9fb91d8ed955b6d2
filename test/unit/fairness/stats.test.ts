import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareProportions,
  fisherExact,
  gini,
  katzRatioInterval,
  newcombeDifferenceInterval,
  normalCdf,
  normalQuantile,
  psi,
  seededRandom,
  twoProportionZ,
  wilson,
  Z95,
} from '../../../src/fairness/stats';

describe('fairness statistics against published / hand-computed values', () => {
  it('normal distribution', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    // Tiny tail keeps its magnitude: P(Z > 8) = 6.22e-16.
    expect(normalCdf(-8) / 6.22096e-16).toBeCloseTo(1, 5);
  });

  it('Wilson interval: 805 of 1,795 (ProPublica AA FPR)', () => {
    // p = 0.448468; centre = (p + z²/2n)/(1 + z²/n); half = z√(p(1−p)/n + z²/4n²)/(1 + z²/n) → [0.42562, 0.47153].
    const [lo, hi] = wilson(805, 1795);
    expect(lo).toBeCloseTo(0.42562, 4);
    expect(hi).toBeCloseTo(0.47153, 4);
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });

  it('Fisher exact test: textbook tables', () => {
    // Lady tasting tea [[3,1],[1,3]]: two-sided p = 34/70 = 0.4857.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(34 / 70, 10);
    // [[1,9],[11,3]] (Wikipedia's example): p = 0.002759.
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 5);
    expect(fisherExact(0, 0, 0, 0)).toBe(1);
  });

  it('two-proportion test picks Fisher for small expected counts, z otherwise', () => {
    expect(compareProportions(1, 5, 4, 6).method).toBe('fisher'); // expected 5·5/11 = 2.3
    expect(compareProportions(1, 10, 11, 14).method).toBe('z'); // expected 10·12/24 = 5
    const t = compareProportions(805, 1795, 349, 1488);
    expect(t.method).toBe('z');
    expect(t.statistic!).toBeCloseTo(twoProportionZ(805, 1795, 349, 1488).z, 12);
  });

  it('Katz ratio interval and Newcombe difference interval contain the estimate', () => {
    const [lo, hi] = katzRatioInterval(6, 12, 2, 8)!;
    // se = √(1/6 − 1/12 + 1/2 − 1/8) = 0.677003
    expect(lo).toBeCloseTo(2 * Math.exp(-Z95 * 0.677003), 5);
    expect(hi).toBeCloseTo(2 * Math.exp(Z95 * 0.677003), 5);
    expect(katzRatioInterval(0, 10, 3, 10)).toBeNull();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        fc.nat(),
        (n1, n2, a, b) => {
          const k1 = a % (n1 + 1);
          const k2 = b % (n2 + 1);
          const [l, u] = newcombeDifferenceInterval(k1, n1, k2, n2)!;
          const d = k1 / n1 - k2 / n2;
          return l <= d + 1e-12 && d <= u + 1e-12 && l >= -1 - 1e-9 && u <= 1 + 1e-9;
        },
      ),
    );
  });

  it('Gini and PSI', () => {
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0, 1])).toBeCloseTo(0.75, 12); // (2·4·1)/(4·1) − 5/4
    expect(gini([0, 0, 0, 1], [1, 1, 1, 1])).toBeCloseTo(0.75, 12); // equal weights agree
    expect(gini([1, 2, 3])).toBeCloseTo((2 * (1 + 4 + 9)) / (3 * 6) - 4 / 3, 12); // 0.2222
    // e = (½, ½), a = (¼, ¾): (−¼)·ln ½ + ¼·ln 1.5 = 0.173287 + 0.101366
    expect(psi([1, 1], [1, 3])).toBeCloseTo(0.274653, 6);
    expect(psi([5, 5], [50, 50])).toBe(0);
  });

  it('seeded PRNG is deterministic', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 100; i++) expect(a()).toBe(b());
  });
});
