/**
 * NIJ-style evaluation of a risk surface against what happened.
 *
 *  - selectHotspots: greedy top-risk cells until the hotspot area lies in [minArea, maxArea]; a cell
 *    that would overshoot maxArea is skipped; ties broken by a seeded random order. O(cells log cells).
 *  - PAI = (n/N)/(a/A); PEI = n/n*, n* = the most incidents any set of cells of total area ≤ a could
 *    capture, solved exactly (0/1 knapsack by dynamic programming over counts; trimmed boundary cells
 *    make "top cells by count" inexact). O(cells with incidents × N).
 *  - hit-rate curve by share of area, Poisson log score, bootstrap intervals, paired comparisons.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Grid } from '../geo';
import { prng } from './random';

export interface AreaConstraint {
  minArea: number;
  maxArea: number;
  /**
   * Hit minArea exactly: flag whole cells only (a trimmed boundary cell would leave the total off the
   * target) and never overshoot. Possible when minArea is a whole number of cells (see geometry.ts);
   * otherwise the usual rule applies and the result says it was not exact.
   */
  exact?: boolean;
}
export interface Hotspots {
  cells: number[];
  area: number;
  mask: Uint8Array;
}

// The last draws made: a backtest ranks every candidate of an origin and window with the same seed.
let lastTies: { n: number; seed: number; tie: Float64Array } | null = null;

/** Seeded tie-break draws, one per cell (the k-th draw belongs to cell k); read-only. O(cells). */
function tieDraws(n: number, seed: number): Float64Array {
  if (lastTies && lastTies.n === n && lastTies.seed === seed) return lastTies.tie;
  const rnd = prng(seed);
  const tie = new Float64Array(n);
  for (let k = 0; k < n; k++) tie[k] = rnd();
  lastTies = { n, seed, tie };
  return tie;
}

function fullOrder(risk: Float64Array, tie: Float64Array): Int32Array {
  const order = Int32Array.from(risk.keys());
  order.sort((a, b) => risk[b] - risk[a] || tie[a] - tie[b] || a - b);
  return order;
}

/** Cell indices ordered by risk (high first), ties in a seeded random order. O(cells log cells). */
export function rankCells(risk: Float64Array, seed: number): Int32Array {
  return fullOrder(risk, tieDraws(risk.length, seed));
}

/**
 * The first k cells of rankCells(risk, seed), in order, without sorting every cell: a bounded heap
 * keeps the k best seen so far (most cells fail one comparison with its root). O(cells log k + k log k).
 * The order is the same total order (risk desc, seeded draw, index); NaN risks, which that comparator
 * does not order consistently, take the full sort.
 */
export function topCells(risk: Float64Array, seed: number, k: number): Int32Array {
  return rankingOf(risk, seed)(k);
}

/** A ranking read by prefixes: prefix(k) = the first k cells of rankCells. Tie draws made once. */
function rankingOf(risk: Float64Array, seed: number): (k: number) => Int32Array {
  const n = risk.length;
  const tie = tieDraws(n, seed);
  let full: Int32Array | null = null;
  for (let i = 0; i < n; i++)
    if (risk[i] !== risk[i]) {
      full = fullOrder(risk, tie);
      break;
    }
  // a before b in the ranking
  const before = (a: number, b: number) =>
    risk[a] !== risk[b] ? risk[a] > risk[b] : tie[a] !== tie[b] ? tie[a] < tie[b] : a < b;
  return (want) => {
    const k = Math.max(0, Math.min(n, Math.floor(want)));
    if (full) return full.subarray(0, k);
    if (k * 4 >= n) return (full = fullOrder(risk, tie)).subarray(0, k);
    // max-heap on rank: the root is the last of the k best so far
    const heap = new Int32Array(k);
    let size = 0;
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < size && before(heap[m], heap[l])) m = l;
        if (r < size && before(heap[m], heap[r])) m = r;
        if (m === i) return;
        const t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
      }
    };
    for (let i = 0; i < n && k > 0; i++) {
      if (size < k) {
        let j = size++;
        heap[j] = i;
        while (j > 0) {
          const p = (j - 1) >> 1;
          if (!before(heap[p], heap[j])) break;
          const t = heap[p];
          heap[p] = heap[j];
          heap[j] = t;
          j = p;
        }
      } else if (before(i, heap[0])) {
        heap[0] = i;
        down(0);
      }
    }
    return heap.sort((a, b) => (before(a, b) ? -1 : 1));
  };
}

