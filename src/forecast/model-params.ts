/** The parameters of every forecast model family (a discriminated union on `model`). */

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

export type ModelParams =
  /** Naive counts: all history (days omitted) or the last `days` days. */
  | { model: 'counts'; days?: number }
  /** Retrospective hotspotting: 1/(1 + distance band) for incidents in the last `weeks` weeks, no time decay. */
  | { model: 'retrospective'; bandwidth: number; weeks: number; band?: number }
  /** Prospective hotspotting (Bowers, Johnson & Pease 2004): 1/(1 + distance band) × 1/(1 + age in weeks). */
  | { model: 'prospective'; bandwidth: number; weeks: number; band?: number }
  /** Time-weighted KDE: spatial kernel (Gaussian σ = bandwidth, or quartic radius = bandwidth) × 2^(−age/halfLife). */
  | { model: 'kde'; kernel?: 'gaussian' | 'quartic'; bandwidth: number; halfLifeDays: number }
  /** Grid ETAS (Mohler et al. 2015): λ_k(t) = μ_k + Σ_{t_i<t, i∈k} θω e^{−ω(t−t_i)}, fitted by EM. */
  | { model: 'etas'; iterations?: number; trainingDays?: number }
  /** Continuous space–time SEPP (Mohler et al. 2011) with stochastic declustering; needs hour-precise times. */
  | { model: 'sepp'; iterations?: number; trainingDays?: number; maxLagDays?: number; maxDistance?: number; backgroundBandwidth?: number; seed?: number }
  /** Regularised non-negative Poisson regression on named feature maps ('learned'), or the ensemble of memory maps ('ensemble'): see learned.ts. */
  | LearnedParams;
