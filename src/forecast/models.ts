/**
 * Forecast models on a grid. Each is a pure function of (prepared training incidents strictly before
 * the as-of time, parameters) to a fitted model that gives a risk per cell for a window starting at
 * the as-of time, and decomposes any cell's risk into a background part plus per-incident parts
 * (for explanations). Risks are non-negative; for ETAS and SEPP they are expected counts in the window.
 *
 * Distances and bandwidths are in CRS units (feet for EPSG:2913); times in days.
 */
import { InputError } from '../domain/errors';
import { spread, stencil, type Grid } from '../geo/grid';
import { DAY_MS, truncateBefore, type ForecastIncident, type Prepared, prepare } from './data';
import { prng } from './random';
import { describeLearned, fitLearned, validateLearned } from './learned';
import type { FittedModel, RiskDecomposition } from './fitted';
import type { ModelParams } from './model-params';

export type { FittedModel, ModelParams, RiskDecomposition };

export type ModelName = ModelParams['model'];

export function describeModel(p: ModelParams): string {
  switch (p.model) {
    case 'counts': return p.days ? `counts over the last ${p.days} days` : 'all-history counts';
    case 'retrospective': return `retrospective hotspotting (radius ${p.bandwidth}, ${p.weeks} weeks)`;
    case 'prospective': return `prospective hotspotting (radius ${p.bandwidth}, ${p.weeks} weeks)`;
    case 'kde': return `time-weighted KDE (${p.kernel ?? 'gaussian'} ${p.bandwidth}, half-life ${p.halfLifeDays} d)`;
    case 'etas': return `grid ETAS (EM, ${p.iterations ?? 40} iterations${p.trainingDays ? `, last ${p.trainingDays} d` : ''})`;
    case 'sepp': return `space-time SEPP (stochastic declustering, ${p.iterations ?? 30} iterations)`;
    case 'learned': case 'ensemble': return describeLearned(p);
  }
}

/** Check parameters; the error names the field and what was expected. */
export function validateParams(p: ModelParams): void {
  const pos = (v: unknown, field: string, optional = false) => {
    if (optional && v === undefined) return;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InputError(`model ${p.model}: ${field} must be a positive number`, [{ field: `params.${field}`, expected: '> 0', got: String(v) }]);
  };
  switch (p?.model) {
    case 'counts': pos(p.days, 'days', true); break;
    case 'retrospective': case 'prospective': pos(p.bandwidth, 'bandwidth'); pos(p.weeks, 'weeks'); pos(p.band, 'band', true); break;
    case 'kde':
      pos(p.bandwidth, 'bandwidth'); pos(p.halfLifeDays, 'halfLifeDays');
      if (p.kernel !== undefined && p.kernel !== 'gaussian' && p.kernel !== 'quartic') throw new InputError('kde kernel must be gaussian or quartic', [{ field: 'params.kernel', expected: "'gaussian' | 'quartic'", got: String(p.kernel) }]);
      break;
    case 'etas': pos(p.iterations, 'iterations', true); pos(p.trainingDays, 'trainingDays', true); break;
    case 'sepp': pos(p.iterations, 'iterations', true); pos(p.trainingDays, 'trainingDays', true); pos(p.maxLagDays, 'maxLagDays', true); pos(p.maxDistance, 'maxDistance', true); pos(p.backgroundBandwidth, 'backgroundBandwidth', true); break;
    case 'learned': case 'ensemble': validateLearned(p); break;
    default: throw new InputError(`unknown model ${JSON.stringify((p as { model?: unknown })?.model)}`, [{ field: 'params.model', expected: 'counts | retrospective | prospective | kde | etas | sepp | learned | ensemble' }]);
  }
}

/**
 * Fit a model on the prepared incidents strictly before `asOfMs` (later ones are ignored, so callers
 * cannot leak the future by accident).
 */
