/**
 * Fairness-aware mission planning: choose `budget` candidate cells that maximise expected hits (sum of
 * per-cell risk) while every estimable group's exposure/victimization ratio stays within the band the
 * place audit will apply (default 0.8–1.25). The ratio is the one exposure model (./exposure.ts), so the
 * planner's verdict on a plan is the audit's verdict on it.
 *
 * With x_c ∈ {0,1}, the ratio bounds are linear: group g within [lo, hi] ⇔
 *   Σ_c x_c (w_gc − hi·s_g·p_c) ≤ 0  and  Σ_c x_c (lo·s_g·p_c − w_gc) ≤ 0,
 * where w_gc is g's share of the residents of the area holding cell c, p_c = 1 if that area has
 * residents, and s_g is g's citywide share of citizen-reported victimization. Maximising Σ risk_c x_c
 * under Σ x_c = budget and these 2·G rows is a small integer program. We solve its Lagrangian relaxation
 * by subgradient steps (each step: top-`budget` cells by risk minus the priced constraints), which gives
 * an UPPER bound on the expected hits any plan within the band can keep, and keep the best plans that
 * satisfy the band; a 1-for-1 swap local search then repairs (when none does) and improves them. The
 * reported gap (bound − achieved) ÷ bound says how far from the exact frontier a plan can be.
 * O(iterations × (cells × groups + cells log cells) + swaps × budget × cells × groups).
 */
