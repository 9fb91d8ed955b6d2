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
 * Only rows with y > 0 enter the numerator, so a training origin costs its feature maps
 * (O(occupied cells × stencil) per kernel feature) and O(events × features) to store.
 * Per-origin rows are cached by a prefix hash of the incidents, so rolling backtests reuse them.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { stencil, type Grid } from '../geo';
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
}

function kernelOf(g: Grid, f: FeatureSpec): Kernel {
  if (f.kernel === 'cell') return { st: stencil(g, 0), w: new Float64Array([1]) };
  const radius = f.kernel === 'gauss' ? 3 * f.h : f.h;
  const st = stencil(g, radius);
  const w = st.d.map((r) =>
    f.kernel === 'gauss' ? Math.exp(-(r * r) / (2 * f.h * f.h)) : r < f.h ? (1 - (r * r) / (f.h * f.h)) ** 2 : 0,
  );
  return { st, w };
}

/** Whether incident i counts as a target (or as an "other" type). */
function typeMask(d: Prepared, target: string[] | undefined): Uint8Array {
  const m = new Uint8Array(d.n);
  const set = target ? new Set(target) : null;
  for (let i = 0; i < d.n; i++) m[i] = !set || set.has(d.types[i]) ? 1 : 0;
  return m;
}

/**
 * All feature maps at origin t0. Features sharing a kernel are spread together (one pass over the
 * stencil for several time weights): O(n × features + occupied cells × Σ_kernels stencil × channels).
 */
