/**
 * Fairness-aware mission planning: choose `budget` cells that maximise expected hits (sum of per-cell
 * risk) subject to an exposure-disparity bound, and show what the bound costs as a curve (PAI
 * against disparity) so the trade-off is a visible, recorded decision.
 *
 * Exposure of group g under a plan S = share of the group's residents who live in a patrolled cell,
 * Σ_{c∈S} residents_g,c ÷ Σ_c residents_g,c (every resident of a patrolled cell sees the patrol).
 * Disparity = max_g exposure ÷ min_g exposure over groups with
 * enough residents. The constraint makes this a multi-constraint selection problem; we solve it by
 * local search: start from the top-`budget` cells by risk (the unconstrained optimum) and swap one
 * chosen cell for one unchosen cell at a time, each swap the one that lowers log-disparity most per
 * unit of risk given up, until the bound holds or no swap helps (then `feasible: false`); then, while
 * the bound holds, take risk-raising swaps that keep it. This is a
 * heuristic: not guaranteed optimal, and what it reached (disparity, PAI kept) is what is reported.
 * O(swaps × (cells log cells + candidates² × groups)), candidates ≤ 128, plus
 * O(improving swaps × budget × cells × groups) for the second phase.
 */
import { InputError, type Where } from '../domain/errors';

export interface FairMissionInput {
  /** Expected hits (or risk score) per cell. */
  risk: ArrayLike<number>;
  /** Residents per cell by group, e.g. { Black: Float64Array(cells), White: … }. */
  residents: Record<string, ArrayLike<number>>;
  /** Number of cells the shift can cover. */
  budget: number;
  /** Cell area, for PAI (default 1 per cell). */
  area?: ArrayLike<number>;
  /** Observed incidents per cell for PAI (default: the risk itself, i.e. expected PAI). */
  observed?: ArrayLike<number>;
  /** Groups with fewer residents in total are left out of the constraint (reported). Default 1. */
  minResidents?: number;
}

export interface MissionPlan {
  bound: number;
  cells: number[];
  feasible: boolean;
  /** max ÷ min exposure across constrained groups (Infinity when a group gets none). */
  disparity: number;
  exposure: Record<string, number>;
  expectedHits: number;
  /** (observed hits captured ÷ all observed) ÷ (area chosen ÷ all area). */
  pai: number;
  /** Share of the unconstrained plan's PAI kept. */
  paiKept: number;
  swaps: number;
}

export interface TradeoffCurve {
  unconstrained: MissionPlan;
  points: MissionPlan[];
  groups: string[];
  excludedGroups: string[];
  definition: string;
}

const DEFINITION = 'exposure of a group = share of its residents living in a patrolled cell; disparity = max ÷ min exposure across groups; PAI = (share of observed incidents in chosen cells) ÷ (share of area chosen)';

interface Prepared { n: number; risk: Float64Array; share: Float64Array[]; groups: string[]; excluded: string[]; area: Float64Array; observed: Float64Array; totalArea: number; totalObserved: number; budget: number }

function prepare(input: FairMissionInput): Prepared {
  const n = input.risk.length;
  const where: Where[] = [];
  if (!(Number.isInteger(input.budget) && input.budget >= 1 && input.budget <= n)) where.push({ field: 'budget', expected: `a whole number 1…${n}`, got: String(input.budget) });
  const risk = Float64Array.from(input.risk);
  for (let c = 0; c < n; c++) if (!(risk[c] >= 0)) { where.push({ field: `risk[${c}]`, expected: 'a number ≥ 0', got: String(risk[c]) }); break; }
  const area = input.area ? Float64Array.from(input.area) : new Float64Array(n).fill(1);
  const observed = input.observed ? Float64Array.from(input.observed) : risk;
  if (area.length !== n) where.push({ field: 'area', expected: `${n} values`, got: String(area.length) });
  if (observed.length !== n) where.push({ field: 'observed', expected: `${n} values`, got: String(observed.length) });
  const minRes = input.minResidents ?? 1;
  const groups: string[] = [];
  const excluded: string[] = [];
  const share: Float64Array[] = [];
  for (const [g, arr] of Object.entries(input.residents)) {
    if (arr.length !== n) { where.push({ field: `residents.${g}`, expected: `${n} values`, got: String(arr.length) }); continue; }
    let tot = 0;
    for (let c = 0; c < n; c++) {
      if (!(arr[c] >= 0)) { where.push({ field: `residents.${g}[${c}]`, expected: 'a count ≥ 0', got: String(arr[c]) }); break; }
      tot += arr[c];
    }
    if (tot < minRes) { excluded.push(g); continue; }
    const s = new Float64Array(n);
    for (let c = 0; c < n; c++) s[c] = arr[c] / tot;
    groups.push(g);
    share.push(s);
  }
  if (where.length) throw new InputError(`fair missions: ${where.length} bad input value(s)`, where);
  if (groups.length < 2) throw new InputError('fair missions need at least two groups with residents', [{ field: 'residents', expected: 'two or more groups', got: groups.join(', ') }]);
  let totalArea = 0, totalObserved = 0;
  for (let c = 0; c < n; c++) { totalArea += area[c]; totalObserved += observed[c]; }
  return { n, risk, share, groups, excluded, area, observed, totalArea, totalObserved, budget: input.budget };
}

