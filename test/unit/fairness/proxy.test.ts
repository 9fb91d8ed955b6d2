import { describe, expect, it } from 'vitest';
import {
  auc,
  correlationRatio,
  cramersV,
  detectProxies,
  mutualInformation,
  type ProxyRow,
} from '../../../src/fairness/proxy-detection';

const rep = <T>(x: T, n: number) => Array.from({ length: n }, () => x);

describe('proxy detection against hand-computed values', () => {
  it("Cramér's V of a 2×2 table [[30,10],[10,30]] (n = 80): χ² = 20, φ² = 0.25, corrected √((0.25 − 1/79)/(1 − 1/79)) = √(0.237342/0.987342) = 0.4903", () => {
    const xs = [...rep('a', 40), ...rep('b', 40)];
    const ys = [...rep('p', 30), ...rep('q', 10), ...rep('p', 10), ...rep('q', 30)];
    const phi2c = 0.25 - 1 / 79;
    const d = 2 - 1 / 79 - 1;
    expect(cramersV(xs, ys)).toBeCloseTo(Math.sqrt(phi2c / d), 10);
    expect(cramersV(xs, ys)).toBeCloseTo(0.4903, 4);
    // Independence gives (near) zero, perfect association gives one.
    expect(
      cramersV(
        [...rep('a', 50), ...rep('b', 50)],
        [...rep('p', 25), ...rep('q', 25), ...rep('p', 25), ...rep('q', 25)],
      ),
    ).toBe(0);
    expect(cramersV([...rep('a', 50), ...rep('b', 50)], [...rep('p', 50), ...rep('q', 50)])).toBeCloseTo(1, 10);
  });
  it('mutual information: perfect dependence of two fair binary variables is 1 bit, independence 0', () => {
    expect(mutualInformation(['a', 'a', 'b', 'b'], ['p', 'p', 'q', 'q'])).toBeCloseTo(1, 12);
    expect(mutualInformation(['a', 'b', 'a', 'b'], ['p', 'p', 'q', 'q'])).toBeCloseTo(0, 12);
  });
  it('correlation ratio: group means 1 and 3 with spread ±1 → η = √(between 4 / total 8) = 0.7071', () => {
    // values: A {0, 2}, B {2, 4}; grand mean 2; between = 2·1 + 2·1 = 4; total = 4 + 0 + 0 + 4 = 8.
    expect(correlationRatio(['A', 'A', 'B', 'B'], [0, 2, 2, 4])).toBeCloseTo(Math.sqrt(4 / 8), 12);
  });
  it('AUC by rank-sum: perfect separation 1, reversed 0, ties 0.5', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });
  it('flags a neighbourhood feature that encodes the protected group, not an unrelated one', () => {
    const rows: ProxyRow[] = [];
    for (let i = 0; i < 400; i++) {
      const g = i % 2 ? 'X' : 'Y';
      const area = g === 'X' ? (i % 10 < 9 ? 'north' : 'south') : i % 10 < 9 ? 'south' : 'north';
      rows.push({
        protected: g,
        features: { area, shoeSize: 40 + ((i * 7) % 5), priors: g === 'X' ? 2 + (i % 3) : i % 3 },
      });
    }
    const r = detectProxies(rows, ['area', 'shoeSize', 'priors']);
    expect(r.flaggedFeatures).toEqual(['area', 'priors']);
    expect(r.jointAuc).toBeGreaterThan(0.9);
    expect(r.jointFlagged).toBe(true);
  });
});