export function fitModel(data: Prepared, asOfMs: number, params: ModelParams): FittedModel {
  validateParams(params);
  const d = truncateBefore(data, asOfMs);
  switch (params.model) {
    case 'counts': return fitCounts(d, asOfMs, params);
    case 'retrospective': case 'prospective': return fitBjp(d, asOfMs, params);
    case 'kde': return fitKde(d, asOfMs, params);
    case 'etas': return fitEtas(d, asOfMs, params);
    case 'sepp': return fitSepp(d, asOfMs, params);
    case 'learned': case 'ensemble': return fitLearned(d, asOfMs, params);
  }
}

/** The pure-function form: risk per cell from raw incidents (already filtered by the data policy). */
export function forecastRisk(grid: Grid, training: readonly ForecastIncident[], asOfMs: number, params: ModelParams, windowDays: number): Float64Array {
  return fitModel(prepare(grid, training), asOfMs, params).risk(windowDays);
}

// ─── naive counts ────────────────────────────────────────────────────────────────────────────────

/** O(n + cells). */
function fitCounts(d: Prepared, asOf: number, p: { model: 'counts'; days?: number }): FittedModel {
  const since = p.days ? asOf / DAY_MS - p.days : -Infinity;
  const risk = new Float64Array(d.grid.n);
  for (let i = 0; i < d.n; i++) if (d.t[i] >= since) risk[d.cell[i]] += 1;
  return {
    params: p, asOf, diagnostics: { incidents: d.n },
    risk: () => risk.slice(),
    explain: (k) => {
      const contributions: { i: number; value: number }[] = [];
      for (let q = d.cellStart[k]; q < d.cellStart[k + 1]; q++) { const i = d.cellOrder[q]; if (d.t[i] >= since) contributions.push({ i, value: 1 }); }
      return { background: 0, contributions };
    },
  };
}

// ─── stencil models (hotspotting, KDE) ───────────────────────────────────────────────────────────

/**
 * Shared by hotspotting and KDE: per-incident time weight wt(i), per-offset space weight ws(d).
 * Risk = Σ_i wt(i) ws(|cell(i) − k|). Hot path: time weights summed per cell first, then each
 * occupied cell spreads once through the truncated stencil: O(n + occupied cells × stencil).
 */
function stencilModel(d: Prepared, asOf: number, params: ModelParams, radius: number, ws: (dist: number) => number, wt: (ageDays: number) => number, diagnostics: Record<string, number>): FittedModel {
  const g = d.grid;
  const st = stencil(g, radius);
  const w = st.d.map(ws);
  const T = asOf / DAY_MS;
  const mass = new Float64Array(g.n);
  for (let i = 0; i < d.n; i++) { const v = wt(T - d.t[i]); if (v > 0) mass[d.cell[i]] += v; }
  const risk = spread(g, mass, st, w);
  return {
    params, asOf, diagnostics: { ...diagnostics, stencilCells: st.d.length },
    risk: () => risk.slice(),
    explain: (k) => {
      // O(stencil × incidents per nearby cell)
      const id = g.ids[k];
      const c0 = id % g.cols, r0 = (id - c0) / g.cols;
      const contributions: { i: number; value: number }[] = [];
      for (let s = 0; s < st.dc.length; s++) {
        const c = c0 - st.dc[s], r = r0 - st.dr[s];
        if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) continue;
        const j = g.index[r * g.cols + c];
        if (j < 0) continue;
        for (let q = d.cellStart[j]; q < d.cellStart[j + 1]; q++) {
          const i = d.cellOrder[q];
          const v = wt(T - d.t[i]) * w[s];
          if (v > 0) contributions.push({ i, value: v });
        }
      }
      return { background: 0, contributions };
    },
  };
}

function fitBjp(d: Prepared, asOf: number, p: { model: 'retrospective' | 'prospective'; bandwidth: number; weeks: number; band?: number }): FittedModel {
  const band = p.band ?? d.grid.cellSize;
  const ws = (dist: number) => 1 / (1 + Math.floor(dist / band + 1e-9));
  const wt = p.model === 'prospective'
    ? (age: number) => (age <= p.weeks * 7 ? 1 / (1 + Math.floor(age / 7)) : 0)
    : (age: number) => (age <= p.weeks * 7 ? 1 : 0);
  return stencilModel(d, asOf, p, p.bandwidth, ws, wt, { band });
}