function logDisparity(e: Float64Array): number {
  let lo = Infinity, hi = -Infinity;
  for (const v of e) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return Math.log(Math.max(hi, 1e-300)) - Math.log(Math.max(lo, 1e-300));
}

function describe(p: Prepared, chosen: Uint8Array, bound: number, swaps: number, basePai: number | null): MissionPlan {
  const cells: number[] = [];
  const e = new Float64Array(p.groups.length);
  let hits = 0, obs = 0, area = 0;
  for (let c = 0; c < p.n; c++) if (chosen[c]) {
    cells.push(c);
    hits += p.risk[c];
    obs += p.observed[c];
    area += p.area[c];
    for (let g = 0; g < e.length; g++) e[g] += p.share[g][c];
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of e) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const disparity = lo > 0 ? hi / lo : Infinity;
  const pai = p.totalObserved > 0 && area > 0 ? obs / p.totalObserved / (area / p.totalArea) : 0;
  return {
    bound, cells, feasible: disparity <= bound * (1 + 1e-12), disparity, exposure: Object.fromEntries(p.groups.map((g, i) => [g, e[i]])),
    expectedHits: hits, pai, paiKept: basePai ? pai / basePai : 1, swaps,
  };
}

function topByRisk(p: Prepared): Uint8Array {
  const order = Array.from({ length: p.n }, (_, i) => i).sort((a, b) => p.risk[b] - p.risk[a] || a - b);
  const chosen = new Uint8Array(p.n);
  for (let i = 0; i < p.budget; i++) chosen[order[i]] = 1;
  return chosen;
}

/** Local search from `start` until disparity ≤ bound or no swap lowers it. Mutates `chosen`. */
function repair(p: Prepared, chosen: Uint8Array, bound: number, maxSwaps: number): number {
  const G = p.groups.length;
  const e = new Float64Array(G);
  for (let c = 0; c < p.n; c++) if (chosen[c]) for (let g = 0; g < G; g++) e[g] += p.share[g][c];
  const target = Math.log(bound);
  const trial = new Float64Array(G);
  let swaps = 0;
  const K = 64;
  while (swaps < maxSwaps) {
    const cur = logDisparity(e);
    if (cur <= target + 1e-12) break;
    let gHi = 0, gLo = 0;
    for (let g = 1; g < G; g++) { if (e[g] > e[gHi]) gHi = g; if (e[g] < e[gLo]) gLo = g; }
    // Candidates: remove cells heavy in the most-exposed group, add cells heavy in the least-exposed one.
    const tilt = (c: number) => p.share[gHi][c] - p.share[gLo][c];
    const ins: number[] = [];
    const outs: number[] = [];
    for (let c = 0; c < p.n; c++) (chosen[c] ? outs : ins).push(c);
    outs.sort((a, b) => tilt(b) - tilt(a) || p.risk[a] - p.risk[b]);
    ins.sort((a, b) => tilt(a) - tilt(b) || p.risk[b] - p.risk[a]);
    // Also the cheapest removals and the best additions, so swaps that cost little are considered.
    const outsCheap = [...outs].sort((a, b) => p.risk[a] - p.risk[b]).slice(0, K / 2);
    const insRich = [...ins].sort((a, b) => p.risk[b] - p.risk[a]).slice(0, K / 2);
    const O = [...new Set([...outs.slice(0, K), ...outsCheap])];
    const I = [...new Set([...ins.slice(0, K), ...insRich])];
    let best = -Infinity, bi = -1, bj = -1;
    for (const i of O) for (const j of I) {
      for (let g = 0; g < G; g++) trial[g] = e[g] - p.share[g][i] + p.share[g][j];
      const gain = cur - logDisparity(trial);
      if (gain <= 1e-12) continue;
      const loss = Math.max(p.risk[i] - p.risk[j], 0);
      const score = gain / (loss + 1e-9);
      if (score > best) { best = score; bi = i; bj = j; }
    }
    if (bi < 0) break;
    chosen[bi] = 0;
    chosen[bj] = 1;
    for (let g = 0; g < G; g++) e[g] += p.share[g][bj] - p.share[g][bi];
    swaps++;
  }
  return swaps;
}