import { InputError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import { seededRandom } from './stats';
import {
  bandDeviation,
  cellsToAreaExposure,
  checkBand,
  DEFAULT_BAND,
  groupExposure,
  type ExposureBasis,
  type ExposureResult,
} from './exposure';

export interface FairMissionInput {
  /** Expected hits per candidate cell (the forecast's risk over the window). */
  risk: ArrayLike<number>;
  /** Index into the basis' areas of the area holding each candidate cell's centre (−1 = outside). */
  cellArea: ArrayLike<number>;
  /** The exposure model: residents by declared group, citywide victimization over a stated period. */
  basis: ExposureBasis;
  /** Number of cells the shift can cover. */
  budget: number;
  /** Candidate cells that may not be chosen (e.g. ruled out by the dosage cap). */
  excluded?: Iterable<number>;
  /** What happened: incidents per cell in the window (backtests), for realised hits kept. */
  observed?: ArrayLike<number>;
}

export interface MissionPlan {
  band: [number, number] | null;
  cells: number[];
  /** Every estimable group within the band (for the unconstrained plan: whether it happens to be). */
  feasible: boolean;
  exposure: ExposureResult;
  expectedHits: number;
  /** ÷ the unconstrained plan's expected hits (the top cells by risk): ≤ 1. */
  expectedHitsKept: number;
  realisedHits: number | null;
  realisedHitsKept: number | null;
  /** Lagrangian upper bound on expected hits of any plan within the band, and the gap to it. */
  upperBound: number | null;
  gap: number | null;
  method: string;
}

export interface TradeoffCurve {
  unconstrained: MissionPlan;
  /** One plan per band, each planned exactly as a mission at that band would be. */
  points: MissionPlan[];
  groups: { id: string; overlapsOthers: boolean; estimable: boolean; reason: string | null }[];
  definition: string;
  rule: ExposureBasis['rule'];
  period: ExposureBasis['period'];
}

interface Prepared {
  n: number;
  budget: number;
  risk: Float64Array;
  allowed: Uint8Array;
  observed: Float64Array | null;
  /** Per estimable group k: w[k][c] and its target share s[k]; p[c] = 1 when the cell's area has residents. */
  w: Float64Array[];
  s: number[];
  p: Float64Array;
  basis: ExposureBasis;
  cellArea: Int32Array;
}

function prepare(input: FairMissionInput): Prepared {
  const n = input.risk.length;
  const where: Where[] = [];
  const risk = Float64Array.from(input.risk);
  for (let c = 0; c < n; c++)
    if (!(risk[c] >= 0)) {
      where.push({ field: `risk[${c}]`, expected: 'a number ≥ 0', got: String(risk[c]) });
      break;
    }
  if (input.cellArea.length !== n)
    where.push({ field: 'cellArea', expected: `${n} values`, got: String(input.cellArea.length) });
  const observed = input.observed ? Float64Array.from(input.observed) : null;
  if (observed && observed.length !== n)
    where.push({ field: 'observed', expected: `${n} values`, got: String(observed.length) });
  const allowed = new Uint8Array(n).fill(1);
  for (const c of input.excluded ?? []) if (c >= 0 && c < n) allowed[c] = 0;
  const open = allowed.reduce((s, v) => s + v, 0);
  if (!(Number.isInteger(input.budget) && input.budget >= 1 && input.budget <= n))
    where.push({ field: 'budget', expected: `a whole number 1…${n}`, got: String(input.budget) });
  if (where.length) throw new InputError(msg('fairness.missionsBadInput', { count: where.length }), where);
  const cellArea = Int32Array.from(input.cellArea);
  const { basis } = input;
  const p = Float64Array.from(cellArea, (a) => (a >= 0 && a < basis.areaCount && basis.populated[a] ? 1 : 0));
  const w: Float64Array[] = [];
  const s: number[] = [];
  basis.groups.forEach((_, k) => {
    if (!basis.estimable[k] || !(basis.yardstickShare[k] > 0)) return;
    w.push(Float64Array.from(cellArea, (a) => (a >= 0 && a < basis.areaCount ? basis.composition[k][a] : 0)));
    s.push(basis.yardstickShare[k]);
  });
  return { n, budget: Math.min(input.budget, open), risk, allowed, observed, w, s, p, basis, cellArea };
}

/** Sums a plan's group exposure (W) and attributed cells (X) need. */
interface Sums {
  W: Float64Array;
  X: number;
}
function sums(pr: Prepared, chosen: Uint8Array): Sums {
  const W = new Float64Array(pr.w.length);
  let X = 0;
  for (let c = 0; c < pr.n; c++)
    if (chosen[c]) {
      X += pr.p[c];
      for (let k = 0; k < W.length; k++) W[k] += pr.w[k][c];
    }
  return { W, X };
}
/** Worst band deviation over the binding groups, from the sums. O(groups). */
function deviation(pr: Prepared, W: ArrayLike<number>, X: number, band: [number, number]): number {
  if (!pr.w.length) return 0;
  if (X <= 0) return Infinity;
  let worst = 0;
  for (let k = 0; k < pr.w.length; k++) worst = Math.max(worst, bandDeviation(W[k] / X / pr.s[k], band));
  return worst;
}
const FEASIBLE = 1e-9;
/** Sum of the groups' band deviations (log units): a smoother guide for repairs than the worst one. */
function totalDeviation(pr: Prepared, W: ArrayLike<number>, X: number, band: [number, number]): number {
  if (!pr.w.length) return 0;
  if (X <= 0) return 1e6;
  let t = 0;
  for (let k = 0; k < pr.w.length; k++) t += Math.min(bandDeviation(W[k] / X / pr.s[k], band), 50);
  return t;
}

function topBy(pr: Prepared, score: ArrayLike<number>): Uint8Array {
  const order: number[] = [];
  for (let c = 0; c < pr.n; c++) if (pr.allowed[c]) order.push(c);
  order.sort((a, b) => score[b] - score[a] || pr.risk[b] - pr.risk[a] || a - b);
  const chosen = new Uint8Array(pr.n);
  for (let i = 0; i < pr.budget; i++) chosen[order[i]] = 1;
  return chosen;
}
const hitsOf = (pr: Prepared, chosen: Uint8Array) => {
  let h = 0;
  for (let c = 0; c < pr.n; c++) if (chosen[c]) h += pr.risk[c];
  return h;
};

/**
 * Lagrangian relaxation by subgradient steps (Polyak step toward the best plan within the band).
 * Returns the best upper bound and up to a few distinct plans within the band, best first.
 */
function lagrangian(
  pr: Prepared,
  band: [number, number],
  iterations = 300,
): { upper: number; feasible: Uint8Array[]; closest: Uint8Array } {
  const K = pr.w.length;
  const up = new Float64Array(K),
    lo = new Float64Array(K);
  const score = new Float64Array(pr.n);
  const unconstrainedHits = hitsOf(pr, topBy(pr, pr.risk));
  let upper = Infinity,
    best = -Infinity,
    theta = 2,
    stall = 0;
  const found = new Map<string, { hits: number; chosen: Uint8Array }>();
  let closest = topBy(pr, pr.risk),
    closestDev = Infinity;
  for (let it = 0; it < iterations; it++) {
    for (let c = 0; c < pr.n; c++) {
      let v = pr.risk[c];
      for (let k = 0; k < K; k++) {
        const w = pr.w[k][c],
          t = pr.s[k] * pr.p[c];
        v -= up[k] * (w - band[1] * t) + lo[k] * (band[0] * t - w);
      }
      score[c] = v;
    }
    const chosen = topBy(pr, score);
    let L = 0;
    for (let c = 0; c < pr.n; c++) if (chosen[c]) L += score[c];
    if (L < upper - 1e-12) {
      upper = L;
      stall = 0;
    } else if (++stall >= 15) {
      theta /= 2;
      stall = 0;
    }
    const { W, X } = sums(pr, chosen);
    const dev = deviation(pr, W, X, band);
    const hits = hitsOf(pr, chosen);
    if (dev <= FEASIBLE) {
      if (hits > best) best = hits;
      const key = Array.from(chosen.keys())
        .filter((c) => chosen[c])
        .join(',');
      if (!found.has(key)) found.set(key, { hits, chosen });
    } else if (dev < closestDev) {
      closestDev = dev;
      closest = chosen;
    }
    // Subgradient: the constraint rows at the chosen plan.
    const gUp = new Float64Array(K),
      gLo = new Float64Array(K);
    let norm = 0;
    for (let k = 0; k < K; k++) {
      const t = pr.s[k] * X;
      gUp[k] = W[k] - band[1] * t;
      gLo[k] = band[0] * t - W[k];
      norm += (up[k] > 0 || gUp[k] > 0 ? gUp[k] ** 2 : 0) + (lo[k] > 0 || gLo[k] > 0 ? gLo[k] ** 2 : 0);
    }
    if (norm < 1e-18) break; // complementary slackness: this plan is optimal within the band
    const target = best > -Infinity ? best : 0.9 * unconstrainedHits;
    const step = (theta * Math.max(L - target, 1e-6 * (unconstrainedHits + 1e-12))) / norm;
    for (let k = 0; k < K; k++) {
      up[k] = Math.max(0, up[k] + step * gUp[k]);
      lo[k] = Math.max(0, lo[k] + step * gLo[k]);
    }
    if (theta < 1e-4) break;
  }
  const feasible = [...found.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, 4)
    .map((f) => f.chosen);
  return { upper, feasible, closest };
}

/**
 * The LP relaxation (0 ≤ x ≤ 1, Σ x ≤ budget, the band's 2·G rows), by a dense primal simplex from the
 * slack basis (every right-hand side is ≥ 0, so the origin is feasible). Its optimum is an upper bound on
 * the expected hits of any plan within the band; a basic optimum has at most 2·G + 1 fractional cells, so
 * rounding it and repairing is near the integer optimum. O(pivots × rows × columns), rows = cells + 2·G + 1.
 */
function lpRelaxation(pr: Prepared, band: [number, number]): { x: Float64Array; value: number } | null {
  const cols: number[] = [];
  for (let c = 0; c < pr.n; c++) if (pr.allowed[c]) cols.push(c);
  const n = cols.length,
    K = pr.w.length;
  const m = 1 + 2 * K + n;
  const width = n + m + 1; // variables, slacks, right-hand side
  const T = new Float64Array((m + 1) * width);
  const at = (r: number, j: number) => r * width + j;
  const rhs = width - 1;
  cols.forEach((c, j) => {
    T[at(0, j)] = 1;
    for (let k = 0; k < K; k++) {
      const t = pr.s[k] * pr.p[c];
      T[at(1 + 2 * k, j)] = pr.w[k][c] - band[1] * t;
      T[at(2 + 2 * k, j)] = band[0] * t - pr.w[k][c];
    }
    T[at(1 + 2 * K + j, j)] = 1;
    T[at(m, j)] = -pr.risk[c]; // objective row: reduced costs
  });
  T[at(0, rhs)] = pr.budget;
  for (let j = 0; j < n; j++) T[at(1 + 2 * K + j, rhs)] = 1;
  for (let r = 0; r < m; r++) T[at(r, n + r)] = 1;
  const basis = Int32Array.from({ length: m }, (_, r) => n + r);
  const EPS = 1e-10;
  for (let pivots = 0; pivots < 20 * m; pivots++) {
    // Entering: most negative reduced cost (Bland's lowest index after many pivots, against cycling).
    let e = -1,
      best = -EPS;
    const bland = pivots > 5 * m;
    for (let j = 0; j < n + m; j++) {
      const v = T[at(m, j)];
      if (v < best) {
        best = v;
        e = j;
        if (bland) break;
      }
    }
    if (e < 0) break;
    let leave = -1,
      ratio = Infinity;
    for (let r = 0; r < m; r++) {
      const a = T[at(r, e)];
      if (a > EPS) {
        const q = T[at(r, rhs)] / a;
        if (q < ratio - 1e-12 || (Math.abs(q - ratio) <= 1e-12 && basis[r] < basis[leave])) {
          ratio = q;
          leave = r;
        }
      }
    }
    if (leave < 0) return null; // unbounded: cannot happen with x ≤ 1
    const pv = T[at(leave, e)];
    for (let j = 0; j < width; j++) T[at(leave, j)] /= pv;
    for (let r = 0; r <= m; r++) {
      if (r === leave) continue;
      const f = T[at(r, e)];
      if (Math.abs(f) < 1e-15) continue;
      for (let j = 0; j < width; j++) T[at(r, j)] -= f * T[at(leave, j)];
    }
    basis[leave] = e;
  }
  const x = new Float64Array(pr.n);
  for (let r = 0; r < m; r++) if (basis[r] < n) x[cols[basis[r]]] = Math.min(1, Math.max(0, T[at(r, rhs)]));
  return { x, value: T[at(m, rhs)] };
}

/** Round an LP solution to `budget` cells: largest x first, ties by risk. */
function roundLp(pr: Prepared, x: Float64Array): Uint8Array {
  const order: number[] = [];
  for (let c = 0; c < pr.n; c++) if (pr.allowed[c]) order.push(c);
  order.sort((a, b) => x[b] - x[a] || pr.risk[b] - pr.risk[a] || a - b);
  const chosen = new Uint8Array(pr.n);
  for (let i = 0; i < pr.budget; i++) chosen[order[i]] = 1;
  return chosen;
}

/**
 * Lower the worst band deviation by 1-for-1 swaps until the band holds or no swap helps; each step the
 * swap with the most deviation removed per expected hit given up. Mutates `chosen`. O(swaps × budget × cells × groups).
 */
function repair(pr: Prepared, chosen: Uint8Array, band: [number, number], maxSwaps = 500): void {
  const { W, X: X0 } = sums(pr, chosen);
  let X = X0;
  const K = pr.w.length;
  const T = new Float64Array(K);
  for (let s = 0; s < maxSwaps; s++) {
    if (deviation(pr, W, X, band) <= FEASIBLE) return;
    const cur = totalDeviation(pr, W, X, band);
    let bestScore = 0,
      bi = -1,
      bj = -1;
    for (let i = 0; i < pr.n; i++) {
      if (!chosen[i]) continue;
      for (let j = 0; j < pr.n; j++) {
        if (chosen[j] || !pr.allowed[j]) continue;
        for (let k = 0; k < K; k++) T[k] = W[k] - pr.w[k][i] + pr.w[k][j];
        const gain = cur - totalDeviation(pr, T, X - pr.p[i] + pr.p[j], band);
        if (gain <= 1e-12) continue;
        const score = gain / (Math.max(pr.risk[i] - pr.risk[j], 0) + 1e-9);
        if (score > bestScore) {
          bestScore = score;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) return;
    chosen[bi] = 0;
    chosen[bj] = 1;
    for (let k = 0; k < K; k++) W[k] += pr.w[k][bj] - pr.w[k][bi];
    X += pr.p[bj] - pr.p[bi];
  }
}

/** Within the band: take the best risk-raising 1-for-1 swap that keeps it, until none is left. Mutates `chosen`. */
function improve(pr: Prepared, chosen: Uint8Array, band: [number, number], maxSwaps = 1000): void {
  const { W, X: X0 } = sums(pr, chosen);
  let X = X0;
  const K = pr.w.length;
  if (deviation(pr, W, X, band) > FEASIBLE) return;
  const T = new Float64Array(K);
  for (let s = 0; s < maxSwaps; s++) {
    let gainBest = 1e-12,
      bi = -1,
      bj = -1;
    for (let i = 0; i < pr.n; i++) {
      if (!chosen[i]) continue;
      for (let j = 0; j < pr.n; j++) {
        if (chosen[j] || !pr.allowed[j] || pr.risk[j] - pr.risk[i] <= gainBest) continue;
        for (let k = 0; k < K; k++) T[k] = W[k] - pr.w[k][i] + pr.w[k][j];
        if (deviation(pr, T, X - pr.p[i] + pr.p[j], band) <= FEASIBLE) {
          gainBest = pr.risk[j] - pr.risk[i];
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) return;
    chosen[bi] = 0;
    chosen[bj] = 1;
    for (let k = 0; k < K; k++) W[k] += pr.w[k][bj] - pr.w[k][bi];
    X += pr.p[bj] - pr.p[bi];
  }
}

/**
 * Climb hits − M·(band deviation) by best 1-for-1 swaps for growing M until the band holds (the penalty lets
 * the search cross plans outside the band that a band-keeping swap cannot). Mutates `chosen`.
 * O(M steps × swaps × budget × cells × groups).
 */
function penaltyClimb(pr: Prepared, chosen: Uint8Array, band: [number, number], H0: number, maxSwaps = 200): void {
  const { W, X: X0 } = sums(pr, chosen);
  let X = X0,
    hits = hitsOf(pr, chosen);
  const K = pr.w.length;
  const T = new Float64Array(K);
  for (const M of [10, 100, 1e4]) {
    if (deviation(pr, W, X, band) <= FEASIBLE) return;
    for (let s = 0; s < maxSwaps; s++) {
      const cur = hits / H0 - M * totalDeviation(pr, W, X, band);
      let gain = 1e-12,
        bi = -1,
        bj = -1;
      for (let i = 0; i < pr.n; i++) {
        if (!chosen[i]) continue;
        for (let j = 0; j < pr.n; j++) {
          if (chosen[j] || !pr.allowed[j]) continue;
          for (let k = 0; k < K; k++) T[k] = W[k] - pr.w[k][i] + pr.w[k][j];
          const g =
            (hits - pr.risk[i] + pr.risk[j]) / H0 - M * totalDeviation(pr, T, X - pr.p[i] + pr.p[j], band) - cur;
          if (g > gain) {
            gain = g;
            bi = i;
            bj = j;
          }
        }
      }
      if (bi < 0) break;
      chosen[bi] = 0;
      chosen[bj] = 1;
      for (let k = 0; k < K; k++) W[k] += pr.w[k][bj] - pr.w[k][bi];
      X += pr.p[bj] - pr.p[bi];
      hits += pr.risk[bj] - pr.risk[bi];
    }
  }
}

/**
 * Iterated local search from the best plan within the band: swap a few chosen cells for random others (seeded,
 * so the same input gives the same plan), climb back into the band, improve, keep it if it keeps more hits.
 * O(rounds × penaltyClimb).
 */
function iterate(pr: Prepared, start: Uint8Array, band: [number, number], H0: number, rounds = 8): Uint8Array {
  let best = start,
    bestHits = hitsOf(pr, start);
  const rnd = seededRandom(pr.n * 31 + pr.budget);
  const open: number[] = [];
  for (let c = 0; c < pr.n; c++) if (pr.allowed[c]) open.push(c);
  for (let r = 0; r < rounds; r++) {
    const c = best.slice();
    const inPlan = open.filter((x) => c[x]),
      outPlan = open.filter((x) => !c[x]);
    const kick = Math.min(inPlan.length, outPlan.length, Math.max(2, Math.ceil(pr.budget / 4)));
    for (let q = 0; q < kick; q++) {
      const a = inPlan.splice(Math.floor(rnd() * inPlan.length), 1)[0],
        b = outPlan.splice(Math.floor(rnd() * outPlan.length), 1)[0];
      c[a] = 0;
      c[b] = 1;
    }
    penaltyClimb(pr, c, band, H0);
    improve(pr, c, band);
    const sm = sums(pr, c);
    const h = hitsOf(pr, c);
    if (deviation(pr, sm.W, sm.X, band) <= FEASIBLE && h > bestHits + 1e-12) {
      best = c;
      bestHits = h;
    }
  }
  return best;
}

function describe(
  pr: Prepared,
  chosen: Uint8Array,
  band: [number, number] | null,
  base: { hits: number; realised: number | null } | null,
  upper: number | null,
  method: string,
  judgeBy: [number, number] = band ?? DEFAULT_BAND,
): MissionPlan {
  const cells: number[] = [];
  let hits = 0,
    realised = 0;
  for (let c = 0; c < pr.n; c++)
    if (chosen[c]) {
      cells.push(c);
      hits += pr.risk[c];
      if (pr.observed) realised += pr.observed[c];
    }
  cells.sort((a, b) => pr.risk[b] - pr.risk[a] || a - b);
  // The verdict comes from the shared exposure model, exactly as the audit computes it.
  const exposure = groupExposure(pr.basis, cellsToAreaExposure(pr.cellArea, pr.basis.areaCount, cells).byArea, judgeBy);
  const baseHits = base ? base.hits : hits;
  const baseRealised = base ? base.realised : pr.observed ? realised : null;
  const ub = upper === null ? null : Math.min(upper, baseHits);
  return {
    band,
    cells,
    feasible: exposure.withinBand,
    exposure,
    expectedHits: hits,
    expectedHitsKept: baseHits > 0 ? hits / baseHits : 1,
    realisedHits: pr.observed ? realised : null,
    realisedHitsKept: pr.observed && baseRealised ? realised / baseRealised : null,
    upperBound: ub,
    gap: ub !== null && ub > 0 && exposure.withinBand ? Math.max(0, (ub - hits) / ub) : null,
    method,
  };
}

/** Parse a bound b (> 1) into the band [1/b, b], or pass a band through. */
export function bandOf(bound: number | [number, number]): [number, number] {
  if (Array.isArray(bound)) return checkBand(bound, 'fairnessBand');
  if (!(bound >= 1))
    throw new InputError(msg('fairness.boundBelowOne'), [
      { field: 'fairnessBound', expected: 'a ratio ≥ 1 (1.25 keeps every group within 0.8–1.25)', got: String(bound) },
    ]);
  return [1 / bound, bound];
}

function plan(pr: Prepared, band: [number, number]): MissionPlan {
  checkBand(band);
  const top = topBy(pr, pr.risk);
  const base = {
    hits: hitsOf(pr, top),
    realised: pr.observed
      ? (() => {
          let r = 0;
          for (let c = 0; c < pr.n; c++) if (top[c]) r += pr.observed![c];
          return r;
        })()
      : null,
  };
  const { W, X } = sums(pr, top);
  if (deviation(pr, W, X, band) <= FEASIBLE)
    return describe(pr, top, band, base, base.hits, 'the top cells by risk are within the band');
  const lag = lagrangian(pr, band);
  const lp = lpRelaxation(pr, band);
  // Candidates: the rounded LP optimum, the Lagrangian plans within the band, repairs of its closest plan
  // and of the top cells; each improved by swaps that keep the band. The best within the band wins, else the closest.
  const starts = [
    ...(lp ? [roundLp(pr, lp.x)] : []),
    ...lag.feasible.map((f) => f.slice()),
    lag.closest.slice(),
    top.slice(),
  ];
  let best: Uint8Array | null = null,
    bestHits = -Infinity,
    bestDev = Infinity;
  for (const c of starts) {
    repair(pr, c, band);
    improve(pr, c, band);
    const sm = sums(pr, c);
    const d = deviation(pr, sm.W, sm.X, band) <= FEASIBLE ? 0 : totalDeviation(pr, sm.W, sm.X, band);
    const h = hitsOf(pr, c);
    if (d < bestDev - 1e-12 || (Math.abs(d - bestDev) <= 1e-12 && h > bestHits)) {
      bestDev = d;
      bestHits = h;
      best = c;
    }
  }
  if (bestDev === 0) best = iterate(pr, best!, band, base.hits);
  const upper = Math.min(lp ? lp.value : Infinity, lag.upper);
  return describe(
    pr,
    best!,
    band,
    base,
    Number.isFinite(upper) ? upper : null,
    'LP relaxation (simplex) and Lagrangian relaxation over cells, rounded and repaired by 1-for-1 swap local search, then iterated local search (seeded kicks, penalised climb back into the band)',
  );
}

/** One plan whose every estimable group's exposure/victimization ratio is within the band (or the closest). */
export function planFairMissions(
  input: FairMissionInput,
  bound: number | [number, number] = DEFAULT_BAND,
): MissionPlan {
  return plan(prepare(input), bandOf(bound));
}

/** The unconstrained plan (top cells by risk), judged by the same model. */
export function planUnconstrained(input: FairMissionInput, band: [number, number] = DEFAULT_BAND): MissionPlan {
  const pr = prepare(input);
  return describe(pr, topBy(pr, pr.risk), null, null, null, 'the top cells by risk', checkBand(band));
}

/**
 * The trade-off curve: one plan per bound b (band [1/b, b]), each planned exactly as a mission at that
 * bound would be, with expected (and, on backtests, realised) hits kept against the worst deviation.
 */
export function fairnessTradeoff(
  input: FairMissionInput,
  bounds: number[] = [4, 3, 2, 1.5, 1.25, 1.1],
  judgeBy: [number, number] = DEFAULT_BAND,
): TradeoffCurve {
  const pr = prepare(input);
  const unconstrained = describe(pr, topBy(pr, pr.risk), null, null, null, 'the top cells by risk', checkBand(judgeBy));
  const points = [...bounds].sort((a, b) => b - a).map((b) => plan(pr, bandOf(b)));
  const { basis } = input;
  return {
    unconstrained,
    points,
    definition: unconstrained.exposure.definition,
    rule: basis.rule,
    period: basis.period,
    groups: basis.groups.map((g, k) => ({
      id: g.id,
      overlapsOthers: g.overlapsOthers,
      estimable: basis.estimable[k],
      reason: basis.smallReason[k],
    })),
  };
}