function fitKde(d: Prepared, asOf: number, p: { model: 'kde'; kernel?: 'gaussian' | 'quartic'; bandwidth: number; halfLifeDays: number }): FittedModel {
  const h = p.bandwidth;
  const quartic = p.kernel === 'quartic';
  const radius = quartic ? h : 3 * h;
  const ws = quartic ? (r: number) => (r < h ? (1 - (r * r) / (h * h)) ** 2 : 0) : (r: number) => Math.exp(-(r * r) / (2 * h * h));
  const lambda = Math.LN2 / p.halfLifeDays;
  return stencilModel(d, asOf, p, radius, ws, (age) => Math.exp(-lambda * age), {});
}

// ─── grid ETAS (Mohler et al. 2015) ──────────────────────────────────────────────────────────────

export interface EtasFit { mu: Float64Array; theta: number; omega: number; iterations: number; logLik: number; spanDays: number }

/**
 * EM for the grid ETAS model. Within each cell the exponential kernel lets the E-step run as a
 * recursion over the cell's incidents in time order:
 *   A_i = Σ_{j: t_j < t_i} e^{−ω(t_i−t_j)},  B_i = Σ_{j: t_j < t_i} (t_i−t_j) e^{−ω(t_i−t_j)},
 * so each iteration is O(n + cells), not O(n²). Incidents at the same time (date-only data) do not
 * trigger each other. M-step: μ_k = Σ_{i∈k} p_ii / T; θ = Σ p_ij / Σ_j (1 − e^{−ω(T_end − t_j)})
 * (edge-corrected); ω = Σ p_ij / Σ p_ij (t_i − t_j).
 */
export function emEtas(d: Prepared, asOfDays: number, iterations: number, startDays: number): EtasFit {
  const g = d.grid;
  const T = Math.max(asOfDays - startDays, 1e-9);
  const count = new Float64Array(g.n);
  for (let i = 0; i < d.n; i++) if (d.t[i] >= startDays) count[d.cell[i]]++;
  const mu = new Float64Array(g.n);
  for (let k = 0; k < g.n; k++) mu[k] = (0.5 * count[k]) / T;
  let theta = 0.5;
  let omega = 1 / 7;
  let logLik = -Infinity;
  let it = 0;
  const bg = new Float64Array(g.n);
  for (; it < iterations; it++) {
    bg.fill(0);
    let sumP = 0, sumPdt = 0, edge = 0;
    logLik = 0;
    for (let k = 0; k < g.n; k++) {
      let A = 0, B = 0, lastT = -Infinity, tiesAtLast = 0;
      for (let q = d.cellStart[k]; q < d.cellStart[k + 1]; q++) {
        const i = d.cellOrder[q];
        const ti = d.t[i];
        if (ti < startDays) continue;
        if (ti > lastT) {
          // fold the incidents at lastT into the state, then decay it to ti
          const a = A + tiesAtLast;
          const delta = lastT === -Infinity ? 0 : ti - lastT;
          const e = Math.exp(-omega * delta);
          B = e * (B + delta * a);
          A = e * a;
          lastT = ti;
          tiesAtLast = 0;
        }
        tiesAtLast++;
        const trig = theta * omega * A;
        const lam = mu[k] + trig;
        if (lam > 0) {
          bg[k] += mu[k] / lam;
          sumP += trig / lam;
          sumPdt += (theta * omega * B) / lam;
          logLik += Math.log(lam);
        }
        edge += 1 - Math.exp(-omega * (asOfDays - ti));
      }
    }
    let muSum = 0;
    for (let k = 0; k < g.n; k++) { mu[k] = bg[k] / T; muSum += mu[k]; }
    theta = edge > 0 ? Math.min(0.999, sumP / edge) : 0;
    if (sumPdt > 0 && sumP > 0) omega = Math.min(1e3, Math.max(1e-4, sumP / sumPdt));
    logLik -= muSum * T + theta * edge;
  }
  return { mu, theta, omega, iterations: it, logLik, spanDays: T };
}

