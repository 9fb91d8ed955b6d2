import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import {
  cramersV,
  cramersVWith,
  detectProxies,
  proxyModelCardRows,
  type ProxyRow,
} from '../../../src/fairness/proxy-detection';

const rep = (v: string, n: number) => Array<string>(n).fill(v);
/** Columns of a contingency table given as rows of counts. */
function columns(t: number[][]): [string[], string[]] {
  const xs: string[] = [];
  const ys: string[] = [];
  t.forEach((row, i) =>
    row.forEach((c, j) => {
      xs.push(...rep(`r${i}`, c));
      ys.push(...rep(`c${j}`, c));
    }),
  );
  return [xs, ys];
}

describe("Cramér's V states its corrections", () => {
  // [[30,10],[10,30]], n = 80: every E = 20, |O − E| = 10.
  const [xs, ys] = columns([
    [30, 10],
    [10, 30],
  ]);

  it('2×2 by hand: plain 0.5, Yates 0.475, bias-corrected 0.4903, both 0.4644', () => {
    // Plain: χ² = 4·10²/20 = 20, V = √(20/80) = 0.5.
    expect(cramersVWith(xs, ys, { biasCorrected: false })).toMatchObject({
      value: 0.5,
      chi2: 20,
      biasCorrected: false,
      yatesCorrected: false,
    });
    // Yates: χ² = 4·9.5²/20 = 18.05, V = √(18.05/80) = 0.475.
    const y = cramersVWith(xs, ys, { biasCorrected: false, yates: true });
    expect(y.chi2).toBeCloseTo(18.05, 12);
    expect(y.value).toBeCloseTo(0.475, 12);
    expect(y).toMatchObject({ biasCorrected: false, yatesCorrected: true });
    // Bergsma: φ̃² = 0.25 − 1/79 = 0.237342; k̃ − 1 = r̃ − 1 = 1 − 1/79 = 0.987342; V = √(0.240385) = 0.490290.
    expect(cramersVWith(xs, ys).value).toBeCloseTo(Math.sqrt((0.25 - 1 / 79) / (1 - 1 / 79)), 12);
    expect(cramersVWith(xs, ys)).toMatchObject({ biasCorrected: true, yatesCorrected: false });
    // Both: φ̃² = 0.225625 − 1/79 = 0.212967; V = √(0.212967/0.987342) = 0.464432.
    expect(cramersVWith(xs, ys, { yates: true }).value).toBeCloseTo(0.464432, 6);
    // The default figure is Bergsma without Yates, as documented.
    expect(cramersV(xs, ys)).toBe(cramersVWith(xs, ys, { biasCorrected: true, yates: false }).value);
  });

  it('3×2 by hand: χ² = 4·5²/15 = 6.667, plain V = 0.2722; Yates is refused, naming the table shape', () => {
    const [a, b] = columns([
      [10, 20],
      [20, 10],
      [15, 15],
    ]);
    expect(cramersVWith(a, b, { biasCorrected: false }).value).toBeCloseTo(Math.sqrt(6.666666666666667 / 90), 12);
    expect(cramersVWith(a, b, { biasCorrected: false }).value).toBeCloseTo(0.272166, 6);
    expect(() => cramersVWith(a, b, { yates: true })).toThrow(InputError);
    expect(() => cramersVWith(a, b, { yates: true })).toThrow(/2×2.*3×2/);
  });

  it('the proxy report and the model card say which corrections apply', () => {
    const rows: ProxyRow[] = xs.map((x, i) => ({ protected: ys[i], features: { zip: x } }));
    const r = detectProxies(rows, ['zip'], { cramersV: 0.3, eta: 0.3, auc: 0.99 });
    expect(r.perFeature[0]).toMatchObject({ cramersVCorrections: { biasCorrected: true, yatesCorrected: false } });
    expect(r.perFeature[0].cramersV).toBeCloseTo(0.49029, 6);
    expect(proxyModelCardRows(r)[0].statistic).toBe("Cramér's V (Bergsma bias-corrected; no Yates correction)");
  });
});
