/**
 * Proxy detection: how strongly each feature (and all features together) reveals a protected
 * attribute. Categorical features: bias-corrected Cramér's V (Bergsma 2013) and mutual information in
 * bits; numeric features: the correlation ratio η. Together: cross-validated AUC of a logistic
 * regression predicting membership of the most frequent protected group from all features (one-hot
 * categoricals, standardised numerics), k-fold with a seeded split. Features above the thresholds are
 * flagged for the model card. O(n × features) per statistic; the regression O(n × features × epochs).
 */
import { prng } from '../forecast/hotspot-metrics';

export type FeatureValue = string | number | null;
export interface ProxyRow { protected: string; features: Record<string, FeatureValue> }

function table(xs: string[], ys: string[]) {
  const xi = new Map<string, number>();
  const yi = new Map<string, number>();
  for (const x of xs) if (!xi.has(x)) xi.set(x, xi.size);
  for (const y of ys) if (!yi.has(y)) yi.set(y, yi.size);
  const t = Array.from({ length: xi.size }, () => new Float64Array(yi.size));
  xs.forEach((x, i) => t[xi.get(x)!][yi.get(ys[i])!]++);
  return t;
}

/** Bias-corrected Cramér's V (Bergsma 2013). */
export function cramersV(xs: string[], ys: string[]): number {
  const t = table(xs, ys);
  const n = xs.length;
  const r = t.length;
  const k = t[0]?.length ?? 0;
  if (n < 2 || r < 2 || k < 2) return 0;
  const rowSum = t.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: k }, (_, j) => t.reduce((a, row) => a + row[j], 0));
  let chi2 = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) {
    const e = (rowSum[i] * colSum[j]) / n;
    if (e > 0) chi2 += (t[i][j] - e) ** 2 / e;
  }
  const phi2 = chi2 / n;
  const phi2c = Math.max(0, phi2 - ((k - 1) * (r - 1)) / (n - 1));
  const rc = r - ((r - 1) ** 2) / (n - 1);
  const kc = k - ((k - 1) ** 2) / (n - 1);
  const d = Math.min(kc - 1, rc - 1);
  return d > 0 ? Math.sqrt(phi2c / d) : 0;
}

/** Mutual information in bits. */
export function mutualInformation(xs: string[], ys: string[]): number {
  const t = table(xs, ys);
  const n = xs.length;
  const rowSum = t.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: t[0]?.length ?? 0 }, (_, j) => t.reduce((a, row) => a + row[j], 0));
  let mi = 0;
  t.forEach((row, i) => row.forEach((c, j) => { if (c > 0) mi += (c / n) * Math.log2((c * n) / (rowSum[i] * colSum[j])); }));
  return mi;
}

/** Correlation ratio η of a numeric variable across categories. */
export function correlationRatio(categories: string[], values: number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const groups = new Map<string, number[]>();
  categories.forEach((c, i) => { if (!groups.has(c)) groups.set(c, []); groups.get(c)!.push(values[i]); });
  let between = 0;
  for (const g of groups.values()) { const m = g.reduce((a, b) => a + b, 0) / g.length; between += g.length * (m - mean) ** 2; }
  const total = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return total > 0 ? Math.sqrt(between / total) : 0;
}

/** Area under the ROC curve by the rank-sum (ties averaged). O(n log n). */
export function auc(scores: number[], labels: (0 | 1)[]): number {
  const idx = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0, pos = 0, neg = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (idx[k][1] === 1) { rankSumPos += avgRank; pos++; } else neg++;
    i = j;
  }
  return pos && neg ? (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg) : 0.5;
}

function design(rows: ProxyRow[], features: string[]) {
  const cols: ((r: ProxyRow) => number)[] = [];
  for (const f of features) {
    const vals = rows.map((r) => r.features[f]);
    if (vals.every((v) => typeof v === 'number' || v === null)) {
      const nums = vals.filter((v): v is number => typeof v === 'number');
      const m = nums.reduce((a, b) => a + b, 0) / (nums.length || 1);
      const sd = Math.sqrt(nums.reduce((a, v) => a + (v - m) ** 2, 0) / (nums.length || 1)) || 1;
      cols.push((r) => (typeof r.features[f] === 'number' ? ((r.features[f] as number) - m) / sd : 0));
    } else for (const level of [...new Set(vals.map(String))].slice(0, 50)) cols.push((r) => (String(r.features[f]) === level ? 1 : 0));
  }
  return rows.map((r) => cols.map((c) => c(r)));
}

/** k-fold cross-validated AUC of logistic regression (gradient descent, L2) predicting the protected group. */
export function crossValidatedAuc(rows: ProxyRow[], features: string[], positiveGroup: string, k = 5, seed = 1): number {
  const X = design(rows, features);
  const y = rows.map((r) => (r.protected === positiveGroup ? 1 : 0) as 0 | 1);
  const rnd = prng(seed);
  const fold = rows.map(() => Math.floor(rnd() * k));
  const scores = new Array<number>(rows.length).fill(0);
  for (let f = 0; f < k; f++) {
    const train = X.map((x, i) => i).filter((i) => fold[i] !== f);
    const w = new Float64Array((X[0]?.length ?? 0) + 1);
    for (let epoch = 0; epoch < 200; epoch++) {
      const grad = new Float64Array(w.length);
      for (const i of train) {
        let z = w[0];
        for (let j = 0; j < X[i].length; j++) z += w[j + 1] * X[i][j];
        const err = 1 / (1 + Math.exp(-z)) - y[i];
        grad[0] += err;
        for (let j = 0; j < X[i].length; j++) grad[j + 1] += err * X[i][j];
      }
      for (let j = 0; j < w.length; j++) w[j] -= (0.5 * (grad[j] / train.length + (j ? 1e-3 * w[j] : 0)));
    }
    X.forEach((x, i) => { if (fold[i] === f) { let z = w[0]; for (let j = 0; j < x.length; j++) z += w[j + 1] * x[j]; scores[i] = z; } });
  }
  return auc(scores, y);
}

export interface ProxyThresholds { cramersV: number; eta: number; auc: number }

export function detectProxies(rows: ProxyRow[], features: string[], t: ProxyThresholds = { cramersV: 0.3, eta: 0.3, auc: 0.7 }, seed = 1) {
  const groups = rows.map((r) => r.protected);
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  const majority = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const perFeature = features.map((f) => {
    const vals = rows.map((r) => r.features[f]);
    const numeric = vals.every((v) => typeof v === 'number' || v === null);
    if (numeric) {
      const keep = vals.map((v, i) => [v, groups[i]] as const).filter(([v]) => typeof v === 'number') as [number, string][];
      const eta = correlationRatio(keep.map((x) => x[1]), keep.map((x) => x[0]));
      return { feature: f, kind: 'numeric' as const, eta, flagged: eta >= t.eta };
    }
    const xs = vals.map(String);
    const v = cramersV(xs, groups);
    return { feature: f, kind: 'categorical' as const, cramersV: v, mutualInformationBits: mutualInformation(xs, groups), flagged: v >= t.cramersV };
  });
  const together = crossValidatedAuc(rows, features, majority, 5, seed);
  return { thresholds: t, predictedGroup: majority, perFeature, jointAuc: together, jointFlagged: together >= t.auc, flaggedFeatures: perFeature.filter((p) => p.flagged).map((p) => p.feature) };
}
