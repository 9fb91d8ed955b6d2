/**
 * Person-level bias audit of a binary decision (e.g. "higher risk" from a risk score) against an
 * outcome. Tables in, tables out — group → bias → fairness:
 *
 *  1. group:    one pass over the rows with integer group codes fills a confusion table (TN, FN, FP, TP)
 *               for every group of every dimension (each attribute, and intersections of attributes);
 *  2. bias:     every rate with its numerator, its own population and a Wilson interval;
 *  3. fairness: disparities against a reference group (named, largest, or best per metric) as ratios
 *               with Katz log intervals and differences with Newcombe intervals, a two-proportion test on
 *               the metric's own population (FPR among actual negatives, FNR among actual positives, …;
 *               Fisher's exact test when counts are small), and a pass/fail verdict within a band
 *               (default 0.8–1.25) only where both groups are large enough to estimate.
 *
 * Rows with a missing group label are never silently dropped: policy 'report' keeps them as their
 * own group "(missing)", policy 'exclude' leaves them out of that dimension; the count is always in
 * the output. The audit returns the guidance table saying which metric matters when.
 */
import { InputError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import {
  compareProportions,
  katzRatioInterval,
  newcombeDifferenceInterval,
  wilson,
  zFor,
  type Interval,
  type ProportionTest,
} from './stats';

export const METRICS = ['TPR', 'TNR', 'FPR', 'FNR', 'FDR', 'FOR', 'PPV', 'NPV', 'prevalence', 'PPR'] as const;
export type Metric = (typeof METRICS)[number];

/** What each metric measures and in which population: shown beside every table. */
export const METRIC_INFO: Record<
  Metric,
  { name: string; numerator: string; population: string; better: 'lower' | 'higher' | 'none' }
> = {
  TPR: {
    name: 'true positive rate (sensitivity, recall)',
    numerator: 'TP',
    population: 'actual positives (TP + FN)',
    better: 'higher',
  },
  TNR: {
    name: 'true negative rate (specificity)',
    numerator: 'TN',
    population: 'actual negatives (TN + FP)',
    better: 'higher',
  },
  FPR: { name: 'false positive rate', numerator: 'FP', population: 'actual negatives (TN + FP)', better: 'lower' },
  FNR: { name: 'false negative rate', numerator: 'FN', population: 'actual positives (TP + FN)', better: 'lower' },
  FDR: { name: 'false discovery rate', numerator: 'FP', population: 'people flagged (TP + FP)', better: 'lower' },
  FOR: { name: 'false omission rate', numerator: 'FN', population: 'people not flagged (TN + FN)', better: 'lower' },
  PPV: {
    name: 'precision (positive predictive value)',
    numerator: 'TP',
    population: 'people flagged (TP + FP)',
    better: 'higher',
  },
  NPV: {
    name: 'negative predictive value',
    numerator: 'TN',
    population: 'people not flagged (TN + FN)',
    better: 'higher',
  },
  prevalence: {
    name: 'prevalence (base rate of the outcome)',
    numerator: 'TP + FN',
    population: 'everyone in the group',
    better: 'none',
  },
  PPR: {
    name: 'predicted positive rate (share of the group flagged)',
    numerator: 'TP + FP',
    population: 'everyone in the group',
    better: 'none',
  },
};

export interface Counts {
  TP: number;
  FP: number;
  TN: number;
  FN: number;
}

/** Numerator and population of a metric: tests and intervals use the metric's own population. */
export function metricFraction(m: Metric, c: Counts): [numerator: number, population: number] {
  switch (m) {
    case 'TPR':
      return [c.TP, c.TP + c.FN];
    case 'TNR':
      return [c.TN, c.TN + c.FP];
    case 'FPR':
      return [c.FP, c.FP + c.TN];
    case 'FNR':
      return [c.FN, c.FN + c.TP];
    case 'FDR':
      return [c.FP, c.FP + c.TP];
    case 'FOR':
      return [c.FN, c.FN + c.TN];
    case 'PPV':
      return [c.TP, c.TP + c.FP];
    case 'NPV':
      return [c.TN, c.TN + c.FN];
    case 'prevalence':
      return [c.TP + c.FN, c.TP + c.FP + c.TN + c.FN];
    case 'PPR':
      return [c.TP + c.FP, c.TP + c.FP + c.TN + c.FN];
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** One person. `predicted` (0/1) or `score` (thresholded with `AuditOptions.threshold`). */
export interface AuditRow {
  /** 1 = the decision flagged the person (e.g. Medium/High risk). */
  predicted?: 0 | 1 | boolean;
  /** A numeric risk score; flagged when score ≥ `threshold`. Used only when `predicted` is absent. */
  score?: number;
  /** 1 = the outcome happened (e.g. re-offended within two years). */
  label: 0 | 1 | boolean;
  /** Group attributes, e.g. { race: 'Caucasian', sex: 'Male' }; null, undefined or '' = missing label. */
  groups: Record<string, string | null | undefined>;
}

/**
 * A group attribute as integer codes (the fast path). `codes[i]` indexes `levels`; any code outside
 * 0 … levels.length − 1 (e.g. −1, or 255 in a Uint8Array) means the label is missing for row i.
 */
export interface AttributeColumn {
  name: string;
  levels: readonly string[];
  codes: ArrayLike<number>;
}

/** Columnar input: one entry per person in each array. Nonzero = flagged / outcome happened. */
export interface AuditColumns {
  predicted: ArrayLike<number>;
  label: ArrayLike<number>;
  attributes: AttributeColumn[];
}

export type ReferenceRule =
  /** A named group; per dimension key (e.g. { race: 'Caucasian' }) or one name tried in every dimension. */
  | { mode: 'named'; group: string | Record<string, string> }
  | { mode: 'largest' }
  /** Per metric, the estimable group with the best value (lowest error rate, highest TPR/TNR/PPV/NPV). */
  | { mode: 'best' };

export type MissingPolicy = 'report' | 'exclude';

export interface AuditOptions {
  /** Attributes to audit (row input: required; columns: default all columns, in order). */
  attributes?: string[];
  /** Intersections: true = all attributes together; or explicit lists such as [['race', 'sex']]. */
  intersections?: boolean | string[][];
  /** Default: the largest group. */
  reference?: ReferenceRule;
  /** Ratio band for a pass; default [0.8, 1.25]. */
  band?: [number, number];
  /** Groups with fewer people, or metric populations smaller than this, get no verdict. Default 30. */
  minGroupSize?: number;
  /** Rows with a missing group label: 'report' as the group "(missing)" (default) or 'exclude' (counted). */
  missing?: MissingPolicy;
  /** Significance level of the tests; default 0.05. */
  alpha?: number;
  /** Interval confidence; default 0.95. */
  confidence?: number;
  /** A ratio outside the band fails only if the test is also significant. Default false. */
  requireSignificance?: boolean;
  /** Fisher's exact test when an expected 2×2 cell is below this; default 5. */
  minExpected?: number;
  /** Row input with `score`: flagged when score ≥ threshold. */
  threshold?: number;
  /**
   * Told after each step, for a progress bar: confusion counts (one pass), the rates of each dimension
   * (done of total dimensions), then the disparities with their intervals and tests.
   */
  progress?: (stage: AuditStage, done: number, total: number) => void;
}

export type AuditStage = 'counting' | 'rates' | 'disparities';

// ---------------------------------------------------------------------------------------------
// Outputs

export interface RateEstimate {
  value: number | null;
  interval: Interval;
  numerator: number;
  population: number;
}

export interface GroupResult {
  /** Display name; intersections join parts with " × "; a missing part is "(missing)". */
  group: string;
  /** The attribute values of this group (null = missing label). */
  parts: Record<string, string | null>;
  missing: boolean;
  n: number;
  counts: Counts;
  rates: Record<Metric, RateEstimate>;
  /** This group's share of everyone flagged in the dimension, and of everyone audited in it. */
  shareOfFlagged: number;
  shareOfFlaggedInterval: Interval;
  shareOfPopulation: number;
  /** n ≥ minGroupSize. Groups that are not estimable get a warning and no verdict. */
  estimable: boolean;
}

export type Verdict = 'pass' | 'fail' | 'insufficient-data' | 'undefined';

export interface Comparison {
  group: string;
  value: number | null;
  /** rate / reference rate. */
  ratio: number | null;
  ratioInterval: Interval | null;
  /** rate − reference rate. */
  difference: number | null;
  differenceInterval: Interval | null;
  test: ProportionTest | null;
  pValue: number | null;
  significant: boolean;
  verdict: Verdict;
  /** Why the verdict is what it is, in words. */
  reason: string;
}

export interface MetricDisparity {
  metric: Metric;
  reference: string | null;
  /** How the reference was chosen, e.g. "named", "largest", "best (lowest FPR)". */
  referenceRule: string;
  referenceValue: number | null;
  groups: Comparison[];
}

export interface RangeSummary {
  min: { group: string; value: number } | null;
  max: { group: string; value: number } | null;
  difference: number | null;
  ratio: number | null;
}

/** Range figures (max − min, min ÷ max) of the common group-fairness metrics over a set of groups. */
export interface RangeFigures {
  /** Max − min and min / max of the predicted positive rate (demographic parity). */
  demographicParity: RangeSummary;
  /** Equalized odds: the larger TPR or FPR gap; ratio is the smaller of the TPR and FPR min/max ratios. */
  equalizedOdds: { difference: number | null; ratio: number | null; tpr: RangeSummary; fpr: RangeSummary };
  /** Equal opportunity: TPR gap. */
  equalOpportunity: RangeSummary;
  /** Predictive parity: PPV gap. */
  predictiveParity: RangeSummary;
  /** Error-rate balance the ProPublica way: FNR gap. */
  fnr: RangeSummary;
  groupsCompared: string[];
}

/**
 * Group-fairness figures of one dimension as Fairlearn defines them (demographic_parity_difference/ratio,
 * equalized_odds_difference/ratio): over ALL groups of the dimension, small ones included and flagged
 * in `smallGroups`. A group whose rate is undefined (no one in the metric's population, e.g. no actual
 * positives for TPR) cannot enter that metric's range and is listed in `undefinedRates`.
 * `estimableGroupsOnly` is a separate figure that leaves out groups too small for a verdict.
 */
export interface FairnessSummary extends RangeFigures {
  /** Groups in these figures with fewer than minGroupSize people: their rates are noisy and get no verdict. */
  smallGroups: { group: string; n: number }[];
  undefinedRates: { metric: Metric; group: string }[];
  /** NOT Fairlearn's definition: only non-missing groups with ≥ minGroupSize people and ≥ minGroupSize in each metric's population. */
  estimableGroupsOnly: RangeFigures & { minGroupSize: number };
}

export interface DimensionResult {
  /** Attribute names joined with "×", e.g. "race" or "race×sex". */
  key: string;
  attributes: string[];
  /** Groups, largest first. */
  groups: GroupResult[];
  disparities: MetricDisparity[];
  summary: FairnessSummary;
  /** Rows with a missing label in any of this dimension's attributes (always reported). */
  missingLabels: number;
  missingPolicy: MissingPolicy;
  /** Rows that entered this dimension's tables (total − missing when excluded). */
  included: number;
  flagged: number;
}

export interface GuidanceRow {
  when: string;
  metric: string;
  metrics: (Metric | 'shareOfFlagged')[];
  why: string;
}

export interface PersonAuditResult {
  total: number;
  flagged: number;
  band: [number, number];
  minGroupSize: number;
  alpha: number;
  confidence: number;
  reference: ReferenceRule;
  dimensions: DimensionResult[];
  smallGroups: { dimension: string; group: string; n: number }[];
  missing: { dimension: string; count: number; policy: MissingPolicy }[];
  warnings: string[];
  guidance: GuidanceRow[];
}

/** Which metric matters: a table returned with every audit. */
export const GUIDANCE: GuidanceRow[] = [
  {
    when: 'punitive intervention (stop, search, detention, denial of bail, stricter supervision)',
    metric: 'FPR and FDR',
    metrics: ['FPR', 'FDR'],
    why: 'the harm falls on people wrongly flagged: compare false positive rates among those who did NOT go on to the outcome, and how many of the flagged were wrong',
  },
  {
    when: 'assistive intervention (support services, victim protection, diversion)',
    metric: 'FNR and TPR',
    metrics: ['FNR', 'TPR'],
    why: 'the harm falls on people wrongly missed: compare who is missed among those who needed the help',
  },
  {
    when: 'the number of people acted on is fixed or capacity-limited',
    metric: 'PPR and share of flagged',
    metrics: ['PPR', 'shareOfFlagged'],
    why: 'demographic parity: whether groups are flagged in proportion to their size; share of flagged vs share of population shows who carries the intervention',
  },
  {
    when: 'scores are read as probabilities or risk levels by a judge or officer',
    metric: 'PPV and NPV (calibration)',
    metrics: ['PPV', 'NPV'],
    why: 'a flag should mean the same risk whatever the group (predictive parity)',
  },
  {
    when: 'base rates differ between groups',
    metric: 'prevalence',
    metrics: ['prevalence'],
    why: 'with different base rates no imperfect classifier can equalise FPR, FNR and PPV at once (Chouldechova 2017; Kleinberg et al. 2016): choose the metric that matches the harm and record the choice',
  },
  {
    when: 'the recorded outcome is itself produced by enforcement (re-arrest, not re-offending)',
    metric: 'all, with caution',
    metrics: [],
    why: 'a label measured through policing carries the bias being audited; prefer citizen-reported or adjudicated outcomes where possible',
  },
];

const MISSING_LABEL = '(missing)';

// ---------------------------------------------------------------------------------------------
// Row input → columns

function bit(v: unknown, row: number, field: string): 0 | 1 {
  if (v === 1 || v === true) return 1;
  if (v === 0 || v === false) return 0;
  throw new InputError(msg('fairness.notBit', { row, field }), [
    { row, field, expected: '0, 1, true or false', got: String(v).slice(0, 40) },
  ]);
}

/** Encode row objects as integer-coded columns (levels in order of first appearance). O(n × attributes). */
export function encodeRows(rows: Iterable<AuditRow>, attributes: string[], threshold?: number): AuditColumns {
  const predicted: number[] = [];
  const label: number[] = [];
  const maps = attributes.map(() => new Map<string, number>());
  const codes = attributes.map(() => [] as number[]);
  let i = 0;
  for (const r of rows) {
    i++;
    if (r.predicted !== undefined) predicted.push(bit(r.predicted, i, 'predicted'));
    else if (typeof r.score === 'number' && Number.isFinite(r.score)) {
      if (threshold === undefined)
        throw new InputError(msg('fairness.scoreWithoutThreshold', { row: i }), [
          { row: i, field: 'threshold', expected: 'options.threshold for score rows' },
        ]);
      predicted.push(r.score >= threshold ? 1 : 0);
    } else
      throw new InputError(msg('fairness.noPrediction', { row: i }), [
        { row: i, field: 'predicted', expected: '0/1 or a numeric score' },
      ]);
    label.push(bit(r.label, i, 'label'));
    for (let a = 0; a < attributes.length; a++) {
      const v = r.groups?.[attributes[a]];
      if (v === null || v === undefined || v === '') {
        codes[a].push(-1);
        continue;
      }
      const s = String(v);
      let c = maps[a].get(s);
      if (c === undefined) maps[a].set(s, (c = maps[a].size));
      codes[a].push(c);
    }
  }
  return {
    predicted: Uint8Array.from(predicted),
    label: Uint8Array.from(label),
    attributes: attributes.map((name, a) => ({ name, levels: [...maps[a].keys()], codes: Int32Array.from(codes[a]) })),
  };
}

/** Turn scores into 0/1 decisions: flagged when score ≥ threshold. NaN scores throw. O(n). */
export function thresholdScores(scores: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s))
      throw new InputError(msg('fairness.scoreNaN', { row: i + 1 }), [
        { row: i + 1, field: 'score', expected: 'a number' },
      ]);
    out[i] = s >= threshold ? 1 : 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The audit

/** Audit row objects. Convenience over `auditColumns`; O(n × attributes). */
export function personAudit(
  rows: Iterable<AuditRow>,
  opts: AuditOptions & { attributes: string[] },
): PersonAuditResult {
  if (!opts.attributes?.length)
    throw new InputError(msg('fairness.noAttributes'), [
      { field: 'attributes', expected: 'at least one attribute name' },
    ]);
  return auditColumns(encodeRows(rows, opts.attributes, opts.threshold), opts);
}

/**
 * Audit integer-coded columns: the three stages composed, counts → rates → disparities. Hot path is
 * stage 1 (ONE pass over the rows); the rest is O(groups × metrics).
 */
export function auditColumns(cols: AuditColumns, opts: AuditOptions = {}): PersonAuditResult {
  const counted = auditCounts(cols, opts);
  opts.progress?.('counting', 1, 1);
  const result = auditDisparities(auditRates(counted, opts), opts);
  opts.progress?.('disparities', 1, 1);
  return result;
}

/** One group's confusion counts (stage 1). */
export interface GroupCounts {
  /** Display name; intersections join parts with " × "; a missing part is "(missing)". */
  group: string;
  parts: Record<string, string | null>;
  missing: boolean;
  counts: Counts;
}

/** One dimension (an attribute or an intersection) after stage 1. */
export interface DimensionCounts {
  key: string;
  attributes: string[];
  /** Groups with at least one person, in level order; missing-label groups left out under 'exclude'. */
  groups: GroupCounts[];
  missingLabels: number;
  missingPolicy: MissingPolicy;
  included: number;
  flagged: number;
}

export interface AuditCounts {
  total: number;
  flagged: number;
  dimensions: DimensionCounts[];
}

/** One dimension after stage 2: every group with its rates. */
export interface DimensionRates extends Omit<DimensionCounts, 'groups'> {
  /** Largest first. */
  groups: GroupResult[];
}

export interface AuditRates {
  total: number;
  flagged: number;
  minGroupSize: number;
  confidence: number;
  dimensions: DimensionRates[];
}

/**
 * Stage 1 (group): confusion counts for every group of every dimension (each attribute, and the
 * requested intersections). Hot path: ONE pass over the n rows, each row adding 1 to a cell of a
 * flat Uint32Array per dimension: O(n × (attributes + Σ dimension sizes)) time, O(Π (levels + 1))
 * memory per dimension, nothing allocated per row.
 */
export function auditCounts(
  cols: AuditColumns,
  opts: Pick<AuditOptions, 'attributes' | 'intersections' | 'missing'> = {},
): AuditCounts {
  const n = cols.predicted.length;
  const where: Where[] = [];
  if (cols.label.length !== n)
    where.push({ field: 'label', expected: `${n} values (as many as predicted)`, got: String(cols.label.length) });
  for (const a of cols.attributes)
    if (a.codes.length !== n)
      where.push({ field: `attributes.${a.name}.codes`, expected: `${n} values`, got: String(a.codes.length) });
  if (where.length) throw new InputError(msg('fairness.columnLengths'), where);
  const byName = new Map(cols.attributes.map((a, i) => [a.name, i]));
  const attrs = opts.attributes ?? cols.attributes.map((a) => a.name);
  for (const a of attrs)
    if (!byName.has(a))
      throw new InputError(msg('fairness.noAttributeColumn', { name: a }), [
        { field: 'attributes', expected: `one of ${[...byName.keys()].join(', ')}`, got: a },
      ]);
  if (!attrs.length)
    throw new InputError(msg('fairness.noAttributes'), [{ field: 'attributes', expected: 'at least one attribute' }]);
  const policy: MissingPolicy = opts.missing ?? 'report';

  // Dimensions: each attribute, then the requested intersections.
  const dims: string[][] = attrs.map((a) => [a]);
  if (opts.intersections === true && attrs.length > 1) dims.push([...attrs]);
  else if (Array.isArray(opts.intersections))
    for (const d of opts.intersections) {
      for (const a of d)
        if (!byName.has(a))
          throw new InputError(msg('fairness.unknownIntersection', { name: a }), [
            { field: 'intersections', expected: [...byName.keys()].join(', '), got: a },
          ]);
      if (d.length > 1) dims.push([...d]);
    }

  // Attributes actually used, their level counts (+1 slot for "missing") and per-dimension strides.
  const used = [...new Set(dims.flat())].map((name) => cols.attributes[byName.get(name)!]);
  const usedIdx = new Map(used.map((a, i) => [a.name, i]));
  const L = Int32Array.from(used.map((a) => a.levels.length));
  const dimAttr = dims.map((d) => Int32Array.from(d.map((a) => usedIdx.get(a)!)));
  const dimStride = dims.map((d) => {
    const s = new Int32Array(d.length);
    let acc = 1;
    for (let j = d.length - 1; j >= 0; j--) {
      s[j] = acc;
      acc *= L[usedIdx.get(d[j])!] + 1;
    }
    return s;
  });
  const dimSize = dims.map((d) => d.reduce((acc, a) => acc * (L[usedIdx.get(a)!] + 1), 1));
  const totalCells = dimSize.reduce((a, b) => a + b, 0);
  if (totalCells > 5e7)
    throw new InputError(msg('fairness.tooManyGroups'), [
      { field: 'intersections', expected: 'fewer than 50 million combined groups', got: String(totalCells) },
    ]);
  const dimOffset = new Int32Array(dims.length);
  for (let d = 1; d < dims.length; d++) dimOffset[d] = dimOffset[d - 1] + dimSize[d - 1] * 4;
  const table = new Uint32Array(totalCells * 4);

  // ---- the one pass (O(n)) ----
  const P = cols.predicted;
  const Y = cols.label;
  const codes = used.map((a) => a.codes);
  const A = used.length;
  const norm = new Int32Array(A);
  let flagged = 0;
  for (let i = 0; i < n; i++) {
    const p = P[i] ? 1 : 0;
    flagged += p;
    const cell = p * 2 + (Y[i] ? 1 : 0); // 0 TN, 1 FN, 2 FP, 3 TP
    for (let a = 0; a < A; a++) {
      const c = codes[a][i];
      norm[a] = c >= 0 && c < L[a] ? c : L[a];
    }
    for (let d = 0; d < dimAttr.length; d++) {
      const da = dimAttr[d];
      const ds = dimStride[d];
      let k = 0;
      for (let j = 0; j < da.length; j++) k += norm[da[j]] * ds[j];
      table[dimOffset[d] + k * 4 + cell]++;
    }
  }

  // ---- the flat table → groups per dimension: O(Σ dimension sizes) ----
  const dimensions = dims.map((d, di): DimensionCounts => {
    const groups: GroupCounts[] = [];
    let missingLabels = 0;
    for (let k = 0; k < dimSize[di]; k++) {
      const o = dimOffset[di] + k * 4;
      const tot = table[o] + table[o + 1] + table[o + 2] + table[o + 3];
      if (tot === 0) continue;
      const parts: Record<string, string | null> = {};
      let missing = false;
      let rem = k;
      for (let j = 0; j < d.length; j++) {
        const a = dimAttr[di][j];
        const code = Math.floor(rem / dimStride[di][j]);
        rem -= code * dimStride[di][j];
        if (code === L[a]) {
          parts[d[j]] = null;
          missing = true;
        } else parts[d[j]] = used[a].levels[code];
      }
      if (missing) missingLabels += tot;
      if (missing && policy === 'exclude') continue;
      groups.push({
        group: d.map((a) => parts[a] ?? MISSING_LABEL).join(' × '),
        parts,
        missing,
        counts: { TN: table[o], FN: table[o + 1], FP: table[o + 2], TP: table[o + 3] },
      });
    }
    const included = groups.reduce((s, g) => s + g.counts.TP + g.counts.FP + g.counts.TN + g.counts.FN, 0);
    const dimFlagged = groups.reduce((s, g) => s + g.counts.TP + g.counts.FP, 0);
    return {
      key: d.join('×'),
      attributes: d,
      groups,
      missingLabels,
      missingPolicy: policy,
      included,
      flagged: dimFlagged,
    };
  });
  return { total: n, flagged, dimensions };
}

/**
 * Stage 2 (bias): every rate of every group with its numerator, its own population and a Wilson
 * interval; shares of the flagged and of the population; groups below minGroupSize marked not
 * estimable. Groups largest first. O(groups × metrics).
 */
export function auditRates(
  counted: AuditCounts,
  opts: Pick<AuditOptions, 'minGroupSize' | 'confidence' | 'progress'> = {},
): AuditRates {
  const minSize = opts.minGroupSize ?? 30;
  const confidence = opts.confidence ?? 0.95;
  const z = zFor(confidence);
  const dimensions = counted.dimensions.map(({ groups: counts, ...dim }, i): DimensionRates => {
    const groups: GroupResult[] = counts
      .map(({ group, parts, missing, counts }) => {
        const gn = counts.TP + counts.FP + counts.TN + counts.FN;
        const rates = {} as Record<Metric, RateEstimate>;
        for (const m of METRICS) {
          const [k, pop] = metricFraction(m, counts);
          rates[m] = { value: pop ? k / pop : null, interval: wilson(k, pop, z), numerator: k, population: pop };
        }
        const fl = counts.TP + counts.FP;
        return {
          group,
          parts,
          missing,
          n: gn,
          counts,
          rates,
          shareOfFlagged: dim.flagged ? fl / dim.flagged : 0,
          shareOfFlaggedInterval: wilson(fl, dim.flagged, z),
          shareOfPopulation: dim.included ? gn / dim.included : 0,
          estimable: gn >= minSize,
        };
      })
      .sort((a, b) => b.n - a.n || (a.group < b.group ? -1 : 1));
    opts.progress?.('rates', i + 1, counted.dimensions.length);
    return { ...dim, groups };
  });
  return { total: counted.total, flagged: counted.flagged, minGroupSize: minSize, confidence, dimensions };
}

/**
 * Stage 3 (fairness): per metric, each group against the reference (named, largest, or best) with
 * intervals, a test and a verdict within the band; Fairlearn's range figures; warnings for small
 * groups and missing labels; the guidance table. O(groups × metrics).
 */
export function auditDisparities(
  rated: AuditRates,
  opts: Pick<AuditOptions, 'reference' | 'band' | 'alpha' | 'requireSignificance' | 'minExpected'> = {},
): PersonAuditResult {
  const band = opts.band ?? [0.8, 1.25];
  if (!(band[0] > 0 && band[0] <= 1 && band[1] >= 1))
    throw new InputError(msg('fairness.bandMustContainOne'), [
      { field: 'band', expected: '[lower ≤ 1, upper ≥ 1], lower > 0', got: JSON.stringify(band) },
    ]);
  const { minGroupSize: minSize, confidence } = rated;
  const alpha = opts.alpha ?? 0.05;
  const z = zFor(confidence);
  const reference = opts.reference ?? { mode: 'largest' };
  const warnings: string[] = [];
  const smallGroups: PersonAuditResult['smallGroups'] = [];
  const missingOut: PersonAuditResult['missing'] = [];
  const namedFound = { any: false };
  const dimensions: DimensionResult[] = rated.dimensions.map(
    ({ key, attributes: d, groups, missingLabels, missingPolicy: policy, included, flagged }) => {
      for (const g of groups)
        if (!g.estimable) {
          smallGroups.push({ dimension: key, group: g.group, n: g.n });
          warnings.push(`${d.join(' × ')} = ${g.group}: only ${g.n} people (< ${minSize}); no verdict`);
        }
      if (missingLabels > 0) {
        missingOut.push({ dimension: key, count: missingLabels, policy });
        warnings.push(
          `${missingLabels} row(s) have no ${d.join(' × ')} label; ${policy === 'exclude' ? 'excluded from this dimension and counted here' : `reported as the group "${MISSING_LABEL}"`}`,
        );
      } else missingOut.push({ dimension: key, count: 0, policy });

      const disparities = METRICS.map((m) => {
        const { ref, rule } = pickReference(groups, m, reference, key, minSize);
        if (rule === 'named' && ref) namedFound.any = true;
        if (!ref) return { metric: m, reference: null, referenceRule: rule, referenceValue: null, groups: [] };
        const [rk, rn] = metricFraction(m, ref.counts);
        return {
          metric: m,
          reference: ref.group,
          referenceRule: rule,
          referenceValue: rn ? rk / rn : null,
          groups: groups
            .filter((g) => g !== ref)
            .map((g) =>
              compare(m, g, ref, {
                band,
                minSize,
                alpha,
                z,
                requireSignificance: !!opts.requireSignificance,
                minExpected: opts.minExpected ?? 5,
              }),
            ),
        };
      });
      return {
        key,
        attributes: d,
        groups,
        disparities,
        summary: summarise(groups, minSize),
        missingLabels,
        missingPolicy: policy,
        included,
        flagged,
      };
    },
  );
  if (reference.mode === 'named' && !namedFound.any) {
    const names = typeof reference.group === 'string' ? reference.group : JSON.stringify(reference.group);
    throw new InputError(msg('fairness.referenceNotAudited', { group: names }), [
      {
        field: 'reference.group',
        expected: `one of ${dimensions
          .flatMap((d) => d.groups.map((g) => g.group))
          .slice(0, 30)
          .join(', ')}`,
        got: names,
      },
    ]);
  }
  for (const d of dimensions) {
    const x = d.disparities.find((y) => y.referenceRule.startsWith('largest (named'));
    if (x)
      warnings.push(
        `${d.key}: the named reference group is not in this dimension; compared with the largest group, ${x.reference}`,
      );
  }
  return {
    total: rated.total,
    flagged: rated.flagged,
    band,
    minGroupSize: minSize,
    alpha,
    confidence,
    reference,
    dimensions,
    smallGroups,
    missing: missingOut,
    warnings: [...new Set(warnings)],
    guidance: GUIDANCE,
  };
}

function pickReference(
  groups: GroupResult[],
  m: Metric,
  rule: ReferenceRule,
  dimKey: string,
  minSize: number,
): { ref: GroupResult | undefined; rule: string } {
  const largest = groups.find((g) => !g.missing) ?? groups[0];
  if (rule.mode === 'named') {
    const name = typeof rule.group === 'string' ? rule.group : rule.group[dimKey];
    const ref = name === undefined ? undefined : groups.find((g) => g.group === name);
    return ref ? { ref, rule: 'named' } : { ref: largest, rule: 'largest (named group absent)' };
  }
  if (rule.mode === 'largest') return { ref: largest, rule: 'largest' };
  const better = METRIC_INFO[m].better;
  if (better === 'none') return { ref: largest, rule: `largest (${m} has no better direction)` };
  const cands = groups.filter(
    (g) => !g.missing && g.estimable && g.rates[m].value !== null && g.rates[m].population >= minSize,
  );
  if (!cands.length) return { ref: largest, rule: 'largest (no estimable group for best)' };
  cands.sort((a, b) =>
    better === 'lower' ? a.rates[m].value! - b.rates[m].value! : b.rates[m].value! - a.rates[m].value!,
  );
  return { ref: cands[0], rule: `best (${better === 'lower' ? 'lowest' : 'highest'} ${m})` };
}

function compare(
  m: Metric,
  g: GroupResult,
  ref: GroupResult,
  o: {
    band: [number, number];
    minSize: number;
    alpha: number;
    z: number;
    requireSignificance: boolean;
    minExpected: number;
  },
): Comparison {
  const [k, pop] = metricFraction(m, g.counts);
  const [rk, rn] = metricFraction(m, ref.counts);
  const value = pop ? k / pop : null;
  const refValue = rn ? rk / rn : null;
  const ratio = value !== null && refValue ? value / refValue : null;
  const difference = value !== null && refValue !== null ? value - refValue : null;
  const test = pop && rn ? compareProportions(k, pop, rk, rn, o.minExpected) : null;
  const significant = !!test && test.pValue < o.alpha;
  let verdict: Verdict;
  let reason: string;
  if (!g.estimable || !ref.estimable || pop < o.minSize || rn < o.minSize) {
    verdict = 'insufficient-data';
    reason = `needs ≥ ${o.minSize} people in each group's ${METRIC_INFO[m].population}; have ${pop} and ${rn} (groups of ${g.n} and ${ref.n})`;
  } else if (ratio === null) {
    verdict = 'undefined';
    reason = `the reference ${m} is 0, so the ratio is undefined; see the difference`;
  } else if (ratio >= o.band[0] && ratio <= o.band[1]) {
    verdict = 'pass';
    reason = `ratio ${ratio.toFixed(3)} within [${o.band[0]}, ${o.band[1]}]`;
  } else if (o.requireSignificance && !significant) {
    verdict = 'pass';
    reason = `ratio ${ratio.toFixed(3)} outside [${o.band[0]}, ${o.band[1]}] but not significant (p = ${test?.pValue.toPrecision(2)})`;
  } else {
    verdict = 'fail';
    reason = `ratio ${ratio.toFixed(3)} outside [${o.band[0]}, ${o.band[1]}]`;
  }
  return {
    group: g.group,
    value,
    ratio,
    ratioInterval: katzRatioInterval(k, pop, rk, rn, o.z),
    difference,
    differenceInterval: newcombeDifferenceInterval(k, pop, rk, rn, o.z),
    test,
    pValue: test?.pValue ?? null,
    significant,
    verdict,
    reason,
  };
}

/** Min and max of metric m over the groups whose rate is defined and whose metric population is ≥ minPopulation. O(groups). */
function range(groups: GroupResult[], m: Metric, minPopulation: number): RangeSummary {
  let min: RangeSummary['min'] = null;
  let max: RangeSummary['max'] = null;
  for (const g of groups) {
    const v = g.rates[m].value;
    if (v === null || g.rates[m].population < minPopulation) continue;
    if (!min || v < min.value) min = { group: g.group, value: v };
    if (!max || v > max.value) max = { group: g.group, value: v };
  }
  return {
    min,
    max,
    difference: min && max ? max.value - min.value : null,
    ratio: min && max && max.value > 0 ? min.value / max.value : null,
  };
}

function figures(gs: GroupResult[], minPopulation: number): RangeFigures {
  const tpr = range(gs, 'TPR', minPopulation);
  const fpr = range(gs, 'FPR', minPopulation);
  const pick = (a: number | null, b: number | null, f: (x: number, y: number) => number) =>
    a === null ? b : b === null ? a : f(a, b);
  return {
    demographicParity: range(gs, 'PPR', minPopulation),
    equalizedOdds: {
      difference: pick(tpr.difference, fpr.difference, Math.max),
      ratio: pick(tpr.ratio, fpr.ratio, Math.min),
      tpr,
      fpr,
    },
    equalOpportunity: tpr,
    predictiveParity: range(gs, 'PPV', minPopulation),
    fnr: range(gs, 'FNR', minPopulation),
    groupsCompared: gs.map((g) => g.group),
  };
}

const SUMMARY_METRICS: Metric[] = ['PPR', 'TPR', 'FPR', 'PPV', 'FNR'];

/**
 * Fairlearn's range definitions (max − min, min ÷ max) over every group of the dimension (the
 * "(missing)" group too when missing labels are reported as a group), plus the estimable-only figure.
 */
function summarise(groups: GroupResult[], minSize: number): FairnessSummary {
  const undefinedRates = SUMMARY_METRICS.flatMap((m) =>
    groups.filter((g) => g.rates[m].value === null).map((g) => ({ metric: m, group: g.group })),
  );
  const estimable = groups.filter((g) => g.estimable && !g.missing && g.n >= minSize);
  return {
    ...figures(groups, 1),
    smallGroups: groups.filter((g) => !g.estimable).map((g) => ({ group: g.group, n: g.n })),
    undefinedRates,
    estimableGroupsOnly: { ...figures(estimable, minSize), minGroupSize: minSize },
  };
}

/** Convenience: the comparison of one group for one metric in one dimension (undefined if absent). */
export function findComparison(
  r: PersonAuditResult,
  dimension: string,
  metric: Metric,
  group: string,
): Comparison | undefined {
  return r.dimensions
    .find((d) => d.key === dimension)
    ?.disparities.find((x) => x.metric === metric)
    ?.groups.find((g) => g.group === group);
}

/** Convenience: one group's result in one dimension. */
export function findGroup(r: PersonAuditResult, dimension: string, group: string): GroupResult | undefined {
  return r.dimensions.find((d) => d.key === dimension)?.groups.find((g) => g.group === group);
}
