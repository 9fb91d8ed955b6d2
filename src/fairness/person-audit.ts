/**
 * Person-level bias audit of a binary decision (e.g. "higher risk" from a risk score) against an
 * outcome. Tables in, tables out: per group (and per intersection of attributes) the confusion
 * counts and every rate with a Wilson 95% interval; disparities against a reference group as ratios
 * with Katz log intervals and a two-proportion test on the metric's own population (FPR among actual
 * negatives, FNR among actual positives, …); a pass/fail verdict within a band only for groups
 * large enough to estimate; rows with a missing group label are counted and reported, never dropped
 * silently. One pass over the rows with integer group codes: O(n).
 */
import { twoProportionTest, wilson } from '../monitor/checks';

export interface AuditRow {
  /** 1 = the decision flagged the person (e.g. Medium/High risk). */
  predicted: 0 | 1;
  /** 1 = the outcome happened (e.g. re-offended within two years). */
  label: 0 | 1;
  groups: Record<string, string | null | undefined>;
}

export const METRICS = ['TPR', 'TNR', 'FPR', 'FNR', 'FDR', 'FOR', 'PPV', 'NPV', 'prevalence', 'PPR'] as const;
export type Metric = (typeof METRICS)[number];

export interface AuditOptions {
  attributes: string[];
  /** Also audit intersections of all attributes (e.g. race × sex). */
  intersections?: boolean;
  reference: { mode: 'named'; group: string } | { mode: 'largest' } | { mode: 'best' };
  band?: [number, number];
  minGroupSize?: number;
  missing?: 'report' | 'exclude';
}

export interface Counts { TP: number; FP: number; TN: number; FN: number }

/** Numerator and population of each metric: the test and the interval use the right population. */
function fraction(m: Metric, c: Counts): [number, number] {
  const n = c.TP + c.FP + c.TN + c.FN;
  switch (m) {
    case 'TPR': return [c.TP, c.TP + c.FN];
    case 'TNR': return [c.TN, c.TN + c.FP];
    case 'FPR': return [c.FP, c.FP + c.TN];
    case 'FNR': return [c.FN, c.FN + c.TP];
    case 'FDR': return [c.FP, c.FP + c.TP];
    case 'FOR': return [c.FN, c.FN + c.TN];
    case 'PPV': return [c.TP, c.TP + c.FP];
    case 'NPV': return [c.TN, c.TN + c.FN];
    case 'prevalence': return [c.TP + c.FN, n];
    case 'PPR': return [c.TP + c.FP, n];
  }
}

/** Lower is better for error rates; higher for the others ('best' reference uses this). */
const LOWER_IS_BETTER = new Set<Metric>(['FPR', 'FNR', 'FDR', 'FOR']);