export function selectHotspots(g: Grid, risk: Float64Array, c: AreaConstraint, seed: number): Hotspots {
  if (risk.length !== g.n)
    throw new InputError(msg('forecast.riskLength'), [
      { field: 'risk', expected: `${g.n} values (one per cell)`, got: String(risk.length) },
    ]);
  if (!(c.minArea > 0 && c.maxArea >= c.minArea))
    throw new InputError(msg('forecast.badAreaBounds'), [
      { field: 'minArea/maxArea', expected: '0 < min ≤ max', got: `${c.minArea}/${c.maxArea}` },
    ]);
  // Only the top of the ranking is read: start with a few times the cells the minimum area needs and
  // widen (×4) in the rare case that skipped cells exhaust it.
  const prefix = rankingOf(risk, seed);
  const full = g.cellSize * (g.cellHeight ?? g.cellSize);
  let order = prefix(2 * Math.ceil(c.minArea / full) + 64);
  const at = (q: number) => {
    if (q >= order.length && order.length < g.n) order = prefix(4 * order.length);
    return q < order.length ? order[q] : -1;
  };
  if (c.exact) {
    const eps = 1e-9 * c.minArea;
    const cells: number[] = [];
    const mask = new Uint8Array(g.n);
    let area = 0;
    for (let q = 0, k = 0; area < c.minArea - eps && (k = at(q)) >= 0; q++) {
      if (Math.abs(g.areas[k] - full) > 1e-9 * full || area + full > c.minArea + eps) continue;
      cells.push(k);
      mask[k] = 1;
      area += full;
    }
    if (Math.abs(area - c.minArea) <= eps && area <= c.maxArea + eps) return { cells, area, mask };
  }
  const cells: number[] = [];
  const mask = new Uint8Array(g.n);
  let area = 0;
  for (let q = 0, k = 0; area < c.minArea && (k = at(q)) >= 0; q++) {
    if (area + g.areas[k] > c.maxArea) continue;
    cells.push(k);
    mask[k] = 1;
    area += g.areas[k];
  }
  return { cells, area, mask };
}

/**
 * n*: the largest number of incidents captured by any set of cells of total area ≤ `area`.
 * Exact: minArea[c] = least area capturing c incidents, a knapsack over the cells that had any.
 * O(cells with incidents × N).
 */
export function bestCapture(g: Grid, observed: Float64Array, area: number): number {
  const items: number[] = [];
  let N = 0;
  for (let k = 0; k < observed.length; k++)
    if (observed[k] > 0) {
      items.push(k);
      N += Math.round(observed[k]);
    }
  const minA = new Float64Array(N + 1).fill(Infinity);
  minA[0] = 0;
  let reach = 0;
  for (const k of items) {
    const w = Math.round(observed[k]);
    const a = g.areas[k];
    for (let c = Math.min(N, reach + w); c >= w; c--) {
      const v = minA[c - w] + a;
      if (v < minA[c]) minA[c] = v;
    }
    reach += w;
  }
  const eps = 1e-9 * Math.max(1, area);
  for (let c = N; c > 0; c--) if (minA[c] <= area + eps) return c;
  return 0;
}

export interface Score {
  n: number;
  N: number;
  a: number;
  A: number;
  pai: number;
  nStar: number;
  pei: number;
  hitRate: number;
}

/** PAI and PEI of a hotspot set against observed counts. PAI and PEI are NaN when N is 0. */
export function scoreHotspots(g: Grid, hot: Hotspots, observed: Float64Array): Score {
  let N = 0,
    n = 0;
  for (let k = 0; k < observed.length; k++) {
    N += observed[k];
    if (hot.mask[k]) n += observed[k];
  }
  const nStar = bestCapture(g, observed, hot.area);
  const A = g.totalArea;
  return {
    n,
    N,
    a: hot.area,
    A,
    pai: N > 0 ? n / N / (hot.area / A) : NaN,
    nStar,
    pei: nStar > 0 ? n / nStar : N > 0 ? 0 : NaN,
    hitRate: N > 0 ? n / N : NaN,
  };
}