function fitEtas(d: Prepared, asOf: number, p: { model: 'etas'; iterations?: number; trainingDays?: number }): FittedModel {
  const T = asOf / DAY_MS;
  const start = p.trainingDays ? T - p.trainingDays : d.n ? Math.min(d.t[0], T - 1) : T - 1;
  const f = emEtas(d, T, p.iterations ?? 40, start);
  // Trigger mass still to come from incident j inside [T, T+W): θ e^{−ω(T − t_j)} (1 − e^{−ωW}).
  const decayed = new Float64Array(d.grid.n);
  for (let i = 0; i < d.n; i++) if (d.t[i] >= start) decayed[d.cell[i]] += Math.exp(-f.omega * (T - d.t[i]));
  return {
    params: p, asOf, diagnostics: { theta: f.theta, omega: f.omega, iterations: f.iterations, logLik: f.logLik, spanDays: f.spanDays },
    risk: (W) => {
      const r = new Float64Array(d.grid.n);
      const c = f.theta * (1 - Math.exp(-f.omega * W));
      for (let k = 0; k < r.length; k++) r[k] = f.mu[k] * W + c * decayed[k];
      return r;
    },
    explain: (k, W) => {
      const c = f.theta * (1 - Math.exp(-f.omega * W));
      const contributions: { i: number; value: number }[] = [];
      for (let q = d.cellStart[k]; q < d.cellStart[k + 1]; q++) {
        const i = d.cellOrder[q];
        if (d.t[i] >= start) contributions.push({ i, value: c * Math.exp(-f.omega * (T - d.t[i])) });
      }
      return { background: f.mu[k] * W, contributions };
    },
  };
}

// ─── continuous space–time SEPP (Mohler et al. 2011) ─────────────────────────────────────────────

export interface SeppFit { theta: number; omega: number; sigma: number; backgroundWeight: Float64Array; iterations: number; pairs: number; spanDays: number }

/** Neighbour lists by a uniform spatial hash; O(n) to build. */
function spatialHash(x: Float64Array, y: Float64Array, n: number, size: number) {
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${Math.floor(x[i] / size)},${Math.floor(y[i] / size)}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    b.push(i);
  }
  return (i: number, cb: (j: number) => void) => {
    const bx = Math.floor(x[i] / size), by = Math.floor(y[i] / size);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const b = buckets.get(`${bx + dx},${by + dy}`);
      if (b) for (const j of b) cb(j);
    }
  };
}

/**
 * Stochastic-declustering EM: each iteration computes, for every incident, the probability that it is
 * background (μ(x_i)/λ_i) or triggered by each earlier incident within maxLagDays and maxDistance
 * (θω e^{−ωΔt} N(Δx; σ²)/λ_i), samples one parent (seeded), and re-estimates θ, ω, σ from the sample.
 * Background μ(x) = (1/T) Σ_b K_σb(x − x_b) over the sampled background incidents.
 * Candidate pairs are found once with a spatial hash: O(n × neighbours); each iteration is
 * O(pairs + n × background neighbours).
 */