/**
 * Once the bound holds: take the best risk-raising 1-for-1 swap that keeps it, until none is left.
 * O(passes × chosen × unchosen × groups). Mutates `chosen`.
 */
function improve(p: Prepared, chosen: Uint8Array, bound: number, maxSwaps: number): number {
  const G = p.groups.length;
  const e = new Float64Array(G);
  for (let c = 0; c < p.n; c++) if (chosen[c]) for (let g = 0; g < G; g++) e[g] += p.share[g][c];
  const target = Math.log(bound) + 1e-12;
  if (logDisparity(e) > target) return 0;
  const trial = new Float64Array(G);
  let swaps = 0;
  while (swaps < maxSwaps) {
    let best = 1e-12, bi = -1, bj = -1;
    for (let i = 0; i < p.n; i++) {
      if (!chosen[i]) continue;
      for (let j = 0; j < p.n; j++) {
        if (chosen[j] || p.risk[j] - p.risk[i] <= best) continue;
        for (let g = 0; g < G; g++) trial[g] = e[g] - p.share[g][i] + p.share[g][j];
        if (logDisparity(trial) <= target) { best = p.risk[j] - p.risk[i]; bi = i; bj = j; }
      }
    }
    if (bi < 0) break;
    chosen[bi] = 0;
    chosen[bj] = 1;
    for (let g = 0; g < G; g++) e[g] += p.share[g][bj] - p.share[g][bi];
    swaps++;
  }
  return swaps;
}

/** One plan under one disparity bound (e.g. 1.25). */
export function planFairMissions(input: FairMissionInput, bound: number, maxSwaps = 10_000): MissionPlan {
  if (!(bound >= 1)) throw new InputError('disparity bound must be ≥ 1', [{ field: 'bound', expected: 'a ratio ≥ 1', got: String(bound) }]);
  const p = prepare(input);
  const base = describe(p, topByRisk(p), Infinity, 0, null);
  const chosen = topByRisk(p);
  const swaps = repair(p, chosen, bound, maxSwaps);
  return describe(p, chosen, bound, swaps + improve(p, chosen, bound, maxSwaps), base.pai);
}

/**
 * The trade-off curve: plans for each bound (sorted from loose to tight, each warm-started from the
 * previous plan) with PAI kept vs disparity reached.
 */
export function fairnessTradeoff(input: FairMissionInput, bounds: number[] = [Infinity, 4, 3, 2, 1.5, 1.25, 1.1], maxSwaps = 10_000): TradeoffCurve {
  const p = prepare(input);
  const start = topByRisk(p);
  const unconstrained = describe(p, start, Infinity, 0, null);
  const chosen = start.slice();
  let total = 0;
  const points = [...bounds].sort((a, b) => b - a).map((b) => {
    if (!(b >= 1)) throw new InputError('disparity bound must be ≥ 1', [{ field: 'bounds', expected: 'ratios ≥ 1', got: String(b) }]);
    total += repair(p, chosen, b, maxSwaps);
    total += improve(p, chosen, b, maxSwaps);
    return describe(p, chosen, b, total, unconstrained.pai);
  });
  return { unconstrained, points, groups: p.groups, excludedGroups: p.excluded, definition: DEFINITION };
}
