/**
 * Learned forecasters: a regularised, non-negative Poisson regression per cell (identity link), and the
 * ensemble of short- and long-memory maps that is its restriction to time-decayed kernels.
 *
 *   λ_k = Σ_j β_j f_jk / Z_j,   β_j ≥ 0,
 *
 * where f_j is a non-negative feature map (counts at several radii and memories, time-decayed kernels
 * at several bandwidths, same-season counts of earlier years, a near-repeat kernel, other crime types,
 * the cell's area and random Fourier features of its position) and Z_j = Σ_k f_jk, so β_j is the
 * expected count in the window that feature j explains. The identity link is what keeps every
 * prediction a sum of named, non-negative contributions (and, for incident-based features, of
 * per-incident contributions) for the explanation page.
 *
 * Training: origins t_m before the as-of date whose windows [t_m, t_m + W) end by it — the most recent
 * ones (one window apart) and the same calendar window of earlier years; features from incidents
 * before t_m, target the counts in the window. Fit by the EM / multiplicative update for Poisson
 * mixtures with an L2 penalty ρ Σβ² (an MM step, monotone):
 *   β_j ← β_j · Σ_r y_r (f_rj/Z_j) / λ_r  /  (S_j + 2ρβ_j),   S_j = Σ_origins Σ_k f_jk/Z_j (= origins where Z_j > 0).
 * Only rows with y > 0 enter the numerator, so a training origin needs its features at those cells
 * only: they are gathered there (O(rows × Σ stencil)) and each Z_j comes from the source masses and
 * their in-grid kernel reach (O(sources)); no map over all cells is built. O(events × features) to store.
 * Per-origin rows are cached by a prefix hash of the incidents, so rolling backtests reuse them.
 */
import { InputError } from '../domain/errors';
import { msg, type Message } from '../domain/messages';
import { spread, stencil, type Grid } from '../geo';
import { countBefore, type Prepared } from './data';
import { prng } from './random';
import type { FittedRisk, RiskDecomposition } from './model-family';

export interface LearnedParams {
  model: 'learned' | 'ensemble';
  /** Most recent training origins, one window apart (default 6). */
  recentOrigins?: number;
  /** Same calendar window in up to this many earlier years (default 4). */
  seasons?: number;
  /** L2 penalty, relative to the mean training count (default 0.05). */
  ridge?: number;
  /** Random Fourier features of position (default 16; learned only). */
  rff?: number;
  /** Incident types to forecast (default: all); the others become features. */
  target?: string[];
  iterations?: number;
  seed?: number;
}

interface FeatureSpec {
  name: string;
  /** Space: Gaussian σ (CRS units), quartic radius, or the cell itself (0). */
  kernel: 'gauss' | 'quartic' | 'cell';
  h: number;
  /** Time weight of an incident of age a (days) before the origin; 0 drops it. */
  time: (age: number, t0: number, W: number) => number;
  types: 'target' | 'other';
}

const YEAR = 365.25;