export function emSepp(d: Prepared, asOfDays: number, opts: { iterations: number; startDays: number; maxLagDays: number; maxDistance: number; backgroundBandwidth: number; seed: number }): SeppFit {
  const n = d.n;
  const first = (() => { let lo = 0; while (lo < n && d.t[lo] < opts.startDays) lo++; return lo; })();
  const T = Math.max(asOfDays - opts.startDays, 1e-9);
  // candidate parents of each incident (CSR)
  const near = spatialHash(d.x, d.y, n, opts.maxDistance);
  const pStart = new Int32Array(n + 1);
  const pj: number[] = [], pdt: number[] = [], pd2: number[] = [];
  const maxD2 = opts.maxDistance ** 2;
  for (let i = 0; i < n; i++) {
    pStart[i] = pj.length;
    if (i < first) continue;
    near(i, (j) => {
      const dt = d.t[i] - d.t[j];
      if (j < first || dt <= 0 || dt > opts.maxLagDays) return;
      const d2 = (d.x[i] - d.x[j]) ** 2 + (d.y[i] - d.y[j]) ** 2;
      if (d2 <= maxD2) { pj.push(j); pdt.push(dt); pd2.push(d2); }
    });
  }
  pStart[n] = pj.length;
  const sb = opts.backgroundBandwidth;
  const nearBg = spatialHash(d.x, d.y, n, 4 * sb);
  const kb = 1 / (2 * Math.PI * sb * sb);
  const rnd = prng(opts.seed);
  let theta = 0.2, omega = 1 / 7, sigma = opts.maxDistance / 4;
  const isBg = new Uint8Array(n).fill(1);
  const pBg = new Float64Array(n);
  const mu = new Float64Array(n);
  let it = 0;
  for (; it < opts.iterations; it++) {
    // background intensity at each incident from the current background sample (self included)
    for (let i = first; i < n; i++) {
      let s = 0;
      nearBg(i, (j) => { if (j >= first && isBg[j]) { const r2 = (d.x[i] - d.x[j]) ** 2 + (d.y[i] - d.y[j]) ** 2; if (r2 < 16 * sb * sb) s += Math.exp(-r2 / (2 * sb * sb)); } });
      mu[i] = (kb * s) / T;
    }
    const ks = (theta * omega) / (2 * Math.PI * sigma * sigma);
    let nTrig = 0, sumDt = 0, sumD2 = 0;
    const nextBg = new Uint8Array(n);
    for (let i = first; i < n; i++) {
      let lam = mu[i];
      for (let q = pStart[i]; q < pStart[i + 1]; q++) lam += ks * Math.exp(-omega * pdt[q] - pd2[q] / (2 * sigma * sigma));
      pBg[i] = lam > 0 ? mu[i] / lam : 1;
      let u = rnd() * lam - mu[i];
      if (u < 0 || pStart[i] === pStart[i + 1]) { nextBg[i] = 1; continue; }
      let chosen = pStart[i + 1] - 1;
      for (let q = pStart[i]; q < pStart[i + 1]; q++) {
        u -= ks * Math.exp(-omega * pdt[q] - pd2[q] / (2 * sigma * sigma));
        if (u < 0) { chosen = q; break; }
      }
      nTrig++; sumDt += pdt[chosen]; sumD2 += pd2[chosen];
    }
    isBg.set(nextBg);
    const m = n - first;
    theta = m ? Math.min(0.95, nTrig / m) : 0;
    if (nTrig >= 2) {
      omega = Math.min(1e3, Math.max(1 / opts.maxLagDays, nTrig / sumDt));
      sigma = Math.min(opts.maxDistance / 2, Math.max(1e-6 * opts.maxDistance, Math.sqrt(sumD2 / (2 * nTrig))));
    }
  }
  const backgroundWeight = new Float64Array(n);
  for (let i = first; i < n; i++) backgroundWeight[i] = pBg[i];
  return { theta, omega, sigma, backgroundWeight, iterations: it, pairs: pj.length, spanDays: T };
}

