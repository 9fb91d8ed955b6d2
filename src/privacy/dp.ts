/**
 * Differentially private counts for the public portal.
 *
 * Two-sided geometric mechanism (Ghosh, Roughgarden & Sundararajan 2009): for a count with
 * sensitivity Δ (how much one person can change it) and budget ε, publish count + Z with
 * P(Z = k) = (1 − α)/(1 + α) · α^|k|, α = exp(−ε/Δ). It is the discrete analogue of the Laplace
 * mechanism and gives integers, so no rounding leaks. Cells of one table partition people (each
 * incident falls in one area-month), so a whole table costs ε (parallel composition); separate
 * tables in one release add up (sequential composition) and the release's total is recorded.
 *
 * Small cells: a noisy count below `suppressBelow` is published as suppressed. The decision uses the
 * NOISY value, never the true one, so suppression itself leaks nothing beyond the mechanism.
 */
import { randomInt } from 'node:crypto';
import { InputError, preview } from '../domain/errors';
import { msg } from '../domain/messages';

export interface NoiseSource {
  /** Uniform float in (0, 1). */
  uniform(): number;
}

/** Cryptographic randomness: 48 random bits per draw, never 0. */
export const cryptoNoise: NoiseSource = { uniform: () => (randomInt(1, 2 ** 47) + randomInt(0, 2)) / 2 ** 47 };

/** A seeded source for reproducible tests only (xorshift128+ style); never for publication. */
export function seededNoise(seed: number): NoiseSource {
  let a = seed >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 2;
  return {
    uniform() {
      let t = a ^ (a << 11);
      a = b;
      b = (b ^ (b >>> 19) ^ t ^ (t >>> 8)) >>> 0;
      return ((b >>> 0) + 0.5) / 4294967296;
    },
  };
}

/** ε/Δ outside this range is degenerate: below it α rounds towards 1 (ln α → 0, null counts, zero margin); above it α underflows to 0 (no noise). */
export const MIN_EPSILON_RATIO = 1e-6;
export const MAX_EPSILON_RATIO = 50;

export function alphaOf(epsilon: number, sensitivity = 1): number {
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon))
    throw new InputError(msg('privacy.epsilonNotNumber', { got: preview(epsilon) }), [
      { field: 'epsilon', expected: 'a finite number', got: preview(epsilon) },
    ]);
  if (!(sensitivity >= 1 && Number.isInteger(sensitivity)))
    throw new InputError(msg('privacy.badSensitivity'), [{ field: 'sensitivity', expected: 'an integer ≥ 1' }]);
  const ratio = epsilon / sensitivity;
  if (!(ratio >= MIN_EPSILON_RATIO && ratio <= MAX_EPSILON_RATIO)) {
    throw new InputError(msg('privacy.degenerateEpsilon', { got: preview(epsilon) }), [
      {
        field: 'epsilon',
        expected: `ε/sensitivity from ${MIN_EPSILON_RATIO} to ${MAX_EPSILON_RATIO}`,
        got: preview(epsilon),
      },
    ]);
  }
  return Math.exp(-ratio);
}

/** One draw of two-sided geometric noise: the difference of two i.i.d. geometric variables. O(1). */
export function geometricNoise(alpha: number, rng: NoiseSource = cryptoNoise): number {
  // Geometric(p = 1 − α) on {0, 1, …} by inversion: floor(ln U / ln α).
  const g = () => Math.floor(Math.log(rng.uniform()) / Math.log(alpha));
  return g() - g();
}

/** P(Z = k) of the two-sided geometric distribution. */
export function geometricPmf(k: number, alpha: number): number {
  return ((1 - alpha) / (1 + alpha)) * alpha ** Math.abs(k);
}

/**
 * Half-width t of the symmetric interval holding the noise with probability ≥ `level`:
 * P(|Z| ≥ t) = 2α^t / (1 + α), so t = ceil(ln((1 − level)(1 + α)/2) / ln α). A published count c
 * means the true count lies in [c − t + 1, c + t − 1] with at least that probability.
 */
export function noiseHalfWidth(alpha: number, level = 0.95): number {
  return Math.max(1, Math.ceil(Math.log(((1 - level) * (1 + alpha)) / 2) / Math.log(alpha)));
}

export interface CellIn {
  key: Record<string, string>;
  count: number;
}

export interface CellOut {
  key: Record<string, string>;
  /** The noisy count, or null when suppressed. */
  count: number | null;
  suppressed: boolean;
  /** 95% interval for the true count implied by the noise (null when suppressed). */
  interval: [number, number] | null;
}

export interface TableRelease {
  name: string;
  epsilon: number;
  sensitivity: number;
  suppressBelow: number;
  /** Half-width of the 95% noise interval (the same for every cell). */
  margin95: number;
  cells: CellOut[];
}

/**
 * Noise every cell of one table (a partition: each person contributes to one cell, at most
 * `sensitivity` to it). O(cells). Negative noisy counts are clamped at 0 after the suppression test.
 */
export function releaseTable(
  name: string,
  cells: CellIn[],
  opts: { epsilon: number; sensitivity?: number; suppressBelow?: number; rng?: NoiseSource },
): TableRelease {
  const sensitivity = opts.sensitivity ?? 1;
  const alpha = alphaOf(opts.epsilon, sensitivity);
  const suppressBelow = opts.suppressBelow ?? 10;
  const margin = noiseHalfWidth(alpha) - 1;
  const out = cells.map((c) => {
    if (!Number.isInteger(c.count) || c.count < 0)
      throw new InputError(msg('privacy.badCellCount'), [
        { field: `${name}.${JSON.stringify(c.key)}`, expected: 'a count ≥ 0' },
      ]);
    const noisy = c.count + geometricNoise(alpha, opts.rng);
    if (noisy < suppressBelow) return { key: c.key, count: null, suppressed: true, interval: null };
    return {
      key: c.key,
      count: noisy,
      suppressed: false,
      interval: [Math.max(0, noisy - margin), noisy + margin] as [number, number],
    };
  });
  return { name, epsilon: opts.epsilon, sensitivity, suppressBelow, margin95: margin, cells: out };
}

/** Sequential composition: the release's total budget is the sum over its tables. */
export function releaseBudget(tables: TableRelease[]): number {
  return tables.reduce((s, t) => s + t.epsilon, 0);
}
