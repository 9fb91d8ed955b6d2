/**
 * Small, dependency-free statistics used by every fairness step: the normal distribution, Wilson
 * intervals for proportions, Katz log intervals for ratios of proportions, Newcombe intervals for
 * differences, two-proportion tests (z, or Fisher's exact test when counts are small), Gini, PSI
 * and a seeded PRNG. All pure; all O(1) unless stated.
 */

/** 97.5th percentile of the standard normal: the z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** Complementary error function, Numerical Recipes `erfcc` (fractional error < 1.2e-7 everywhere,
 * so tiny p-values keep their magnitude instead of rounding to 0). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.15e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}

/** z of a two-sided interval at the given confidence (0.95 → 1.96). */
export function zFor(confidence: number): number {
  if (confidence === 0.95) return Z95;
  return normalQuantile(1 - (1 - confidence) / 2);
}

export type Interval = [number, number];

/** Wilson score interval for k successes out of n. n = 0 gives the uninformative [0, 1]. */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const c = (p + z2 / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** Katz log interval for the ratio (a/n1) / (c/n2). Null when a ratio or its log is undefined (a zero count). */
export function katzRatioInterval(a: number, n1: number, c: number, n2: number, z = Z95): Interval | null {
  if (a === 0 || c === 0 || n1 === 0 || n2 === 0) return null;
  const r = a / n1 / (c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  return [r * Math.exp(-z * se), r * Math.exp(z * se)];
}

/** Newcombe's hybrid score interval (method 10) for the difference k1/n1 − k2/n2. */
export function newcombeDifferenceInterval(k1: number, n1: number, k2: number, n2: number, z = Z95): Interval | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const [l1, u1] = wilson(k1, n1, z);
  const [l2, u2] = wilson(k2, n2, z);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** Pooled two-proportion z-test, two-sided. */
export function twoProportionZ(k1: number, n1: number, k2: number, n2: number): { z: number; p: number } {
  if (n1 === 0 || n2 === 0) return { z: 0, p: 1 };
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const z = (k1 / n1 - k2 / n2) / se;
  return { z, p: twoSidedP(z) };
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = g[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Fisher's exact test, two-sided, for the 2×2 table [[a, b], [c, d]] (rows: groups; columns:
 * event / no event). Sums the hypergeometric probabilities of all tables with the same margins that
 * are no more likely than the observed one. O(min(row, column margin)).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  if (n === 0) return 1;
  const lo = Math.max(0, c1 - r2);
  const hi = Math.min(r1, c1);
  const denom = logChoose(n, c1);
  const logP = (x: number) => logChoose(r1, x) + logChoose(r2, c1 - x) - denom;
  const observed = logP(a);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

export interface ProportionTest {
  method: 'z' | 'fisher';
  /** z statistic (null for Fisher's test). */
  statistic: number | null;
  pValue: number;
}

/**
 * Compare k1/n1 with k2/n2 on the metric's own population: Fisher's exact test when any expected
 * cell count of the 2×2 table is below `minExpected` (Cochran's rule, default 5), else the z test.
 */
export function compareProportions(k1: number, n1: number, k2: number, n2: number, minExpected = 5): ProportionTest {
  const n = n1 + n2;
  const events = k1 + k2;
  const expected = n === 0 ? 0 : (Math.min(n1, n2) * Math.min(events, n - events)) / n;
  if (expected < minExpected)
    return { method: 'fisher', statistic: null, pValue: fisherExact(k1, n1 - k1, k2, n2 - k2) };
  const t = twoProportionZ(k1, n1, k2, n2);
  return { method: 'z', statistic: t.z, pValue: t.p };
}

/**
 * Gini coefficient of non-negative values (0 = spread evenly, → 1 = all in one place), optionally
 * weighted (e.g. by cell area or population). O(n log n).
 */
export function gini(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++)
    if (!(values[i] >= 0)) throw new RangeError(`gini: value ${i} is ${values[i]}; expected a non-negative number`);
  idx.sort((i, j) => values[i] - values[j]);
  if (!weights) {
    let total = 0;
    let weighted = 0;
    for (let r = 0; r < n; r++) {
      const v = values[idx[r]];
      total += v;
      weighted += (r + 1) * v;
    }
    return total === 0 ? 0 : (2 * weighted) / (n * total) - (n + 1) / n;
  }
  // Weighted: 1 − Σ w_i (S_{i−1} + S_i) / (W · S) over values sorted ascending (area under the Lorenz curve).
  let W = 0;
  let S = 0;
  for (let i = 0; i < n; i++) {
    W += weights[i];
    S += weights[i] * values[i];
  }
  if (S === 0 || W === 0) return 0;
  let cum = 0;
  let area = 0;
  for (const i of idx) {
    const next = cum + weights[i] * values[i];
    area += weights[i] * (cum + next);
    cum = next;
  }
  return 1 - area / (W * S);
}

/**
 * Population stability index Σ (a − e) ln(a / e) between two distributions given as counts or
 * shares over the same bins; empty bins get `epsilon` so the index stays finite.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = 1e-4): number {
  if (expected.length !== actual.length)
    throw new RangeError(`psi: ${expected.length} expected bins but ${actual.length} actual bins`);
  let se = 0;
  let sa = 0;
  for (let i = 0; i < expected.length; i++) {
    se += expected[i];
    sa += actual[i];
  }
  if (se === 0 || sa === 0) return 0;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / se, epsilon);
    const a = Math.max(actual[i] / sa, epsilon);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Seeded PRNG (mulberry32): same seed, same stream. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson draw (Knuth for small means, normal approximation above 500). */
export function poisson(mean: number, rnd: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 500) {
    const u = Math.max(rnd(), 1e-300);
    const v = rnd();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}
