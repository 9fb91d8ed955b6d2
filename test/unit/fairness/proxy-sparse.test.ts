/**
 * The joint proxy model (cross-validated AUC of a logistic regression) runs on a sparse design: one
 * entry per categorical feature per row instead of one per level. It must give exactly what the dense
 * regression gives. The reference here is written out in full, densely (one-hot columns, every product
 * summed), as the module computed it before, and compared for equality on random tables (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, crossValidatedAuc, type FeatureValue, type ProxyRow } from '../../../src/fairness/proxy-detection';
import { seededRandom } from '../../../src/fairness/stats';

const cat = (v: FeatureValue | undefined) => (v === null || v === undefined || v === '' ? '(missing)' : String(v));

function denseDesign(rows: ProxyRow[], features: string[]): number[][] {
  const cols: ((r: ProxyRow) => number)[] = [];
  for (const f of features) {
    const vals = rows.map((r) => r.features[f]);
    const numeric =
      vals.some((v) => typeof v === 'number') &&
      vals.every((v) => v === null || v === undefined || (typeof v === 'number' && Number.isFinite(v)));
    if (numeric) {
      const nums = vals.filter((v): v is number => typeof v === 'number');
      const m = nums.reduce((a, b) => a + b, 0) / nums.length;
      const sd = Math.sqrt(nums.reduce((a, v) => a + (v - m) ** 2, 0) / nums.length) || 1;
      cols.push((r) => (typeof r.features[f] === 'number' ? ((r.features[f] as number) - m) / sd : 0));
      if (nums.length < rows.length) cols.push((r) => (typeof r.features[f] === 'number' ? 0 : 1));
    } else {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(cat(r.features[f]), (counts.get(cat(r.features[f])) ?? 0) + 1);
      for (const [level] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 50))
        cols.push((r) => (cat(r.features[f]) === level ? 1 : 0));
    }
  }
  return rows.map((r) => cols.map((c) => c(r)));
}

function denseCvAuc(rows: ProxyRow[], features: string[], group: string, k: number, seed: number, epochs: number) {
  const X = denseDesign(rows, features);
  const y = rows.map((r) => (r.protected === group ? 1 : 0) as 0 | 1);
  const n = rows.length;
  const rnd = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Array<number>(n);
  order.forEach((row, i) => (fold[row] = i % k));
  const p = X[0].length;
  const scores = new Array<number>(n).fill(0);
  for (let f = 0; f < k; f++) {
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => fold[i] !== f); // in row order
    const w = new Array<number>(p + 1).fill(0);
    for (let e = 0; e < epochs; e++) {
      const g = new Array<number>(p + 1).fill(0);
      for (const i of train) {
        let z = w[0];
        for (let j = 0; j < p; j++) z += w[j + 1] * X[i][j];
        const err = 1 / (1 + Math.exp(-z)) - y[i];
        g[0] += err;
        for (let j = 0; j < p; j++) g[j + 1] += err * X[i][j];
      }
      for (let j = 0; j <= p; j++) w[j] -= 0.5 * (g[j] / train.length + (j ? 1e-3 * w[j] : 0));
    }
    for (let i = 0; i < n; i++)
      if (fold[i] === f) {
        let z = w[0];
        for (let j = 0; j < p; j++) z += w[j + 1] * X[i][j];
        scores[i] = z;
      }
  }
  return auc(scores, y);
}

const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e') },
  { weight: 1, arbitrary: fc.constantFrom(null, '') },
);
const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -50, max: 50 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const table = fc.array(fc.record({ g: fc.constantFrom('A', 'B', 'C'), c1: value, c2: value, n1: number }), {
  minLength: 10,
  maxLength: 80,
});

describe('the sparse joint proxy model equals the dense regression', () => {
  it('gives the identical cross-validated AUC on random mixed tables (fast-check)', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 5 }), (t, seed, k) => {
        const rows: ProxyRow[] = t.map((r) => ({ protected: r.g, features: { c1: r.c1, c2: r.c2, n1: r.n1 } }));
        for (const features of [['c1'], ['n1'], ['c1', 'n1', 'c2']])
          expect(crossValidatedAuc(rows, features, 'A', k, seed, 30)).toBe(
            denseCvAuc(rows, features, 'A', k, seed, 30),
          );
      }),
      { numRuns: 60 },
    );
  });

  it('keeps at most 50 levels of a categorical feature, as the dense design did', () => {
    const rnd = seededRandom(7);
    const rows: ProxyRow[] = Array.from({ length: 400 }, () => {
      const g = rnd() < 0.5 ? 'A' : 'B';
      return { protected: g, features: { many: `v${Math.floor(rnd() * 80)}${g === 'A' && rnd() < 0.3 ? 'x' : ''}` } };
    });
    expect(crossValidatedAuc(rows, ['many'], 'A', 5, 3, 40)).toBe(denseCvAuc(rows, ['many'], 'A', 5, 3, 40));
  });
});
