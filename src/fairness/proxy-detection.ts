/**
 * Proxy detection: how strongly each feature (and all features together) reveals a protected
 * attribute. Categorical features: bias-corrected Cramér's V (Bergsma 2013) and mutual information in
 * bits; numeric features: the correlation ratio η and mutual information after quantile binning.
 * Together: cross-validated AUC of a logistic regression predicting membership of each protected
 * group (one-vs-rest) from all features (one-hot categoricals, standardised numerics), k-fold with a
 * seeded split. Features above the thresholds are flagged; `proxyModelCardRows` gives the model card
 * its table. O(n × features) per statistic; the regression O(k × epochs × n × features) (sparse rows).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { seededRandom } from './stats';

export type FeatureValue = string | number | null;
export interface ProxyRow {
  protected: string;
  features: Record<string, FeatureValue>;
}

const MISSING = '(missing)';

function table(xs: string[], ys: string[]) {
  const xi = new Map<string, number>();
  const yi = new Map<string, number>();
  for (const x of xs) if (!xi.has(x)) xi.set(x, xi.size);
  for (const y of ys) if (!yi.has(y)) yi.set(y, yi.size);
  const t = Array.from({ length: xi.size }, () => new Float64Array(yi.size));
  xs.forEach((x, i) => t[xi.get(x)!][yi.get(ys[i])!]++);
  return t;
}

function sameLength(a: unknown[], b: unknown[], what: string): void {
  if (a.length !== b.length)
    throw new InputError(msg('fairness.lengthMismatch', { what, a: a.length, b: b.length }), [
      { field: what, expected: 'two lists of the same length', got: `${a.length} and ${b.length}` },
    ]);
}

/** Which corrections a Cramér's V carries: Bergsma's small-sample bias correction, Yates's continuity correction (2×2 only). */
export interface CramersVCorrections {
  biasCorrected: boolean;
  yatesCorrected: boolean;
}

export interface CramersVResult extends CramersVCorrections {
  value: number;
  /** Pearson's χ² (Yates-corrected when yatesCorrected). */
  chi2: number;
  n: number;
  rows: number;
  columns: number;
}

/**
 * Cramér's V, stating its corrections. Plain: V = √(χ²/n / min(k−1, r−1)). Bias-corrected (Bergsma
 * 2013): φ̃² = max(0, χ²/n − (k−1)(r−1)/(n−1)), r̃ = r − (r−1)²/(n−1), k̃ = k − (k−1)²/(n−1),
 * V = √(φ̃² / min(k̃−1, r̃−1)). Yates (only defined for 2×2): each |O − E| is reduced by ½ (not below 0)
 * before squaring. O(n + r × k).
 */
export function cramersVWith(
  xs: string[],
  ys: string[],
  opts: { biasCorrected?: boolean; yates?: boolean } = {},
): CramersVResult {
  sameLength(xs, ys, 'cramersV');
  const biasCorrected = opts.biasCorrected ?? true;
  const t = table(xs, ys);
  const n = xs.length;
  const r = t.length;
  const k = t[0]?.length ?? 0;
  if (opts.yates && !(r === 2 && k === 2)) {
    throw new InputError(msg('fairness.yatesNot2x2', { rows: r, columns: k }), [
      { field: 'yates', expected: 'a 2×2 table', got: `${r}×${k}` },
    ]);
  }
  const yatesCorrected = !!opts.yates;
  const out = { biasCorrected, yatesCorrected, n, rows: r, columns: k };
  if (n < 2 || r < 2 || k < 2) return { ...out, value: 0, chi2: 0 };
  const rowSum = t.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: k }, (_, j) => t.reduce((a, row) => a + row[j], 0));
  let chi2 = 0;
  for (let i = 0; i < r; i++)
    for (let j = 0; j < k; j++) {
      const e = (rowSum[i] * colSum[j]) / n;
      const dev = yatesCorrected ? Math.max(0, Math.abs(t[i][j] - e) - 0.5) : t[i][j] - e;
      if (e > 0) chi2 += dev ** 2 / e;
    }
  const phi2 = chi2 / n;
  if (!biasCorrected) return { ...out, chi2, value: Math.sqrt(phi2 / Math.min(k - 1, r - 1)) };
  const phi2c = Math.max(0, phi2 - ((k - 1) * (r - 1)) / (n - 1));
  const rc = r - (r - 1) ** 2 / (n - 1);
  const kc = k - (k - 1) ** 2 / (n - 1);
  const d = Math.min(kc - 1, rc - 1);
  return { ...out, chi2, value: d > 0 ? Math.sqrt(phi2c / d) : 0 };
}

