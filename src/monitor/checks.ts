/**
 * Pure checks the outcome monitor runs. A disparity breach needs both a rate ratio beyond the bound
 * AND a two-proportion test that rules out noise, computed on the right population (the group's own
 * denominator); groups too small to estimate get a warning and no verdict.
 */

// The statistics come from the fairness library (one implementation of each test in the project).
import { twoProportionZ as twoProportionTest, wilson } from '../fairness';

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

export interface ResponseTimeConfig { minShare: number; minAlerts: number }

/**
 * Urgent alerts must reach a person in time: the share of judged alerts (acknowledged, or past their
 * target) acknowledged within target. Too few alerts give no verdict, as with the other checks.
 */
export function responseTimeCheck(met: number, judged: number, cfg: ResponseTimeConfig) {
  const share = judged ? met / judged : 1;
  return { breached: judged >= cfg.minAlerts && share < cfg.minShare, share, met, judged, interval: wilson(met, judged), warnings: judged < cfg.minAlerts ? [`only ${judged} alerts judged (< ${cfg.minAlerts}): no verdict`] : [] };
}