function fitSepp(d: Prepared, asOf: number, p: Extract<ModelParams, { model: 'sepp' }>): FittedModel {
  const coarse: string[] = [];
  for (let i = 0; i < d.n && coarse.length < 3; i++) if (d.precision[i] === 'day') coarse.push(d.ids[i]);
  if (coarse.length) {
    let total = 0;
    for (let i = 0; i < d.n; i++) if (d.precision[i] === 'day') total++;
    throw new InputError(
      `the continuous SEPP needs event times to the hour or finer; ${total} training incident(s) have dates only (e.g. ${coarse.join(', ')}). Use grid ETAS, KDE or hotspotting for date-only data.`,
      [{ field: 'timePrecision', expected: "'hour' or 'minute'", got: 'day' }],
    );
  }
  const g = d.grid;
  const T = asOf / DAY_MS;
  const start = p.trainingDays ? T - p.trainingDays : d.n ? Math.min(d.t[0], T - 1) : T - 1;
  const opts = {
    iterations: p.iterations ?? 30, startDays: start, maxLagDays: p.maxLagDays ?? 60,
    maxDistance: p.maxDistance ?? 8 * g.cellSize, backgroundBandwidth: p.backgroundBandwidth ?? 2 * g.cellSize, seed: p.seed ?? 1,
  };
  const f = emSepp(d, T, opts);
  const sb = opts.backgroundBandwidth;
  const gauss = (r2: number, s: number) => Math.exp(-r2 / (2 * s * s)) / (2 * Math.PI * s * s);
  // Expected counts in cell k over [T, T+W): background W · a_k · μ(c_k) + Σ_j θ e^{−ω(T−t_j)} (1 − e^{−ωW}) · a_k · N(c_k − x_j; σ²).
  // Densities are evaluated at cell centres from exact incident positions through a truncated stencil:
  // O(n × stencil) for the background and O(recent incidents × stencil) for triggering.
  const each = (radius: number, weightOf: (i: number) => number, density: (r2: number) => number, out: Float64Array) => {
    const reach = Math.ceil(radius / g.cellSize) + 1, reachR = Math.ceil(radius / g.cellHeight) + 1;
    for (let i = 0; i < d.n; i++) {
      const w = weightOf(i);
      if (!(w > 0)) continue;
      const id = g.ids[d.cell[i]];
      const c0 = id % g.cols, r0 = (id - c0) / g.cols;
      for (let dr = -reachR; dr <= reachR; dr++) for (let dc = -reach; dc <= reach; dc++) {
        const c = c0 + dc, r = r0 + dr;
        if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) continue;
        const k = g.index[r * g.cols + c];
        if (k < 0) continue;
        const r2 = (g.cx[k] - d.x[i]) ** 2 + (g.cy[k] - d.y[i]) ** 2;
        if (r2 <= radius * radius) out[k] += w * density(r2) * g.areas[k];
      }
    }
    return out;
  };
  const bgPerDay = each(4 * sb, (i) => (d.t[i] >= start ? f.backgroundWeight[i] / f.spanDays : 0), (r2) => gauss(r2, sb), new Float64Array(g.n));
  const trigWeight = (i: number, W: number) => (d.t[i] >= start ? f.theta * Math.exp(-f.omega * (T - d.t[i])) * (1 - Math.exp(-f.omega * W)) : 0);
  const trigRadius = 4 * f.sigma;
  return {
    params: p, asOf, diagnostics: { theta: f.theta, omega: f.omega, sigma: f.sigma, iterations: f.iterations, candidatePairs: f.pairs, spanDays: f.spanDays },
    risk: (W) => {
      const r = new Float64Array(g.n);
      for (let k = 0; k < g.n; k++) r[k] = bgPerDay[k] * W;
      return each(trigRadius, (i) => { const w = trigWeight(i, W); return w > 1e-9 ? w : 0; }, (r2) => gauss(r2, f.sigma), r);
    },
    explain: (k, W) => {
      const contributions: { i: number; value: number }[] = [];
      for (let i = 0; i < d.n; i++) {
        const w = trigWeight(i, W);
        if (!(w > 1e-9)) continue;
        const r2 = (g.cx[k] - d.x[i]) ** 2 + (g.cy[k] - d.y[i]) ** 2;
        if (r2 <= trigRadius * trigRadius) contributions.push({ i, value: w * gauss(r2, f.sigma) * g.areas[k] });
      }
      return { background: bgPerDay[k] * W, contributions };
    },
  };
}
