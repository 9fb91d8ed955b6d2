/** Continuous space–time SEPP (Mohler et al. 2011) with stochastic declustering; needs hour-precise times. */
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { DAY_MS, type Prepared } from '../data';
import type { FittedRisk, ModelFamily } from '../model-family';
import { prng } from '../random';

export interface SeppParams {
  model: 'sepp';
  iterations?: number;
  trainingDays?: number;
  maxLagDays?: number;
  maxDistance?: number;
  backgroundBandwidth?: number;
  seed?: number;
}

export interface SeppFit {
  theta: number;
  omega: number;
  sigma: number;
  backgroundWeight: Float64Array;
  iterations: number;
  pairs: number;
  spanDays: number;
}

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
    const bx = Math.floor(x[i] / size),
      by = Math.floor(y[i] / size);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
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
export function emSepp(
  d: Prepared,
  asOfDays: number,
  opts: {
    iterations: number;
    startDays: number;
    maxLagDays: number;
    maxDistance: number;
    backgroundBandwidth: number;
    seed: number;
  },
): SeppFit {
  const n = d.n;
  const first = (() => {
    let lo = 0;
    while (lo < n && d.t[lo] < opts.startDays) lo++;
    return lo;
  })();
  const T = Math.max(asOfDays - opts.startDays, 1e-9);
  // candidate parents of each incident (CSR)
  const near = spatialHash(d.x, d.y, n, opts.maxDistance);
  const pStart = new Int32Array(n + 1);
  const pj: number[] = [],
    pdt: number[] = [],
    pd2: number[] = [];
  const maxD2 = opts.maxDistance ** 2;
  for (let i = 0; i < n; i++) {
    pStart[i] = pj.length;
    if (i < first) continue;
    near(i, (j) => {
      const dt = d.t[i] - d.t[j];
      if (j < first || dt <= 0 || dt > opts.maxLagDays) return;
      const d2 = (d.x[i] - d.x[j]) ** 2 + (d.y[i] - d.y[j]) ** 2;
      if (d2 <= maxD2) {
        pj.push(j);
        pdt.push(dt);
        pd2.push(d2);
      }
    });
  }
  pStart[n] = pj.length;
  const sb = opts.backgroundBandwidth;
  const nearBg = spatialHash(d.x, d.y, n, 4 * sb);
  const kb = 1 / (2 * Math.PI * sb * sb);
  const rnd = prng(opts.seed);
  let theta = 0.2,
    omega = 1 / 7,
    sigma = opts.maxDistance / 4;
  const isBg = new Uint8Array(n).fill(1);
  const pBg = new Float64Array(n);
  const mu = new Float64Array(n);
  let it = 0;
  for (; it < opts.iterations; it++) {
    // background intensity at each incident from the current background sample (self included)
    for (let i = first; i < n; i++) {
      let s = 0;
      nearBg(i, (j) => {
        if (j >= first && isBg[j]) {
          const r2 = (d.x[i] - d.x[j]) ** 2 + (d.y[i] - d.y[j]) ** 2;
          if (r2 < 16 * sb * sb) s += Math.exp(-r2 / (2 * sb * sb));
        }
      });
      mu[i] = (kb * s) / T;
    }
    const ks = (theta * omega) / (2 * Math.PI * sigma * sigma);
    let nTrig = 0,
      sumDt = 0,
      sumD2 = 0;
    const nextBg = new Uint8Array(n);
    for (let i = first; i < n; i++) {
      let lam = mu[i];
      for (let q = pStart[i]; q < pStart[i + 1]; q++)
        lam += ks * Math.exp(-omega * pdt[q] - pd2[q] / (2 * sigma * sigma));
      pBg[i] = lam > 0 ? mu[i] / lam : 1;
      let u = rnd() * lam - mu[i];
      if (u < 0 || pStart[i] === pStart[i + 1]) {
        nextBg[i] = 1;
        continue;
      }
      let chosen = pStart[i + 1] - 1;
      for (let q = pStart[i]; q < pStart[i + 1]; q++) {
        u -= ks * Math.exp(-omega * pdt[q] - pd2[q] / (2 * sigma * sigma));
        if (u < 0) {
          chosen = q;
          break;
        }
      }
      nTrig++;
      sumDt += pdt[chosen];
      sumD2 += pd2[chosen];
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

function fitSepp(d: Prepared, asOf: number, p: SeppParams): FittedRisk {
  const coarse: string[] = [];
  for (let i = 0; i < d.n && coarse.length < 3; i++) if (d.precision[i] === 'day') coarse.push(d.ids[i]);
  if (coarse.length) {
    let total = 0;
    for (let i = 0; i < d.n; i++) if (d.precision[i] === 'day') total++;
    throw new InputError(msg('forecast.seppNeedsTimes', { count: total, examples: coarse.join(', ') }), [
      { field: 'timePrecision', expected: "'hour' or 'minute'", got: 'day' },
    ]);
  }
  const g = d.grid;
  const T = asOf / DAY_MS;
  const start = p.trainingDays ? T - p.trainingDays : d.n ? Math.min(d.t[0], T - 1) : T - 1;
  const opts = {
    iterations: p.iterations ?? 30,
    startDays: start,
    maxLagDays: p.maxLagDays ?? 60,
    maxDistance: p.maxDistance ?? 8 * g.cellSize,
    backgroundBandwidth: p.backgroundBandwidth ?? 2 * g.cellSize,
    seed: p.seed ?? 1,
  };
  const f = emSepp(d, T, opts);
  const sb = opts.backgroundBandwidth;
  const gauss = (r2: number, s: number) => Math.exp(-r2 / (2 * s * s)) / (2 * Math.PI * s * s);
  // Expected counts in cell k over [T, T+W): background W · a_k · μ(c_k) + Σ_j θ e^{−ω(T−t_j)} (1 − e^{−ωW}) · a_k · N(c_k − x_j; σ²).
  // Densities are evaluated at cell centres from exact incident positions through a truncated stencil:
  // O(n × stencil) for the background and O(recent incidents × stencil) for triggering.
  const each = (
    radius: number,
    weightOf: (i: number) => number,
    density: (r2: number) => number,
    out: Float64Array,
  ) => {
    const reach = Math.ceil(radius / g.cellSize) + 1,
      reachR = Math.ceil(radius / g.cellHeight) + 1;
    for (let i = 0; i < d.n; i++) {
      const w = weightOf(i);
      if (!(w > 0)) continue;
      const id = g.ids[d.cell[i]];
      const c0 = id % g.cols,
        r0 = (id - c0) / g.cols;
      for (let dr = -reachR; dr <= reachR; dr++)
        for (let dc = -reach; dc <= reach; dc++) {
          const c = c0 + dc,
            r = r0 + dr;
          if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) continue;
          const k = g.index[r * g.cols + c];
          if (k < 0) continue;
          const r2 = (g.cx[k] - d.x[i]) ** 2 + (g.cy[k] - d.y[i]) ** 2;
          if (r2 <= radius * radius) out[k] += w * density(r2) * g.areas[k];
        }
    }
    return out;
  };
  const bgPerDay = each(
    4 * sb,
    (i) => (d.t[i] >= start ? f.backgroundWeight[i] / f.spanDays : 0),
    (r2) => gauss(r2, sb),
    new Float64Array(g.n),
  );
  const trigWeight = (i: number, W: number) =>
    d.t[i] >= start ? f.theta * Math.exp(-f.omega * (T - d.t[i])) * (1 - Math.exp(-f.omega * W)) : 0;
  const trigRadius = 4 * f.sigma;
  return {
    asOf,
    diagnostics: {
      theta: f.theta,
      omega: f.omega,
      sigma: f.sigma,
      iterations: f.iterations,
      candidatePairs: f.pairs,
      spanDays: f.spanDays,
    },
    risk: (W) => {
      const r = new Float64Array(g.n);
      for (let k = 0; k < g.n; k++) r[k] = bgPerDay[k] * W;
      return each(
        trigRadius,
        (i) => {
          const w = trigWeight(i, W);
          return w > 1e-9 ? w : 0;
        },
        (r2) => gauss(r2, f.sigma),
        r,
      );
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

export const sepp: ModelFamily<SeppParams> = {
  names: ['sepp'],
  syntax: ['sepp[:ITER]'],
  parse: (_name, a, h) => ({ model: 'sepp', iterations: h.num(a[0], 'iterations', 30) }),
  describe: (p) => msg('model.sepp', { iterations: p.iterations ?? 30 }),
  validate(p, h) {
    h.positive(p.iterations, 'iterations', true);
    h.positive(p.trainingDays, 'trainingDays', true);
    h.positive(p.maxLagDays, 'maxLagDays', true);
    h.positive(p.maxDistance, 'maxDistance', true);
    h.positive(p.backgroundBandwidth, 'backgroundBandwidth', true);
  },
  // hourly data only, as ETAS
  autoCandidates: (_cellSize, opts) => (opts.hourly ? [{ params: { model: 'sepp', iterations: 20 } }] : []),
  fit: fitSepp,
};