/** Bias-corrected (Bergsma 2013) Cramér's V WITHOUT Yates's correction: the figure proxy detection reports. */
export function cramersV(xs: string[], ys: string[]): number {
  return cramersVWith(xs, ys).value;
}

/** The corrections behind every `cramersV` this module reports. */
export const PROXY_CRAMERS_V: CramersVCorrections = { biasCorrected: true, yatesCorrected: false };

/** Mutual information in bits. */
export function mutualInformation(xs: string[], ys: string[]): number {
  sameLength(xs, ys, 'mutualInformation');
  const t = table(xs, ys);
  const n = xs.length;
  const rowSum = t.map((row) => row.reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: t[0]?.length ?? 0 }, (_, j) => t.reduce((a, row) => a + row[j], 0));
  let mi = 0;
  t.forEach((row, i) =>
    row.forEach((c, j) => {
      if (c > 0) mi += (c / n) * Math.log2((c * n) / (rowSum[i] * colSum[j]));
    }),
  );
  return Math.max(0, mi);
}

/** Correlation ratio η of a numeric variable across categories: √(between-group SS ÷ total SS). */
export function correlationRatio(categories: string[], values: number[]): number {
  sameLength(categories, values, 'correlationRatio');
  const n = values.length;
  if (n === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const groups = new Map<string, number[]>();
  categories.forEach((c, i) => {
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c)!.push(values[i]);
  });
  let between = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    between += g.length * (m - mean) ** 2;
  }
  const total = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return total > 0 ? Math.sqrt(between / total) : 0;
}

/** Quantile bins of numeric values (ties stay in one bin), as bin labels "q0" … for mutual information. O(n log n). */
export function quantileBins(values: number[], bins = 10): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let b = 1; b < bins; b++) cuts.push(sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]);
  const uniq = [...new Set(cuts)];
  return values.map((v) => {
    let lo = 0,
      hi = uniq.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < uniq[mid]) hi = mid;
      else lo = mid + 1;
    }
    return `q${lo}`;
  });
}

/** Area under the ROC curve by the rank-sum (ties averaged). O(n log n). */
export function auc(scores: number[], labels: (0 | 1)[]): number {
  const idx = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0,
    pos = 0,
    neg = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if (idx[k][1] === 1) {
        rankSumPos += avgRank;
        pos++;
      } else neg++;
    i = j;
  }
  return pos && neg ? (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg) : 0.5;
}

function isNumeric(rows: ProxyRow[], f: string): boolean {
  let any = false;
  for (const r of rows) {
    const v = r.features[f];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      any = true;
    } else if (v !== null && v !== undefined) return false;
  }
  return any;
}

const cat = (v: FeatureValue | undefined) => (v === null || v === undefined || v === '' ? MISSING : String(v));

/**
 * Design matrix, sparse by row (CSR): standardised numerics (missing → 0 plus a missing indicator),
 * one-hot categoricals (≤ 50 levels). Columns are numbered in feature order as a dense matrix would be,
 * and each row lists only its non-zero entries in column order, so the regression adds the same terms in
 * the same order as over the dense matrix (zero terms change no sum): identical results. A categorical
 * feature puts one entry per row instead of one per level, so a row costs O(features), not O(columns).
 */