function featureMaps(
  d: Prepared,
  isTarget: Uint8Array,
  specs: FeatureSpec[],
  kernels: Kernel[],
  t0: number,
  W: number,
  before: number,
): Float64Array[] {
  const g = d.grid;
  const out: Float64Array[] = new Array(specs.length);
  const groups = new Map<Kernel, number[]>();
  specs.forEach((_, j) => {
    const l = groups.get(kernels[j]);
    if (l) l.push(j);
    else groups.set(kernels[j], [j]);
  });
  for (const [ker, js] of groups) {
    const C = js.length;
    const mass = new Float64Array(g.n * C); // cell-major: mass[k*C + c]
    for (let c = 0; c < C; c++) {
      const f = specs[js[c]];
      const want = f.types === 'target' ? 1 : 0;
      for (let i = 0; i < before; i++) {
        if (isTarget[i] !== want) continue;
        const v = f.time(t0 - d.t[i], t0, W);
        if (v > 0) mass[d.cell[i] * C + c] += v;
      }
    }
    const maps = js.map(() => new Float64Array(g.n));
    const { dc, dr } = ker.st,
      w = ker.w,
      m = dc.length;
    for (let k = 0; k < g.n; k++) {
      let any = false;
      for (let c = 0; c < C; c++)
        if (mass[k * C + c] !== 0) {
          any = true;
          break;
        }
      if (!any) continue;
      const id = g.ids[k],
        c0 = id % g.cols,
        r0 = (id - c0) / g.cols;
      for (let q = 0; q < m; q++) {
        const cc = c0 + dc[q],
          rr = r0 + dr[q];
        if (cc < 0 || rr < 0 || cc >= g.cols || rr >= g.rows) continue;
        const jj = g.index[rr * g.cols + cc];
        if (jj < 0) continue;
        for (let c = 0; c < C; c++) maps[c][jj] += mass[k * C + c] * w[q];
      }
    }
    js.forEach((j, c) => {
      out[j] = maps[c];
    });
  }
  return out;
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

function trainingRows(
  d: Prepared,
  isTarget: Uint8Array,
  specs: FeatureSpec[],
  kernels: Kernel[],
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
  const before = countBefore(d, t0);
  const y = new Float64Array(d.grid.n);
  let total = 0;
  for (let i = before; i < end; i++)
    if (isTarget[i]) {
      y[d.cell[i]] += 1;
      total++;
    }
  const cells: number[] = [];
  for (let k = 0; k < d.grid.n; k++) if (y[k] > 0) cells.push(k);
  const J = specs.length + pos.length;
  const f = cells.map(() => new Float64Array(J));
  const present = new Uint8Array(J);
  const put = (j: number, map: Float64Array) => {
    let z = 0;
    for (let k = 0; k < map.length; k++) z += map[k];
    if (!(z > 0)) return;
    present[j] = 1;
    cells.forEach((k, r) => {
      f[r][j] = map[k] / z;
    });
  };
  featureMaps(d, isTarget, specs, kernels, t0, W, before).forEach((m, j) => put(j, m));
  pos.forEach((m, j) => put(specs.length + j, m));
  const rows: OriginRows = { y: Float64Array.from(cells.map((k) => y[k])), f, present, total };
  if (cache.size > 4000) cache.clear();
  cache.set(key, rows);
  return rows;
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

/** Non-negative Poisson regression, identity link, L2 penalty ρΣβ², by multiplicative (MM) updates. O(iterations × rows × J). */
export function fitNonNegativePoisson(
  rows: { y: Float64Array; f: Float64Array[]; present: Uint8Array }[],
  J: number,
  ridge: number,
  iterations: number,
): { beta: Float64Array; logLik: number } {
  const S = new Float64Array(J);
  let totalY = 0;
  for (const o of rows) {
    for (let j = 0; j < J; j++) S[j] += o.present[j];
    for (const v of o.y) totalY += v;
  }
  const meanTotal = rows.length ? totalY / rows.length : 0;
  const beta = new Float64Array(J);
  for (let j = 0; j < J; j++) beta[j] = S[j] > 0 ? meanTotal / J : 0;
  const rho = ridge / Math.max(meanTotal, 1e-9);
  const A = new Float64Array(J);
  let logLik = 0;
  for (let it = 0; it < iterations; it++) {
    A.fill(0);
    logLik = 0;
    for (const o of rows)
      for (let r = 0; r < o.y.length; r++) {
        const f = o.f[r];
        let lam = 0;
        for (let j = 0; j < J; j++) lam += beta[j] * f[j];
        if (!(lam > 0)) continue;
        const c = o.y[r] / lam;
        logLik += o.y[r] * Math.log(lam);
        for (let j = 0; j < J; j++) A[j] += c * f[j];
      }
    for (let j = 0; j < J; j++) {
      logLik -= beta[j] * S[j];
      if (S[j] > 0) beta[j] = (beta[j] * A[j]) / (S[j] + 2 * rho * beta[j]);
    }
  }
  return { beta, logLik };
}

export function describeLearned(p: LearnedParams): string {
  return p.model === 'ensemble'
    ? 'ensemble of short- and long-memory maps (weights learned on backtests)'
    : `learned Poisson model (${p.rff ?? 16} position features, ${p.recentOrigins ?? 6} recent + ${p.seasons ?? 4} same-season origins${p.target ? `, target ${p.target.join('+')}` : ''})`;
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
 * and, for incident features, into incidents. Training cost: O(origins × features × (n + occupied × stencil)).
 */
export function fitLearned(d: Prepared, asOf: number, p: LearnedParams): FittedRisk {
  const g = d.grid;
  const T = asOf / 86_400_000;
  const specs = featureSpecs(p, g.cellSize);
  const byShape = new Map<string, Kernel>();
  const kernels = specs.map((s) => {
    const key = `${s.kernel}|${s.h}`;
    let k = byShape.get(key);
    if (!k) byShape.set(key, (k = kernelOf(g, s)));
    return k;
  });
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
      maps: Float64Array[];
      risk: Float64Array;
      diagnostics: Record<string, number>;
    }
  >();
  const diagnostics: Record<string, number> = { features: J };
  const fitFor = (W: number) => {
    const cached = fits.get(W);
    if (cached) return cached;
    const origins = d.n ? trainingOrigins(T, W, d.t[0], p.recentOrigins ?? 6, p.seasons ?? 4) : [];
    const rows = origins.map((t0) => trainingRows(d, isTarget, specs, kernels, pos.maps, t0, W, family));
    const { beta, logLik } = rows.length
      ? fitNonNegativePoisson(rows, J, p.ridge ?? 0.05, p.iterations ?? 300)
      : { beta: new Float64Array(J).fill(1), logLik: NaN };
    const maps = [...featureMaps(d, isTarget, specs, kernels, T, W, d.n), ...pos.maps];
    const z = new Float64Array(J);
    const risk = new Float64Array(g.n);
    maps.forEach((m, j) => {
      let s = 0;
      for (let k = 0; k < m.length; k++) s += m[k];
      z[j] = s;
      if (!(s > 0) || beta[j] === 0) return;
      const c = beta[j] / s;
      for (let k = 0; k < m.length; k++) risk[k] += c * m[k];
    });
    const fit = {
      beta,
      z,
      maps,
      risk,
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
      const named: { name: string; value: number }[] = [];
      const byIncident = new Map<number, number>();
      let background = 0;
      names.forEach((nm, j) => {
        const c = f.z[j] > 0 ? f.beta[j] / f.z[j] : 0;
        const v = c * f.maps[j][k];
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