/** Katz log interval for a ratio of two proportions a/n1 : c/n2. */
export function ratioInterval(a: number, n1: number, c: number, n2: number): [number, number] | null {
  if (a === 0 || c === 0 || n1 === 0 || n2 === 0) return null;
  const r = a / n1 / (c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  return [r * Math.exp(-1.959964 * se), r * Math.exp(1.959964 * se)];
}

export function personAudit(rows: Iterable<AuditRow>, opts: AuditOptions) {
  const dims: string[][] = opts.attributes.map((a) => [a]);
  if (opts.intersections && opts.attributes.length > 1) dims.push(opts.attributes);
  // counts per dimension, per group key: [TP, FP, TN, FN]
  const tables = dims.map(() => new Map<string, Int32Array>());
  const missing = new Map<string, number>();
  let total = 0;
  let flagged = 0;
  for (const r of rows) {
    total++;
    if (r.predicted) flagged++;
    const cell = r.predicted ? (r.label ? 0 : 1) : r.label ? 3 : 2; // TP, FP, TN, FN
    dims.forEach((d, i) => {
      const parts = d.map((a) => r.groups[a]);
      let key: string;
      if (parts.some((p) => p === null || p === undefined || p === '')) {
        missing.set(d.join('×'), (missing.get(d.join('×')) ?? 0) + 1);
        if (opts.missing === 'exclude') return;
        key = parts.map((p) => (p === null || p === undefined || p === '' ? '(missing)' : p)).join(' × ');
      } else key = parts.join(' × ');
      let t = tables[i].get(key);
      if (!t) tables[i].set(key, (t = new Int32Array(4)));
      t[cell]++;
    });
  }
  return summarise(dims, tables, missing, total, flagged, opts);
}

/**
 * The same audit from columns: 0/1 bytes for predicted and label, and per attribute a Uint16Array of
 * group codes (0xFFFF = missing) with their labels. One pass with integer indexing and no allocation
 * per row: the path for millions of rows. Single attributes only (no intersections).
 */
export function personAuditColumns(predicted: Uint8Array, label: Uint8Array, attributes: { name: string; codes: Uint16Array; labels: string[] }[], opts: Omit<AuditOptions, 'attributes' | 'intersections'>) {
  const n = predicted.length;
  const dims = attributes.map((a) => [a.name]);
  const missing = new Map<string, number>();
  let flagged = 0;
  for (let i = 0; i < n; i++) flagged += predicted[i];
  const tables = attributes.map((a) => {
    const counts = new Int32Array((a.labels.length + 1) * 4); // the last slot counts missing labels
    const m = a.labels.length;
    for (let i = 0; i < n; i++) {
      const c = a.codes[i];
      const g = c === 0xffff ? m : c;
      counts[g * 4 + (predicted[i] ? (label[i] ? 0 : 1) : label[i] ? 3 : 2)]++;
    }
    const t = new Map<string, Int32Array>();
    a.labels.forEach((l, g) => { if (counts[g * 4] + counts[g * 4 + 1] + counts[g * 4 + 2] + counts[g * 4 + 3] > 0) t.set(l, counts.slice(g * 4, g * 4 + 4)); });
    const miss = counts.slice(m * 4, m * 4 + 4);
    const missN = miss[0] + miss[1] + miss[2] + miss[3];
    if (missN) {
      missing.set(a.name, missN);
      if (opts.missing !== 'exclude') t.set('(missing)', miss);
    }
    return t;
  });
  return summarise(dims, tables, missing, n, flagged, { ...opts, attributes: attributes.map((a) => a.name) });
}

/** Rates, intervals, disparities and verdicts from the per-group confusion counts. O(groups × metrics). */
function summarise(dims: string[][], tables: Map<string, Int32Array>[], missing: Map<string, number>, total: number, flagged: number, opts: AuditOptions) {
  const band = opts.band ?? [0.8, 1.25];
  const minSize = opts.minGroupSize ?? 30;
  const dimensions = dims.map((d, i) => {
    const groups = [...tables[i]].map(([group, t]) => {
      const c: Counts = { TP: t[0], FP: t[1], TN: t[2], FN: t[3] };
      const n = c.TP + c.FP + c.TN + c.FN;
      const rates = Object.fromEntries(METRICS.map((m) => {
        const [k, pop] = fraction(m, c);
        return [m, { value: pop ? k / pop : null, interval: wilson(k, pop), numerator: k, population: pop }];
      })) as Record<Metric, { value: number | null; interval: [number, number]; numerator: number; population: number }>;
      return { group, n, counts: c, rates, shareOfFlagged: flagged ? (c.TP + c.FP) / flagged : 0, estimable: n >= minSize };
    }).sort((a, b) => b.n - a.n);
    const disparities = METRICS.map((m) => {
      let ref;
      if (opts.reference.mode === 'named') ref = groups.find((g) => g.group === (opts.reference as { group: string }).group);
      else if (opts.reference.mode === 'largest') ref = groups[0];
      else {
        const cands = groups.filter((g) => g.estimable && g.rates[m].value !== null);
        ref = cands.sort((a, b) => (LOWER_IS_BETTER.has(m) ? a.rates[m].value! - b.rates[m].value! : b.rates[m].value! - a.rates[m].value!))[0];
      }
      if (!ref) return { metric: m, reference: null, groups: [] };
      const [rk, rn] = fraction(m, ref.counts);
      return {
        metric: m, reference: ref.group,
        groups: groups.filter((g) => g !== ref).map((g) => {
          const [k, pop] = fraction(m, g.counts);
          const ratio = rn && rk && pop ? k / pop / (rk / rn) : null;
          const difference = rn && pop ? k / pop - rk / rn : null;
          const test = pop && rn ? twoProportionTest(k, pop, rk, rn) : null;
          // A verdict needs enough people in the metric's own population (e.g. actual negatives for FPR).
          const verdict = !g.estimable || !ref.estimable || pop < minSize || rn < minSize ? 'insufficient-data' : ratio === null ? 'undefined' : ratio >= band[0] && ratio <= band[1] ? 'pass' : 'fail';
          return { group: g.group, ratio, ratioInterval: ratioInterval(k, pop, rk, rn), difference, pValue: test?.p ?? null, verdict };
        }),
      };
    });
    return { attributes: d, groups, disparities, missingLabels: missing.get(d.join('×')) ?? 0, missingPolicy: opts.missing ?? 'report' };
  });
  return {
    total, flagged, band, minGroupSize: minSize, dimensions,
    warnings: dimensions.flatMap((d) => d.groups.filter((g) => !g.estimable).map((g) => `${d.attributes.join(' × ')} = ${g.group}: only ${g.n} people (< ${minSize}); no verdict`))
      .concat([...missing].map(([dim, n]) => `${n} row(s) have no ${dim} label; ${opts.missing === 'exclude' ? 'excluded and counted here' : 'reported as the group "(missing)"'}`)),
    guidance: GUIDANCE,
  };
}

/** Which metric matters: a table returned with every audit. */
export const GUIDANCE = [
  { when: 'punitive intervention (stop, detention, denial of bail)', metric: 'FPR and FDR', why: 'people wrongly flagged bear the harm; compare false positive rates among those who did not re-offend' },
  { when: 'assistive intervention (support services, victim protection)', metric: 'FNR and TPR', why: 'people wrongly missed lose the help; compare who is missed among those who needed it' },
  { when: 'a fixed share of people is flagged', metric: 'PPR and share of flagged', why: 'demographic parity shows whether groups are flagged in proportion to their size' },
  { when: 'scores are read as probabilities', metric: 'PPV and NPV (calibration)', why: 'a flag should mean the same risk whatever the group' },
];
