/** Grid ETAS (Mohler et al. 2015): λ_k(t) = μ_k + Σ_{t_i<t, i∈k} θω e^{−ω(t−t_i)}, fitted by EM. */
import { DAY_MS, type Prepared } from '../data';
import type { FittedRisk, ModelFamily } from '../model-family';
import { msg } from '../../domain/messages';

export interface EtasParams {
  model: 'etas';
  iterations?: number;
  trainingDays?: number;
}

export interface EtasFit {
  mu: Float64Array;
  theta: number;
  omega: number;
  iterations: number;
  logLik: number;
  spanDays: number;
}

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
    let sumP = 0,
      sumPdt = 0,
      edge = 0;
    logLik = 0;
    for (let k = 0; k < g.n; k++) {
      let A = 0,
        B = 0,
        lastT = -Infinity,
        tiesAtLast = 0;
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
    for (let k = 0; k < g.n; k++) {
      mu[k] = bg[k] / T;
      muSum += mu[k];
    }
    theta = edge > 0 ? Math.min(0.999, sumP / edge) : 0;
    if (sumPdt > 0 && sumP > 0) omega = Math.min(1e3, Math.max(1e-4, sumP / sumPdt));
    logLik -= muSum * T + theta * edge;
  }
  return { mu, theta, omega, iterations: it, logLik, spanDays: T };
}

function fitEtas(d: Prepared, asOf: number, p: EtasParams): FittedRisk {
  const T = asOf / DAY_MS;
  const start = p.trainingDays ? T - p.trainingDays : d.n ? Math.min(d.t[0], T - 1) : T - 1;
  const f = emEtas(d, T, p.iterations ?? 40, start);
  // Trigger mass still to come from incident j inside [T, T+W): θ e^{−ω(T − t_j)} (1 − e^{−ωW}).
  const decayed = new Float64Array(d.grid.n);
  for (let i = 0; i < d.n; i++) if (d.t[i] >= start) decayed[d.cell[i]] += Math.exp(-f.omega * (T - d.t[i]));
  return {
    asOf,
    diagnostics: { theta: f.theta, omega: f.omega, iterations: f.iterations, logLik: f.logLik, spanDays: f.spanDays },
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

export const etas: ModelFamily<EtasParams> = {
  names: ['etas'],
  syntax: ['etas[:ITER]'],
  parse: (_name, a, h) => ({ model: 'etas', iterations: h.num(a[0], 'iterations', 40) }),
  describe: (p) =>
    p.trainingDays
      ? msg('model.etasRecent', { iterations: p.iterations ?? 40, days: p.trainingDays })
      : msg('model.etas', { iterations: p.iterations ?? 40 }),
  validate(p, h) {
    h.positive(p.iterations, 'iterations', true);
    h.positive(p.trainingDays, 'trainingDays', true);
  },
  // Self-excitation is not identifiable from date-only data (same-day incidents cannot trigger each
  // other), and grid ETAS costs as much as all the other candidates together: hourly data only.
  autoCandidates: (_cellSize, opts) => (opts.hourly ? [{ params: { model: 'etas', iterations: 40 } }] : []),
  fit: fitEtas,
};
