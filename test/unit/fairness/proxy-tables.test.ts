import { describe, expect, it } from 'vitest';
import {
  correlationRatio,
  cramersV,
  detectProxies,
  mutualInformation,
  proxyModelCardRows,
  quantileBins,
  type ProxyRow,
} from '../../../src/fairness/proxy-detection';

const rep = <T>(x: T, n: number) => Array.from({ length: n }, () => x);
/** Expand a contingency table (rows: feature levels, columns: groups) into paired observations. */
function expand(t: number[][], rowNames: string[], colNames: string[]): [string[], string[]] {
  const xs: string[] = [];
  const ys: string[] = [];
  t.forEach((row, i) =>
    row.forEach((c, j) => {
      xs.push(...rep(rowNames[i], c));
      ys.push(...rep(colNames[j], c));
    }),
  );
  return [xs, ys];
}

describe('proxy statistics against hand-computed contingency tables', () => {
  it("Cramér's V, 3×2 table [[10,20],[20,10],[15,15]] (n = 90)", () => {
    // Expected 15 in every cell; χ² = (25·4)/15 = 6.6667; φ² = 0.074074; φ̃² = 0.074074 − 2/89 = 0.051602;
    // r̃ = 3 − 4/89 = 2.955056, k̃ = 2 − 1/89 = 1.988764; V = √(0.051602 / 0.988764) = 0.22845.
    const [xs, ys] = expand(
      [
        [10, 20],
        [20, 10],
        [15, 15],
      ],
      ['a', 'b', 'c'],
      ['P', 'Q'],
    );
    const phi2c = 100 / 15 / 90 - 2 / 89;
    expect(cramersV(xs, ys)).toBeCloseTo(Math.sqrt(phi2c / (1 - 1 / 89)), 12);
    expect(cramersV(xs, ys)).toBeCloseTo(0.22845, 5);
    // Symmetric in its arguments.
    expect(cramersV(ys, xs)).toBeCloseTo(cramersV(xs, ys), 12);
  });

  it('mutual information of the same table, by hand', () => {
    // Rows a, b: cells 10/90 and 20/90 against margins (1/3)(1/2); row c independent.
    // MI = 2 · [ (10/90) log2((10/90)/(1/6)) + (20/90) log2((20/90)/(1/6)) ] = 2 · [0.111111·(−0.584963) + 0.222222·0.415037] = 0.054470
    const [xs, ys] = expand(
      [
        [10, 20],
        [20, 10],
        [15, 15],
      ],
      ['a', 'b', 'c'],
      ['P', 'Q'],
    );
    const hand = 2 * ((10 / 90) * Math.log2(10 / 90 / (1 / 6)) + (20 / 90) * Math.log2(20 / 90 / (1 / 6)));
    expect(mutualInformation(xs, ys)).toBeCloseTo(hand, 12);
    expect(hand).toBeCloseTo(0.05447, 5);
  });

  it('correlation ratio η, three groups {1,2,3}, {4,5,6}, {7,8,9}', () => {
    // Grand mean 5; between = 3·9 + 0 + 3·9 = 54; total = 60; η = √0.9 = 0.948683.
    expect(correlationRatio(['A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'C'], [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeCloseTo(
      Math.sqrt(0.9),
      12,
    );
    expect(() => correlationRatio(['A'], [1, 2])).toThrow(/same length/);
  });

  it('quantile bins keep ties together', () => {
    expect(quantileBins([1, 2, 3, 4], 2)).toEqual(['q0', 'q0', 'q1', 'q1']);
    expect(new Set(quantileBins([5, 5, 5, 5], 4)).size).toBe(1);
  });
});

describe('proxy detection over a feature table', () => {
  // Three groups; "zip" encodes the group for G1 and G2 but not G3; "income" separates G3; "noise" nothing.
  const rows: ProxyRow[] = [];
  for (let i = 0; i < 600; i++) {
    const g = ['G1', 'G2', 'G3'][i % 3];
    const zip =
      g === 'G1'
        ? i % 10 < 8
          ? '60601'
          : '60602'
        : g === 'G2'
          ? i % 10 < 8
            ? '60602'
            : '60601'
          : i % 2
            ? '60601'
            : '60602';
    rows.push({
      protected: g,
      features: {
        zip,
        income: (g === 'G3' ? 30 : 60) + ((i * 37) % 20),
        noise: (i * 7919) % 13,
        note: i % 50 === 0 ? null : 'x',
      },
    });
  }

  it('flags the proxies, one-vs-rest AUC for every group, deterministic by seed', () => {
    const r = detectProxies(
      rows,
      ['zip', 'income', 'noise', 'note'],
      { cramersV: 0.3, eta: 0.3, auc: 0.7 },
      { seed: 3 },
    );
    expect(r.flaggedFeatures).toEqual(['zip', 'income']);
    expect(r.perGroupAuc.map((g) => g.group).sort()).toEqual(['G1', 'G2', 'G3']);
    expect(r.perGroupAuc.find((g) => g.group === 'G3')!.auc).toBeGreaterThan(0.95);
    expect(r.jointFlagged).toBe(true);
    expect(r.perFeature.find((p) => p.feature === 'note')!.missing).toBe(12);
    expect(r.perFeature.find((p) => p.feature === 'noise')!.eta!).toBeLessThan(0.1);
    expect(detectProxies(rows, ['zip', 'income'], undefined, { seed: 3 })).toEqual(
      detectProxies(rows, ['zip', 'income'], undefined, { seed: 3 }),
    );
    const card = proxyModelCardRows(r);
    expect(card).toHaveLength(5);
    expect(card[0]).toMatchObject({
      feature: 'zip',
      statistic: "Cramér's V (Bergsma bias-corrected; no Yates correction)",
      flagged: true,
    });
    expect(card[4].feature).toBe('(all features together)');
  });

  it('a mutual-information threshold can flag too; bad rows are named', () => {
    const r = detectProxies(rows, ['noise'], { cramersV: 0.3, eta: 0.3, auc: 0.99, mutualInformationBits: 0 });
    expect(r.perFeature[0].flagged).toBe(true);
    expect(r.perFeature[0].reasons[0]).toMatch(/^MI/);
    expect(() => detectProxies([{ protected: '', features: {} }], [])).toThrow(/row 1 has no protected attribute/);
  });
});