/**
 * Hit rate by share of area: for each share s, the fraction of incidents in the highest-risk cells
 * whose cumulative area is ≤ s·A (a prefix of the ranking). O(cells log cells + shares).
 */
export function hitRateCurve(
  g: Grid,
  risk: Float64Array,
  observed: Float64Array,
  shares: number[],
  seed: number,
): { share: number; hitRate: number; area: number }[] {
  const order = rankCells(risk, seed);
  let N = 0;
  for (const v of observed) N += v;
  const sorted = [...shares].sort((a, b) => a - b);
  const out: { share: number; hitRate: number; area: number }[] = [];
  let q = 0,
    area = 0,
    hits = 0;
  for (const s of sorted) {
    const lim = s * g.totalArea * (1 + 1e-12);
    while (q < order.length && area + g.areas[order[q]] <= lim) {
      area += g.areas[order[q]];
      hits += observed[order[q]];
      q++;
    }
    out.push({ share: s, hitRate: N > 0 ? hits / N : NaN, area });
  }
  return out;
}

/**
 * Turn a relative risk into expected counts: total `expectedTotal` spread in proportion to risk, mixed
 * with a share ε spread by area so that no cell has zero expectation. O(cells).
 */
export function toExpectedCounts(g: Grid, risk: Float64Array, expectedTotal: number, epsilon = 0.01): Float64Array {
  let s = 0;
  for (const v of risk) s += v;
  const out = new Float64Array(g.n);
  for (let k = 0; k < g.n; k++)
    out[k] =
      expectedTotal *
      ((s > 0 ? (1 - epsilon) * (risk[k] / s) : 0) + (s > 0 ? epsilon : 1) * (g.areas[k] / g.totalArea));
  return out;
}

function logFactorial(y: number): number {
  let s = 0;
  for (let i = 2; i <= y; i++) s += Math.log(i);
  return s;
}

/** Poisson log-likelihood Σ_k [y_k log λ_k − λ_k − log y_k!] (higher is better). O(cells). */
export function poissonLogScore(expected: Float64Array, observed: Float64Array): number {
  let s = 0;
  for (let k = 0; k < expected.length; k++) {
    const lam = expected[k],
      y = observed[k];
    if (y > 0) {
      if (!(lam > 0)) return -Infinity;
      s += y * Math.log(lam) - logFactorial(y);
    }
    s -= lam;
  }
  return s;
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
  skipped: number;
}

/**
 * Mean with a seeded percentile-bootstrap interval (95% unless `level` says otherwise); NaN values are
 * skipped (and counted). O(B × n).
 */
export function bootstrapMean(values: number[], seed: number, B = 2000, level = 0.95): Interval {
  const xs = values.filter((v) => Number.isFinite(v));
  const skipped = values.length - xs.length;
  const n = xs.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n, skipped };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, n, skipped };
  const rnd = prng(seed);
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rnd() * n)];
    means[b] = s / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return {
    mean,
    lo: means[Math.max(0, Math.floor(tail * B))],
    hi: means[Math.min(B - 1, Math.ceil((1 - tail) * B) - 1)],
    n,
    skipped,
  };
}

/**
 * Paired comparison of two models over the same origins: mean of (a − b) with a bootstrap interval
 * (95% unless `level` says otherwise), plus wins/losses/ties. Only origins where both values are finite count.
 */
export function pairedComparison(
  a: Map<string, number>,
  b: Map<string, number>,
  seed: number,
  level = 0.95,
): Interval & { wins: number; losses: number; ties: number } {
  const diffs: number[] = [];
  let wins = 0,
    losses = 0,
    ties = 0;
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (vb === undefined || !Number.isFinite(va) || !Number.isFinite(vb)) continue;
    diffs.push(va - vb);
    if (va > vb) wins++;
    else if (va < vb) losses++;
    else ties++;
  }
  return { ...bootstrapMean(diffs, seed, 2000, level), wins, losses, ties };
}