/** The named feature maps of a model family on a grid. */
function featureSpecs(p: LearnedParams, cell: number): FeatureSpec[] {
  const decay = (hl: number) => {
    const l = Math.LN2 / hl;
    return (a: number) => Math.exp(-l * a);
  };
  const box = (days: number) => (a: number) => (a <= days ? 1 : 0);
  const s = cell;
  const out: FeatureSpec[] = [];
  const kde = (h: number, hl: number) =>
    out.push({ name: `kde σ${Math.round(h)} half-life ${hl}d`, kernel: 'gauss', h, time: decay(hl), types: 'target' });
  if (p.model === 'ensemble') {
    out.push({ name: 'all-history counts', kernel: 'cell', h: 0, time: () => 1, types: 'target' });
    out.push({ name: 'last-year counts', kernel: 'cell', h: 0, time: box(365), types: 'target' });
    for (const hl of [30, 180, 730]) kde(s, hl);
    kde(2 * s, 730);
    return out;
  }
  out.push({ name: 'all-history counts', kernel: 'cell', h: 0, time: () => 1, types: 'target' });
  out.push({ name: 'last-year counts', kernel: 'cell', h: 0, time: box(365), types: 'target' });
  out.push({ name: 'last-30-day counts', kernel: 'cell', h: 0, time: box(30), types: 'target' });
  out.push({ name: 'near-repeat (4 weeks, 2 cells)', kernel: 'quartic', h: 2.5 * s, time: box(28), types: 'target' });
  for (const h of [s, 2 * s]) for (const hl of [30, 180, 730]) kde(h, hl);
  kde(4 * s, 730);
  out.push({
    name: 'same season, earlier years',
    kernel: 'gauss',
    h: s,
    types: 'target',
    time: (a, _t0, W) => {
      if (a < 180) return 0;
      const phase = ((-a % YEAR) + YEAR) % YEAR; // days from the origin's calendar date to the incident's, forward
      return phase <= W + 14 || phase >= YEAR - 14 ? 1 : 0;
    },
  });
  if (p.target)
    out.push({
      name: 'other crime types (σ 2 cells, half-life 365d)',
      kernel: 'gauss',
      h: 2 * s,
      time: decay(365),
      types: 'other',
    });
  return out;
}

/** Positional features: area, and area × (1 + cos(ω·x + b)) for random ω at two length scales. */
const positionCache = new WeakMap<Grid, Map<string, { names: string[]; maps: Float64Array[] }>>();

