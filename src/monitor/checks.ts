/**
 * Pure checks the outcome monitor runs. A disparity breach needs both a rate ratio beyond the bound
 * AND a two-proportion test that rules out noise, computed on the right population (the group's own
 * denominator); groups too small to estimate get a warning and no verdict.
 */

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Wilson score interval for k successes of n (95% by default). */
export function wilson(k: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** Two-sided two-proportion z-test; returns z and p. */
export function twoProportionTest(k1: number, n1: number, k2: number, n2: number): { z: number; p: number } {
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const z = (k1 / n1 - k2 / n2) / se;
  return { z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

export interface GroupCount { group: string; count: number; denominator: number }
export interface DisparityConfig { ratioMax: number; minCount: number; alpha: number }

export function disparityCheck(rows: GroupCount[], cfg: DisparityConfig) {
  const by = new Map<string, { count: number; denominator: number }>();
  for (const r of rows) {
    const g = by.get(r.group) ?? { count: 0, denominator: 0 };
    g.count += r.count;
    g.denominator += r.denominator;
    by.set(r.group, g);
  }
  const groups = [...by].map(([group, g]) => ({ group, ...g, rate: g.denominator ? g.count / g.denominator : 0, interval: wilson(g.count, g.denominator), estimable: g.count >= cfg.minCount && g.denominator > 0 }));
  const usable = groups.filter((g) => g.estimable);
  const warnings = groups.filter((g) => !g.estimable).map((g) => `group ${g.group} has ${g.count} events (< ${cfg.minCount}): no verdict`);
  if (usable.length < 2) return { breached: false, groups, warnings: [...warnings, 'fewer than two groups can be estimated'], ratio: null, test: null };
  const hi = usable.reduce((a, b) => (b.rate > a.rate ? b : a));
  const lo = usable.reduce((a, b) => (b.rate < a.rate ? b : a));
  const ratio = lo.rate === 0 ? Infinity : hi.rate / lo.rate;
  const test = twoProportionTest(hi.count, hi.denominator, lo.count, lo.denominator);
  return { breached: ratio > cfg.ratioMax && test.p < cfg.alpha, groups, warnings, ratio, highest: hi.group, lowest: lo.group, test };
}

export interface OverrideConfig { maxRate: number; minDecisions: number }

/** Reviewers overriding the AI most of the time is a sign the model has drifted from the ground. */
export function overrideCheck(overrides: number, decisions: number, cfg: OverrideConfig) {
  const rate = decisions ? overrides / decisions : 0;
  return { breached: decisions >= cfg.minDecisions && rate > cfg.maxRate, rate, decisions, interval: wilson(overrides, decisions), warnings: decisions < cfg.minDecisions ? [`only ${decisions} decisions (< ${cfg.minDecisions}): no verdict`] : [] };
}
