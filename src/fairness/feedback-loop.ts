/**
 * The runaway feedback loop of predictive policing (Ensign, Friedler, Neville, Scheidegger &
 * Venkatasubramanian 2018) as a Pólya-urn simulation. Each day one patrol goes to a region chosen in
 * proportion to its recorded incidents; the incidents it discovers there are a Poisson count with that
 * region's true daily rate (as in their model), and recorded. A Bernoulli draw would cap discoveries at
 * one a visit, so with daily rates above 1 (their Oakland drug rates, 3.69 and 2.82) every visit would
 * add exactly one ball and the urn would stop running away. Without correction the urn runs away towards the region that happened to lead;
 * with their correction — a discovered incident counts 1/P(sent there) — the expected record grows
 * with the true rate and the allocation converges to the true crime share. Citizen reports (recorded
 * wherever patrols are) anchor it too, which is why the forecaster learns from them by default.
 * Seeded and deterministic. O(days × (regions + daily rate)).
 */
import { poisson, seededRandom as prng } from './stats';

export interface UrnOptions {
  trueRates: number[];
  days: number;
  initial?: number[];
  /**
   * Ensign et al.'s correction. true or 'weight': a discovered incident counts 1/P(patrol sent there)
   * (importance weighting). 'sample': each discovered incident is added (as 1) only with probability
   * min_j P(sent j) ÷ P(sent there), so the expected update in every region is proportional to its true rate (their
   * black-box input change). Either way the allocation converges to the true crime share.
   */
  correction?: boolean | 'weight' | 'sample';
  /** Share of a region's crimes reported by citizens each day: reports are Poisson(reportingRate × true rate) (0 = discovered only). */
  reportingRate?: number;
  /** Learn from incidents patrols discover (default true); false = citizen-reported only. */
  learnFromDiscovered?: boolean;
  seed: number;
}

export function simulateUrn(o: UrnOptions): { shares: number[]; history: number[][]; trueShares: number[] } {
  const rnd = prng(o.seed);
  const k = o.trueRates.length;
  const counts = Float64Array.from(o.initial ?? Array(k).fill(1));
  const history: number[][] = [];
  for (let day = 0; day < o.days; day++) {
    const total = counts.reduce((a, b) => a + b, 0);
    const p = Array.from(counts, (c) => c / total);
    let u = rnd();
    let sent = 0;
    while (sent < k - 1 && u > p[sent]) u -= p[sent++];
    const discovered = poisson(o.trueRates[sent], rnd); // O(rate) per day (Knuth)
    if (discovered > 0 && o.learnFromDiscovered !== false) {
      if (o.correction === 'sample') {
        const keep = Math.min(...p) / p[sent];
        for (let i = 0; i < discovered; i++) if (rnd() < keep) counts[sent] += 1;
      } else counts[sent] += o.correction ? discovered / p[sent] : discovered;
    }
    if (o.reportingRate) for (let r = 0; r < k; r++) counts[r] += poisson(o.reportingRate * o.trueRates[r], rnd);
    if (day % Math.max(1, Math.floor(o.days / 100)) === 0) history.push(p);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const sum = o.trueRates.reduce((a, b) => a + b, 0);
  return { shares: Array.from(counts, (c) => c / total), history, trueShares: o.trueRates.map((r) => r / sum) };
}

/** The verdict a model-approval gate can read: does the allocation stay near the true share? */
export function feedbackVerdict(opts: Omit<UrnOptions, 'seed'>, seeds: number[], tolerance = 0.1) {
  const runs = seeds.map((seed) => simulateUrn({ ...opts, seed }));
  const errors = runs.map((r) => Math.max(...r.shares.map((s, i) => Math.abs(s - r.trueShares[i]))));
  return {
    maxError: Math.max(...errors),
    meanError: errors.reduce((a, b) => a + b, 0) / errors.length,
    passes: errors.every((e) => e <= tolerance),
    runs: runs.map((r) => r.shares),
  };
}
