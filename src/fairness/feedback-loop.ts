/**
 * The runaway feedback loop of predictive policing (Ensign, Friedler, Neville, Scheidegger &
 * Venkatasubramanian 2018) as a Pólya-urn simulation. Each day one patrol goes to a region chosen in
 * proportion to its recorded incidents; an incident there is discovered with that region's true
 * rate and recorded. Without correction the urn runs away towards the region that happened to lead;
 * with their correction — a discovered incident counts 1/P(sent there) — the expected record grows
 * with the true rate and the allocation converges to the true crime share. Citizen reports (recorded
 * wherever patrols are) anchor it too, which is why the forecaster learns from them by default.
 * Seeded and deterministic. O(days × regions).
 */
import { seededRandom as prng } from './stats';

export interface UrnOptions {
  trueRates: number[];
  days: number;
  initial?: number[];
  /**
   * Ensign et al.'s correction. true or 'weight': a discovered incident counts 1/P(patrol sent there)
   * (importance weighting). 'sample': it is added (as 1) only with probability min_j P(sent j) ÷ P(sent
   * there), so the expected update in every region is proportional to its true rate (their
   * black-box input change). Either way the allocation converges to the true crime share.
   */
  correction?: boolean | 'weight' | 'sample';
  /** Probability per day that a crime in a region is reported by a citizen (0 = discovered only). */
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
    const discovered = rnd() < o.trueRates[sent];
    if (discovered && o.learnFromDiscovered !== false) {
      if (o.correction === 'sample') { if (rnd() < Math.min(...p) / p[sent]) counts[sent] += 1; }
      else counts[sent] += o.correction ? 1 / p[sent] : 1;
    }
    if (o.reportingRate) for (let r = 0; r < k; r++) if (rnd() < o.reportingRate * o.trueRates[r]) counts[r] += 1;
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
  return { maxError: Math.max(...errors), meanError: errors.reduce((a, b) => a + b, 0) / errors.length, passes: errors.every((e) => e <= tolerance), runs: runs.map((r) => r.shares) };
}