function positionFeatures(g: Grid, p: LearnedParams): { names: string[]; maps: Float64Array[] } {
  const key = `${p.model}|${p.rff ?? 16}|${p.seed ?? 1}`;
  let byKey = positionCache.get(g);
  if (!byKey) positionCache.set(g, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const made = makePositionFeatures(g, p);
  byKey.set(key, made);
  return made;
}

function makePositionFeatures(g: Grid, p: LearnedParams): { names: string[]; maps: Float64Array[] } {
  const names = ['area (uniform background)'];
  const maps = [Float64Array.from(g.areas)];
  if (p.model !== 'learned') return { names, maps };
  const m = p.rff ?? 16;
  const rnd = prng(p.seed ?? 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  for (let q = 0; q < m; q++) {
    const ell = q % 2 ? 2640 * (g.cellSize / 250) : 10560 * (g.cellSize / 250); // half a mile and two miles at 250-ft cells
    const wx = normal() / ell,
      wy = normal() / ell,
      b = 2 * Math.PI * rnd();
    const f = new Float64Array(g.n);
    for (let k = 0; k < g.n; k++) f[k] = g.areas[k] * (1 + Math.cos(wx * g.cx[k] + wy * g.cy[k] + b));
    names.push(`position ${q + 1} (${ell === 2640 * (g.cellSize / 250) ? 'fine' : 'coarse'})`);
    maps.push(f);
  }
  return { names, maps };
}

interface Kernel {
  st: ReturnType<typeof stencil>;
  w: Float64Array;
  /** Per source cell, the sum of its kernel weights that land on kept cells (NaN until first asked). */
  reach: Float64Array;
}

// Kernels by grid and shape, shared by every fit on that grid (a backtest fits hundreds).
const kernelCache = new WeakMap<Grid, Map<string, Kernel>>();

function kernelOf(g: Grid, f: FeatureSpec): Kernel {
  const key = `${f.kernel}|${f.h}`;
  let byKey = kernelCache.get(g);
  if (!byKey) kernelCache.set(g, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  let made: Kernel;
  if (f.kernel === 'cell') made = { st: stencil(g, 0), w: new Float64Array([1]), reach: new Float64Array(g.n) };
  else {
    const radius = f.kernel === 'gauss' ? 3 * f.h : f.h;
    const st = stencil(g, radius);
    const w = st.d.map((r) =>
      f.kernel === 'gauss' ? Math.exp(-(r * r) / (2 * f.h * f.h)) : r < f.h ? (1 - (r * r) / (f.h * f.h)) ** 2 : 0,
    );
    made = { st, w, reach: new Float64Array(g.n) };
  }
  made.reach.fill(NaN);
  byKey.set(key, made);
  return made;
}

/** Σ of kernel weights from source cell k onto kept cells, so that Σ_cells map = Σ_sources mass × reach. O(stencil), once per cell. */
function reachOf(g: Grid, ker: Kernel, k: number): number {
  const cached = ker.reach[k];
  if (cached === cached) return cached;
  const { dc, dr } = ker.st;
  const id = g.ids[k],
    c0 = id % g.cols,
    r0 = (id - c0) / g.cols;
  let v = 0;
  for (let q = 0; q < dc.length; q++) {
    const cc = c0 + dc[q],
      rr = r0 + dr[q];
    if (cc < 0 || rr < 0 || cc >= g.cols || rr >= g.rows) continue;
    if (g.index[rr * g.cols + cc] >= 0) v += ker.w[q];
  }
  ker.reach[k] = v;
  return v;
}

/** Whether incident i counts as a target (or as an "other" type). */
function typeMask(d: Prepared, target: string[] | undefined): Uint8Array {
  const m = new Uint8Array(d.n);
  const set = target ? new Set(target) : null;
  for (let i = 0; i < d.n; i++) m[i] = !set || set.has(d.types[i]) ? 1 : 0;
  return m;
}

/** Features sharing a kernel: spread together, one channel each. */
interface KernelGroup {
  ker: Kernel;
  js: number[];
}

function groupByKernel(specs: FeatureSpec[], kernels: Kernel[]): KernelGroup[] {
  const groups = new Map<Kernel, number[]>();
  specs.forEach((_, j) => {
    const l = groups.get(kernels[j]);
    if (l) l.push(j);
    else groups.set(kernels[j], [j]);
  });
  return [...groups].map(([ker, js]) => ({ ker, js }));
}

/** Source masses of one kernel group at origin t0: mass[k·C + c] over the cells listed in `cells`. */
interface GroupMass {
  C: number;
  /** Dense, cell-major (g.n × C); zero outside `cells`. */
  mass: Float64Array;
  cells: number[];
}

// Time weights by whole-day age, per feature and window (a feature's name fixes its time weight; the
// window enters only the same-season one). Date-only data has whole-day ages at day-aligned origins,
// so each weight is computed once instead of once per incident and origin; others are computed directly.
const timeTables = new Map<string, Float64Array>();
function timeTable(f: FeatureSpec, W: number, maxAge: number): Float64Array {
  const key = `${f.name}|${W}`;
  let t = timeTables.get(key);
  if (!t || t.length <= maxAge) {
    const grown = new Float64Array(Math.max(4096, 2 * maxAge + 2)).fill(NaN);
    if (t) grown.set(t);
    timeTables.set(key, (t = grown));
  }
  return t;
}

/** Time-weighted masses per cell and channel from the incidents before t0. O(before × C). */
function groupMass(
  d: Prepared,
  isTarget: Uint8Array,
  specs: FeatureSpec[],
  js: number[],
  t0: number,
  W: number,
  before: number,
  mass: Float64Array,
): GroupMass {
  const C = js.length;
  const cells: number[] = [];
  const seen = seenScratch(d.grid);
  for (let c = 0; c < C; c++) {
    const f = specs[js[c]];
    const want = f.types === 'target' ? 1 : 0;
    const table = before ? timeTable(f, W, Math.ceil(t0 - d.t[0])) : null;
    for (let i = 0; i < before; i++) {
      if (isTarget[i] !== want) continue;
      const a = t0 - d.t[i];
      let v: number;
      if ((a | 0) === a && a < table!.length) {
        v = table![a];
        if (v !== v) v = table![a] = f.time(a, t0, W);
      } else v = f.time(a, t0, W);
      if (!(v > 0)) continue;
      const k = d.cell[i];
      mass[k * C + c] += v;
      if (!seen[k]) {
        seen[k] = 1;
        cells.push(k);
      }
    }
  }
  for (const k of cells) seen[k] = 0;
  return { C, mass, cells };
}

/** Feature values at cell k: out[c] = Σ_offsets mass(k − offset, c) × w(offset) (the spread map, read at k). O(stencil × C). */
function gatherAt(g: Grid, ker: Kernel, m: GroupMass, k: number, out: Float64Array): void {
  const { dc, dr } = ker.st;
  const C = m.C;
  out.fill(0, 0, C);
  const id = g.ids[k],
    c0 = id % g.cols,
    r0 = (id - c0) / g.cols;
  for (let q = 0; q < dc.length; q++) {
    const cc = c0 - dc[q],
      rr = r0 - dr[q];
    if (cc < 0 || rr < 0 || cc >= g.cols || rr >= g.rows) continue;
    const src = g.index[rr * g.cols + cc];
    if (src < 0) continue;
    const w = ker.w[q];
    for (let c = 0; c < C; c++) out[c] += m.mass[src * C + c] * w;
  }
}

/** Z_j = Σ_cells map_j = Σ_sources mass × reach, per channel, without building the map. O(sources × C). */
function groupTotals(g: Grid, ker: Kernel, m: GroupMass): Float64Array {
  const z = new Float64Array(m.C);
  for (const k of m.cells) {
    const r = reachOf(g, ker, k);
    for (let c = 0; c < m.C; c++) z[c] += m.mass[k * m.C + c] * r;
  }
  return z;
}

// Per grid, cleared after each use: which cells a group mass has touched.
const seenCache = new WeakMap<Grid, Uint8Array>();
function seenScratch(g: Grid): Uint8Array {
  let s = seenCache.get(g);
  if (!s) seenCache.set(g, (s = new Uint8Array(g.n)));
  return s;
}

// One zeroed scratch buffer per grid for group masses (everything here is synchronous); callers
// clear the cells they touched.
const scratchCache = new WeakMap<Grid, Float64Array>();
function scratch(g: Grid, C: number): Float64Array {
  let s = scratchCache.get(g);
  if (!s || s.length < g.n * C) scratchCache.set(g, (s = new Float64Array(g.n * Math.max(C, 4))));
  return s;
}
function clearMass(m: GroupMass): void {
  for (const k of m.cells) m.mass.fill(0, k * m.C, (k + 1) * m.C);
}

interface OriginRows {
  y: Float64Array;
  f: Float64Array[];
  present: Uint8Array;
  total: number;
}

// Cache of training rows by grid and a key naming the origin, window, feature family and the exact
// incidents (prefix hash) they were computed from.
const rowCache = new WeakMap<Grid, Map<string, OriginRows>>();
const hashCache = new WeakMap<Prepared, Uint32Array>();

/** Prefix hashes h[m] of the first m incidents (time, position, cell, type), two 32-bit lanes. O(n) once per Prepared. */
function prefixHash(d: Prepared): Uint32Array {
  let h = hashCache.get(d);
  if (h) return h;
  h = new Uint32Array(2 * (d.n + 1));
  let a = 0x811c9dc5,
    b = 0x9e3779b9;
  const mix = (v: number) => {
    a = Math.imul(a ^ v, 0x01000193) >>> 0;
    b = Math.imul(b ^ v, 0x85ebca6b) >>> 0;
    b = (b ^ (b >>> 13)) >>> 0;
  };
  h[0] = a;
  h[1] = b;
  for (let i = 0; i < d.n; i++) {
    mix(Math.round(d.t[i] * 1440) | 0);
    mix(Math.round(d.x[i] * 16) | 0);
    mix(Math.round(d.y[i] * 16) | 0);
    mix(d.cell[i]);
    const ty = d.types[i];
    for (let c = 0; c < ty.length; c++) mix(ty.charCodeAt(c));
    h[2 * i + 2] = a;
    h[2 * i + 3] = b;
  }
  hashCache.set(d, h);
  return h;
}

/** Z of each positional map (Σ over cells, in cell order), once per map. */
const posTotals = new WeakMap<Float64Array, number>();
function totalOf(map: Float64Array): number {
  let z = posTotals.get(map);
  if (z !== undefined) return z;
  z = 0;
  for (let k = 0; k < map.length; k++) z += map[k];
  posTotals.set(map, z);
  return z;
}

/**
 * One training origin: the counts in [t0, t0 + W) and, at the cells with a count, every feature / Z.
 * Features are read only where they are needed: kernel features are gathered at those cells
 * (O(rows × Σ stencil × channels)) and Z comes from the source masses and their in-grid reach
 * (O(sources × channels)), so no map over all cells is built. O(before × features + rows × Σ stencil).
 */
function trainingRows(
  d: Prepared,
  isTarget: Uint8Array,
  specs: FeatureSpec[],
  groups: KernelGroup[],
  pos: Float64Array[],
  t0: number,
  W: number,
  family: string,
): OriginRows {
  const end = countBefore(d, t0 + W);
  const h = prefixHash(d);
  const key = `${family}|${t0}|${W}|${end}|${h[2 * end]}|${h[2 * end + 1]}`;
  let cache = rowCache.get(d.grid);
  if (!cache) rowCache.set(d.grid, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const g = d.grid;
  const before = countBefore(d, t0);
  const y = new Float64Array(g.n);
  let total = 0;
  for (let i = before; i < end; i++)
    if (isTarget[i]) {
      y[d.cell[i]] += 1;
      total++;
    }
  const cells: number[] = [];
  for (let k = 0; k < g.n; k++) if (y[k] > 0) cells.push(k);
  const J = specs.length + pos.length;
  const f = cells.map(() => new Float64Array(J));
  const present = new Uint8Array(J);
  for (const { ker, js } of groups) {
    const m = groupMass(d, isTarget, specs, js, t0, W, before, scratch(g, js.length));
    const z = groupTotals(g, ker, m);
    const at = new Float64Array(m.C);
    cells.forEach((k, r) => {
      gatherAt(g, ker, m, k, at);
      js.forEach((j, c) => {
        if (z[c] > 0) f[r][j] = at[c] / z[c];
      });
    });
    js.forEach((j, c) => {
      if (z[c] > 0) present[j] = 1;
    });
    clearMass(m);
  }
  pos.forEach((map, q) => {
    const j = specs.length + q;
    const z = totalOf(map);
    if (!(z > 0)) return;
    present[j] = 1;
    cells.forEach((k, r) => {
      f[r][j] = map[k] / z;
    });
  });
  const rows: OriginRows = { y: Float64Array.from(cells.map((k) => y[k])), f, present, total };
  if (cache.size > 4000) cache.clear();
  cache.set(key, rows);
  return rows;
}

/**
 * The training rows of one origin as the learned model sees them (for tests and diagnostics): the
 * cells with a count in [t0, t0 + W), their counts, and every feature / Z at those cells, by name.
 */
export function learnedTrainingRows(
  d: Prepared,
  p: LearnedParams,
  t0: number,
  W: number,
): { names: string[]; cells: number[]; y: Float64Array; f: Float64Array[]; present: Uint8Array } {
  const g = d.grid;
  const specs = featureSpecs(p, g.cellSize);
  const groups = groupByKernel(
    specs,
    specs.map((s) => kernelOf(g, s)),
  );
  const pos = positionFeatures(g, p);
  const isTarget = typeMask(d, p.target);
  const rows = trainingRows(d, isTarget, specs, groups, pos.maps, t0, W, `rows|${JSON.stringify(p)}`);
  const y = new Float64Array(g.n);
  for (let i = countBefore(d, t0), end = countBefore(d, t0 + W); i < end; i++) if (isTarget[i]) y[d.cell[i]] = 1;
  const cells: number[] = [];
  for (let k = 0; k < g.n; k++) if (y[k]) cells.push(k);
  return { names: [...specs.map((s) => s.name), ...pos.names], cells, ...rows };
}

/** Training origins (days) for window W before asOf: recent ones a window apart, then the same date in earlier years. */
export function trainingOrigins(
  asOfDays: number,
  W: number,
  firstDay: number,
  recent: number,
  seasons: number,
): number[] {
  // On a weekly lattice (days since the epoch divisible by 7), so that the fits of a weekly rolling
  // backtest share their training origins and the row cache serves them.
  const last = Math.floor((asOfDays - W) / 7) * 7;
  const step = 7 * Math.ceil(Math.max(7, W) / 7);
  const out: number[] = [];
  for (let m = 0; m < recent; m++) {
    const t0 = last - m * step;
    if (t0 - firstDay >= 365) out.push(t0);
  }
  for (let y = 1; y <= seasons; y++) {
    // four-weekly lattice: a year of weekly backtest fits needs 13 seasonal row sets per year, not 52
    const t0 = Math.floor((asOfDays - y * YEAR) / 28) * 28;
    if (t0 - firstDay >= 365 && t0 + W <= asOfDays && !out.includes(t0)) out.push(t0);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Non-negative Poisson regression, identity link, L2 penalty ρΣβ², by multiplicative (MM) updates.
 * Hot path: the rows are copied once into one row-major matrix, so each iteration is two dense passes
 * over it; the log-likelihood (one log per row) is only taken in the last. O(iterations × rows × J).
 */
export function fitNonNegativePoisson(
  rows: { y: Float64Array; f: Float64Array[]; present: Uint8Array }[],
  J: number,
  ridge: number,
  iterations: number,
): { beta: Float64Array; logLik: number } {
  const S = new Float64Array(J);
  let totalY = 0;
  let R = 0;
  for (const o of rows) {
    for (let j = 0; j < J; j++) S[j] += o.present[j];
    for (const v of o.y) totalY += v;
    R += o.y.length;
  }
  const F = new Float64Array(R * J);
  const Y = new Float64Array(R);
  let r0 = 0;
  for (const o of rows)
    for (let r = 0; r < o.y.length; r++, r0++) {
      Y[r0] = o.y[r];
      F.set(o.f[r].subarray(0, J), r0 * J);
    }
  const meanTotal = rows.length ? totalY / rows.length : 0;
  const beta = new Float64Array(J);
  for (let j = 0; j < J; j++) beta[j] = S[j] > 0 ? meanTotal / J : 0;
  const rho = ridge / Math.max(meanTotal, 1e-9);
  const A = new Float64Array(J);
  let logLik = 0;
  for (let it = 0; it < iterations; it++) {
    const last = it === iterations - 1;
    A.fill(0);
    logLik = 0;
    for (let r = 0, base = 0; r < R; r++, base += J) {
      let lam = 0;
      for (let j = 0; j < J; j++) lam += beta[j] * F[base + j];
      if (!(lam > 0)) continue;
      const c = Y[r] / lam;
      if (last) logLik += Y[r] * Math.log(lam);
      for (let j = 0; j < J; j++) A[j] += c * F[base + j];
    }
    for (let j = 0; j < J; j++) {
      logLik -= beta[j] * S[j];
      if (S[j] > 0) beta[j] = (beta[j] * A[j]) / (S[j] + 2 * rho * beta[j]);
    }
  }
  return { beta, logLik };
}

export function describeLearned(p: LearnedParams): Message {
  if (p.model === 'ensemble') return msg('model.ensemble');
  const params = { rff: p.rff ?? 16, recent: p.recentOrigins ?? 6, seasons: p.seasons ?? 4 };
  return p.target
    ? msg('model.learnedTarget', { ...params, target: p.target.join('+') })
    : msg('model.learned', params);
}

export function validateLearned(p: LearnedParams): void {
  const int = (v: unknown, field: string, min: number, max: number) => {
    if (v === undefined) return;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max)
      throw new InputError(msg('forecast.learned.badParam', { model: p.model, field, expected: `${min}–${max}` }), [
        { field: `params.${field}`, expected: `an integer from ${min} to ${max}`, got: String(v) },
      ]);
  };
  int(p.recentOrigins, 'recentOrigins', 0, 104);
  int(p.seasons, 'seasons', 0, 20);
  int(p.rff, 'rff', 0, 256);
  int(p.iterations, 'iterations', 1, 10_000);
  int(p.seed, 'seed', 0, 2 ** 31 - 1);
  if (p.ridge !== undefined && !(typeof p.ridge === 'number' && p.ridge >= 0 && Number.isFinite(p.ridge)))
    throw new InputError(msg('forecast.learned.badParam', { model: p.model, field: 'ridge', expected: '≥ 0' }), [
      { field: 'params.ridge', expected: 'a number ≥ 0', got: String(p.ridge) },
    ]);
  if (
    p.target !== undefined &&
    !(Array.isArray(p.target) && p.target.length && p.target.every((t) => typeof t === 'string' && t))
  )
    throw new InputError(
      msg('forecast.learned.badParam', { model: p.model, field: 'target', expected: 'incident types' }),
      [{ field: 'params.target', expected: 'a non-empty list of incident types', got: String(p.target) }],
    );
  if ((p.recentOrigins ?? 6) + (p.seasons ?? 4) === 0)
    throw new InputError(msg('forecast.learned.noOrigins', { model: p.model }), [
      { field: 'params.recentOrigins', expected: 'recentOrigins + seasons ≥ 1' },
    ]);
}

/**
 * Fit lazily per window length (the target is the count in the window): risk(W) trains on origins
 * before the as-of date and caches the coefficients; explain(k, W) splits λ_k into the named features
 * and, for incident features, into incidents. Training cost: O(origins × (n × features + rows × Σ stencil));
 * the risk map: O(n × features + occupied cells × Σ_kernels stencil), since the features of one kernel
 * enter λ through one combined mass Σ_c β_c/Z_c · mass_c, spread once.
 */
export function fitLearned(d: Prepared, asOf: number, p: LearnedParams): FittedRisk {
  const g = d.grid;
  const T = asOf / 86_400_000;
  const specs = featureSpecs(p, g.cellSize);
  const kernels = specs.map((s) => kernelOf(g, s));
  const groups = groupByKernel(specs, kernels);
  const pos = positionFeatures(g, p);
  const names = [...specs.map((s) => s.name), ...pos.names];
  const J = names.length;
  const isTarget = typeMask(d, p.target);
  const family = `${p.model}|${p.rff ?? 16}|${p.seed ?? 1}|${(p.target ?? []).join('+')}|${g.cellSize}`;
  const fits = new Map<
    number,
    {
      beta: Float64Array;
      z: Float64Array;
      risk: Float64Array;
      /** Masses at the as-of date per kernel group, made on the first explanation. */
      masses: GroupMass[] | null;
      diagnostics: Record<string, number>;
    }
  >();
  const diagnostics: Record<string, number> = { features: J };
  const fitFor = (W: number) => {
    const cached = fits.get(W);
    if (cached) return cached;
    const origins = d.n ? trainingOrigins(T, W, d.t[0], p.recentOrigins ?? 6, p.seasons ?? 4) : [];
    const rows = origins.map((t0) => trainingRows(d, isTarget, specs, groups, pos.maps, t0, W, family));
    const { beta, logLik } = rows.length
      ? fitNonNegativePoisson(rows, J, p.ridge ?? 0.05, p.iterations ?? 300)
      : { beta: new Float64Array(J).fill(1), logLik: NaN };
    const z = new Float64Array(J);
    const risk = new Float64Array(g.n);
    for (const { ker, js } of groups) {
      const m = groupMass(d, isTarget, specs, js, T, W, d.n, scratch(g, js.length));
      const zs = groupTotals(g, ker, m);
      const coef = js.map((j, c) => {
        z[j] = zs[c];
        return zs[c] > 0 && beta[j] !== 0 ? beta[j] / zs[c] : 0;
      });
      // the combined mass goes in channel 0 of the scratch (each cell's channels are read before written)
      const combined = m.mass.subarray(0, g.n);
      const touched = m.cells.slice().sort((a, b) => a - b);
      for (const k of touched) {
        let v = 0;
        for (let c = 0; c < m.C; c++) v += coef[c] * m.mass[k * m.C + c];
        m.mass.fill(0, k * m.C, (k + 1) * m.C);
        combined[k] = v;
      }
      spread(g, combined, ker.st, ker.w, risk);
      for (const k of touched) combined[k] = 0;
    }
    pos.maps.forEach((map, q) => {
      const j = specs.length + q;
      const s = totalOf(map);
      z[j] = s;
      if (!(s > 0) || beta[j] === 0) return;
      const c = beta[j] / s;
      for (let k = 0; k < map.length; k++) risk[k] += c * map[k];
    });
    const fit = {
      beta,
      z,
      risk,
      masses: null,
      diagnostics: { trainingOrigins: origins.length, trainingEvents: rows.reduce((s, r) => s + r.total, 0), logLik },
    };
    Object.assign(diagnostics, fit.diagnostics);
    names.forEach((nm, j) => {
      diagnostics[`β ${nm}`] = beta[j];
    });
    fits.set(W, fit);
    return fit;
  };
  return {
    asOf,
    diagnostics,
    risk: (W) => fitFor(W).risk.slice(),
    explain: (k, W): RiskDecomposition => {
      const f = fitFor(W);
      f.masses ??= groups.map(({ js }) =>
        groupMass(d, isTarget, specs, js, T, W, d.n, new Float64Array(g.n * js.length)),
      );
      // feature values at k: one gather per kernel group
      const value = new Float64Array(J);
      groups.forEach(({ ker, js }, gi) => {
        const at = new Float64Array(js.length);
        gatherAt(g, ker, f.masses![gi], k, at);
        js.forEach((j, c) => {
          value[j] = at[c];
        });
      });
      pos.maps.forEach((map, q) => {
        value[specs.length + q] = map[k];
      });
      const named: { name: string; value: number }[] = [];
      const byIncident = new Map<number, number>();
      let background = 0;
      names.forEach((nm, j) => {
        const c = f.z[j] > 0 ? f.beta[j] / f.z[j] : 0;
        const v = c * value[j];
        named.push({ name: nm, value: v });
        if (j >= specs.length) {
          background += v;
          return;
        }
        if (!(v > 0)) return;
        // incidents behind this feature at cell k: O(stencil × incidents per nearby cell)
        const s = specs[j],
          ker = kernels[j];
        const want = s.types === 'target' ? 1 : 0;
        const id = g.ids[k];
        const c0 = id % g.cols,
          r0 = (id - c0) / g.cols;
        for (let q = 0; q < ker.st.dc.length; q++) {
          const cc = c0 - ker.st.dc[q],
            rr = r0 - ker.st.dr[q];
          if (cc < 0 || rr < 0 || cc >= g.cols || rr >= g.rows) continue;
          const jj = g.index[rr * g.cols + cc];
          if (jj < 0) continue;
          for (let u = d.cellStart[jj]; u < d.cellStart[jj + 1]; u++) {
            const i = d.cellOrder[u];
            if (isTarget[i] !== want) continue;
            const w = c * s.time(T - d.t[i], T, W) * ker.w[q];
            if (w > 0) byIncident.set(i, (byIncident.get(i) ?? 0) + w);
          }
        }
      });
      return {
        background,
        contributions: [...byIncident].map(([i, value]) => ({ i, value })),
        named: named.filter((x) => x.value > 0),
      };
    },
  };
}