interface Design {
  n: number;
  /** Columns (the dense width). */
  p: number;
  /** Row i's entries are at [start[i], start[i + 1]). */
  start: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function design(rows: ProxyRow[], features: string[]): Design {
  const n = rows.length;
  // Per feature, the value of each row's entry and its column (or -1: none), built column-block by block.
  const blocks: { col: Int32Array; val: Float64Array }[] = [];
  let p = 0;
  for (const f of features) {
    if (isNumeric(rows, f)) {
      const nums = rows.map((r) => r.features[f]).filter((v): v is number => typeof v === 'number');
      const m = nums.reduce((a, b) => a + b, 0) / (nums.length || 1);
      const sd = Math.sqrt(nums.reduce((a, v) => a + (v - m) ** 2, 0) / (nums.length || 1)) || 1;
      const hasMissing = nums.length < n;
      const std = { col: new Int32Array(n).fill(-1), val: new Float64Array(n) };
      // The missing indicator's column only when some row lacks the value (as the dense design had it).
      const missing = hasMissing ? { col: new Int32Array(n).fill(-1), val: new Float64Array(n).fill(1) } : undefined;
      rows.forEach((r, i) => {
        const v = r.features[f];
        if (typeof v === 'number') {
          const z = (v - m) / sd;
          if (z !== 0) ((std.col[i] = p), (std.val[i] = z));
        } else if (missing) missing.col[i] = p + 1;
      });
      blocks.push(std);
      if (missing) blocks.push(missing);
      p += hasMissing ? 2 : 1;
    } else {
      const counts = new Map<string, number>();
      const levels = rows.map((r) => cat(r.features[f]));
      for (const v of levels) counts.set(v, (counts.get(v) ?? 0) + 1);
      const colOf = new Map<string, number>();
      for (const [level] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 50)) colOf.set(level, p + colOf.size);
      const oneHot = { col: new Int32Array(n).fill(-1), val: new Float64Array(n).fill(1) };
      levels.forEach((v, i) => (oneHot.col[i] = colOf.get(v) ?? -1));
      blocks.push(oneHot);
      p += colOf.size;
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (const b of blocks) if (b.col[i] >= 0) k++;
    start[i + 1] = start[i] + k;
  }
  const col = new Int32Array(start[n]);
  const val = new Float64Array(start[n]);
  for (let i = 0, at = 0; i < n; i++)
    for (const b of blocks)
      if (b.col[i] >= 0) {
        col[at] = b.col[i];
        val[at++] = b.val[i];
      }
  return { n, p, start, col, val };
}

function foldsFor(n: number, k: number, seed: number): Int32Array {
  // A seeded permutation dealt round-robin: folds of equal size (±1).
  const rnd = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(n);
  order.forEach((row, i) => {
    fold[row] = i % k;
  });
  return fold;
}

/** Out-of-fold scores of an L2 logistic regression (full-batch gradient descent). O(k × epochs × non-zero entries). */
function cvScores(X: Design, y: (0 | 1)[], fold: Int32Array, k: number, epochs: number): number[] {
  const { n, p, start, col, val } = X;
  const scores = new Array<number>(n).fill(0);
  const score = (w: Float64Array, i: number) => {
    let z = w[0];
    for (let e = start[i]; e < start[i + 1]; e++) z += w[col[e] + 1] * val[e];
    return z;
  };
  const train = new Int32Array(n);
  for (let f = 0; f < k; f++) {
    let m = 0;
    for (let i = 0; i < n; i++) if (fold[i] !== f) train[m++] = i;
    if (!m) continue;
    const w = new Float64Array(p + 1);
    const grad = new Float64Array(p + 1);
    for (let epoch = 0; epoch < epochs; epoch++) {
      grad.fill(0);
      for (let t = 0; t < m; t++) {
        const i = train[t];
        const from = start[i],
          to = start[i + 1];
        let z = w[0];
        for (let e = from; e < to; e++) z += w[col[e] + 1] * val[e];
        const err = 1 / (1 + Math.exp(-z)) - y[i];
        grad[0] += err;
        for (let e = from; e < to; e++) grad[col[e] + 1] += err * val[e];
      }
      for (let j = 0; j <= p; j++) w[j] -= 0.5 * (grad[j] / m + (j ? 1e-3 * w[j] : 0));
    }
    for (let i = 0; i < n; i++) if (fold[i] === f) scores[i] = score(w, i);
  }
  return scores;
}

/** k-fold cross-validated AUC of an L2 logistic regression predicting `positiveGroup` vs the rest. Seeded. */
export function crossValidatedAuc(
  rows: ProxyRow[],
  features: string[],
  positiveGroup: string,
  k = 5,
  seed = 1,
  epochs = 200,
): number {
  if (rows.length < k)
    throw new InputError(msg('fairness.cvTooFewRows', { k }), [
      { field: 'rows', expected: `≥ ${k} rows`, got: String(rows.length) },
    ]);
  const X = design(rows, features);
  const y = rows.map((r) => (r.protected === positiveGroup ? 1 : 0) as 0 | 1);
  return auc(cvScores(X, y, foldsFor(rows.length, k, seed), k, epochs), y);
}

export interface ProxyThresholds {
  /** Flag a categorical feature at or above this bias-corrected Cramér's V (default 0.3). */
  cramersV: number;
  /** Flag a numeric feature at or above this correlation ratio (default 0.3). */
  eta: number;
  /** Flag the feature set when any group's cross-validated AUC reaches this (default 0.7). */
  auc: number;
  /** Optionally also flag any feature whose mutual information (bits) reaches this. */
  mutualInformationBits?: number;
}

export interface FeatureProxy {
  feature: string;
  kind: 'numeric' | 'categorical';
  /** Bias-corrected (Bergsma 2013), no Yates correction: see `cramersVCorrections`. */
  cramersV?: number;
  cramersVCorrections?: CramersVCorrections;
  eta?: number;
  mutualInformationBits: number;
  /** Rows where the feature was missing (numeric: left out of η; categorical: their own level). */
  missing: number;
  flagged: boolean;
  reasons: string[];
}

export interface ProxyReport {
  thresholds: ProxyThresholds;
  rows: number;
  groups: { group: string; n: number }[];
  /** The most frequent protected group (whose one-vs-rest AUC is `jointAuc`). */
  predictedGroup: string;
  perFeature: FeatureProxy[];
  jointAuc: number;
  /** One-vs-rest AUC for every group with at least `minGroup` members. */
  perGroupAuc: { group: string; auc: number }[];
  jointAucMax: number;
  jointFlagged: boolean;
  flaggedFeatures: string[];
  config: { folds: number; seed: number; epochs: number; bins: number };
}

export interface ProxyOptions {
  folds?: number;
  seed?: number;
  epochs?: number;
  bins?: number;
  minGroup?: number;
}

export function detectProxies(
  rows: ProxyRow[],
  features: string[],
  t: ProxyThresholds = { cramersV: 0.3, eta: 0.3, auc: 0.7 },
  seedOrOpts: number | ProxyOptions = 1,
): ProxyReport {
  const o: ProxyOptions = typeof seedOrOpts === 'number' ? { seed: seedOrOpts } : seedOrOpts;
  const folds = o.folds ?? 5,
    seed = o.seed ?? 1,
    epochs = o.epochs ?? 200,
    bins = o.bins ?? 10,
    minGroup = o.minGroup ?? 10;
  if (!rows.length)
    throw new InputError(msg('fairness.proxyNoRows'), [{ field: 'rows', expected: 'at least one row' }]);
  rows.forEach((r, i) => {
    if (typeof r.protected !== 'string' || r.protected === '')
      throw new InputError(msg('fairness.proxyNoProtected', { row: i + 1 }), [
        { row: i + 1, field: 'protected', expected: 'a group label', got: String(r.protected) },
      ]);
  });
  const groups = rows.map((r) => r.protected);
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  const groupList = [...counts].sort((a, b) => b[1] - a[1]).map(([group, n]) => ({ group, n }));
  const majority = groupList[0].group;
  const perFeature: FeatureProxy[] = features.map((f) => {
    const vals = rows.map((r) => r.features[f]);
    if (isNumeric(rows, f)) {
      const keep = vals.map((v, i) => [v, groups[i]] as const).filter(([v]) => typeof v === 'number') as [
        number,
        string,
      ][];
      const eta = correlationRatio(
        keep.map((x) => x[1]),
        keep.map((x) => x[0]),
      );
      const mi = mutualInformation(
        quantileBins(
          keep.map((x) => x[0]),
          bins,
        ),
        keep.map((x) => x[1]),
      );
      const reasons = [
        ...(eta >= t.eta ? [`η ${eta.toFixed(3)} ≥ ${t.eta}`] : []),
        ...(t.mutualInformationBits !== undefined && mi >= t.mutualInformationBits
          ? [`MI ${mi.toFixed(3)} bits ≥ ${t.mutualInformationBits}`]
          : []),
      ];
      return {
        feature: f,
        kind: 'numeric' as const,
        eta,
        mutualInformationBits: mi,
        missing: rows.length - keep.length,
        flagged: reasons.length > 0,
        reasons,
      };
    }
    const xs = vals.map(cat);
    const v = cramersV(xs, groups);
    const mi = mutualInformation(xs, groups);
    const reasons = [
      ...(v >= t.cramersV ? [`bias-corrected Cramér's V ${v.toFixed(3)} ≥ ${t.cramersV}`] : []),
      ...(t.mutualInformationBits !== undefined && mi >= t.mutualInformationBits
        ? [`MI ${mi.toFixed(3)} bits ≥ ${t.mutualInformationBits}`]
        : []),
    ];
    return {
      feature: f,
      kind: 'categorical' as const,
      cramersV: v,
      cramersVCorrections: PROXY_CRAMERS_V,
      mutualInformationBits: mi,
      missing: xs.filter((x) => x === MISSING).length,
      flagged: reasons.length > 0,
      reasons,
    };
  });
  // Joint: one design matrix and one fold split shared by every one-vs-rest model.
  let perGroupAuc: { group: string; auc: number }[] = [];
  if (features.length && rows.length >= folds) {
    const X = design(rows, features);
    const fold = foldsFor(rows.length, folds, seed);
    const targets =
      groupList.length === 2 ? [groupList[0]] : groupList.filter((g) => g.n >= minGroup && g.n < rows.length);
    perGroupAuc = targets.map(({ group }) => {
      const y = rows.map((r) => (r.protected === group ? 1 : 0) as 0 | 1);
      return { group, auc: auc(cvScores(X, y, fold, folds, epochs), y) };
    });
  }
  const jointAuc = perGroupAuc.find((g) => g.group === majority)?.auc ?? 0.5;
  const jointAucMax = perGroupAuc.reduce((m, g) => Math.max(m, g.auc), 0.5);
  return {
    thresholds: t,
    rows: rows.length,
    groups: groupList,
    predictedGroup: majority,
    perFeature,
    jointAuc,
    perGroupAuc,
    jointAucMax,
    jointFlagged: jointAucMax >= t.auc,
    flaggedFeatures: perFeature.filter((p) => p.flagged).map((p) => p.feature),
    config: { folds, seed, epochs, bins },
  };
}

/** The model card's proxy table: one row per feature plus the joint row. */
export function proxyModelCardRows(
  r: ProxyReport,
): { feature: string; statistic: string; value: number; threshold: number | null; flagged: boolean; note: string }[] {
  const rows = r.perFeature.map((p) => ({
    feature: p.feature,
    statistic:
      p.kind === 'numeric' ? 'correlation ratio η' : "Cramér's V (Bergsma bias-corrected; no Yates correction)",
    value: (p.kind === 'numeric' ? p.eta : p.cramersV) ?? 0,
    threshold: p.kind === 'numeric' ? r.thresholds.eta : r.thresholds.cramersV,
    flagged: p.flagged,
    note: `${p.mutualInformationBits.toFixed(3)} bits of mutual information${p.missing ? `; ${p.missing} missing` : ''}${p.reasons.length ? `; flagged: ${p.reasons.join(', ')}` : ''}`,
  }));
  const best = r.perGroupAuc.reduce<{ group: string; auc: number } | null>(
    (m, g) => (!m || g.auc > m.auc ? g : m),
    null,
  );
  rows.push({
    feature: '(all features together)',
    statistic: `${r.config.folds}-fold cross-validated AUC, logistic regression (seed ${r.config.seed})`,
    value: r.jointAucMax,
    threshold: r.thresholds.auc,
    flagged: r.jointFlagged,
    note: best
      ? `best predicted group: ${best.group} (AUC ${best.auc.toFixed(3)}); ${r.perGroupAuc.map((g) => `${g.group} ${g.auc.toFixed(3)}`).join(', ')}`
      : 'not enough rows for cross-validation',
  });
  return rows;
}
