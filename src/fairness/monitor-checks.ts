/**
 * Drift and disparity monitor primitives: pure decisions the outcome monitor service calls on each
 * time window. Each returns breach / ok / insufficient-data with the evidence (counts, rates with
 * intervals, test, threshold) that goes into the incident note. A breach needs BOTH an effect beyond
 * the threshold AND a test that rules out noise, so small samples never pause a system by chance;
 * groups or windows too small to estimate are reported, never silently dropped.
 *
 * All O(groups) or O(bins) per window; `monitorSeries` is O(windows × groups).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { compareProportions, psi, wilson, type Interval, type ProportionTest } from './stats';

export type MonitorStatus = 'breach' | 'ok' | 'insufficient-data';

/** Outcomes of one group (or area) in one window: `events` of `trials` (e.g. arrests of stops, hits of alerts). */
export interface OutcomeCount {
  group: string;
  events: number;
  trials: number;
}

export interface EvidenceRow {
  group: string;
  events: number;
  trials: number;
  rate: number | null;
  interval: Interval;
  estimable: boolean;
}

export interface MonitorDecision {
  monitor: 'disparity' | 'drift' | 'psi' | 'override' | 'response-time';
  status: MonitorStatus;
  /** The effect measured (ratio, relative change, PSI, rate) and the threshold it was held to. */
  statistic: number | null;
  threshold: number;
  test: ProportionTest | null;
  evidence: EvidenceRow[];
  /** One sentence for the incident note. */
  summary: string;
  warnings: string[];
}

function row(o: OutcomeCount, minTrials: number, minEvents = 0): EvidenceRow {
  return {
    group: o.group,
    events: o.events,
    trials: o.trials,
    rate: o.trials ? o.events / o.trials : null,
    interval: wilson(o.events, o.trials),
    estimable: o.trials >= minTrials && o.events >= minEvents,
  };
}

function check(counts: OutcomeCount[], where: string): void {
  counts.forEach((c, i) => {
    if (!(Number.isInteger(c.events) && Number.isInteger(c.trials) && c.events >= 0 && c.events <= c.trials))
      throw new InputError(msg('fairness.badCount', { where, group: c.group, events: c.events, trials: c.trials }), [
        { field: `${where}[${i}]`, expected: 'whole numbers 0 ≤ events ≤ trials', got: `${c.events}/${c.trials}` },
      ]);
  });
}

function pool(counts: OutcomeCount[]): OutcomeCount[] {
  const m = new Map<string, OutcomeCount>();
  for (const c of counts) {
    const g = m.get(c.group) ?? { group: c.group, events: 0, trials: 0 };
    g.events += c.events;
    g.trials += c.trials;
    m.set(c.group, g);
  }
  return [...m.values()];
}

export interface DisparityThresholds {
  /** Breach when highest ÷ lowest rate (or ÷ the reference) exceeds this. Default 1.25. */
  maxRatio?: number;
  alpha?: number;
  /** Groups with fewer trials get no verdict. Default 30. */
  minTrials?: number;
  /** …or with fewer events (a monitor's minimum count of outcomes). Default 0. */
  minEvents?: number;
  /** Compare every group with this one instead of highest vs lowest. */
  reference?: string;
}

/** Disparity of outcome rates across groups in one window (rows for the same group are pooled). */
export function disparityCheck(counts: OutcomeCount[], t: DisparityThresholds = {}): MonitorDecision {
  check(counts, 'counts');
  const maxRatio = t.maxRatio ?? 1.25;
  const alpha = t.alpha ?? 0.05;
  const minTrials = t.minTrials ?? 30;
  const minEvents = t.minEvents ?? 0;
  const evidence = pool(counts)
    .map((c) => row(c, minTrials, minEvents))
    .sort((a, b) => b.trials - a.trials);
  const warnings = evidence
    .filter((e) => !e.estimable)
    .map((e) =>
      e.events < minEvents
        ? `${e.group}: ${e.events} events (< ${minEvents}); no verdict`
        : `${e.group}: ${e.trials} trials (< ${minTrials}); no verdict`,
    );
  const usable = evidence.filter((e) => e.estimable);
  const base = { monitor: 'disparity' as const, threshold: maxRatio, evidence, warnings };
  if (usable.length < 2)
    return {
      ...base,
      status: 'insufficient-data',
      statistic: null,
      test: null,
      summary: `fewer than two groups with ≥ ${minTrials} trials${minEvents ? ` and ≥ ${minEvents} events` : ''}; no verdict`,
    };
  let worst: { ratio: number; hi: EvidenceRow; lo: EvidenceRow; test: ProportionTest; breach: boolean } | null = null;
  const pairs: [EvidenceRow, EvidenceRow][] = [];
  if (t.reference) {
    const ref = usable.find((e) => e.group === t.reference);
    if (!ref)
      return {
        ...base,
        status: 'insufficient-data',
        statistic: null,
        test: null,
        summary: `reference ${t.reference} has fewer than ${minTrials} trials or no data; no verdict`,
      };
    for (const e of usable) if (e !== ref) pairs.push(e.rate! >= ref.rate! ? [e, ref] : [ref, e]);
  } else {
    const hi = usable.reduce((a, b) => (b.rate! > a.rate! ? b : a));
    const lo = usable.reduce((a, b) => (b.rate! < a.rate! ? b : a));
    pairs.push([hi, lo]);
  }
  const scored = pairs.map(([hi, lo]) => {
    const ratio = lo.rate === 0 ? (hi.rate === 0 ? 1 : Infinity) : hi.rate! / lo.rate!;
    const test = compareProportions(hi.events, hi.trials, lo.events, lo.trials);
    return { ratio, hi, lo, test, breach: ratio > maxRatio && test.pValue < alpha };
  });
  // Report a breaching pair first, then the largest ratio.
  scored.sort((a, b) => Number(b.breach) - Number(a.breach) || b.ratio - a.ratio);
  worst = scored[0];
  const w = worst!;
  const breach = w.breach;
  return {
    ...base,
    status: breach ? 'breach' : 'ok',
    statistic: w.ratio,
    test: w.test,
    summary: `${w.hi.group} ${pct(w.hi.rate)} vs ${w.lo.group} ${pct(w.lo.rate)}: ratio ${fmt(w.ratio)} (limit ${maxRatio}), p = ${w.test.pValue.toPrecision(2)} (${w.test.method})${breach ? ' — breach' : ''}`,
  };
}

export interface DriftThresholds {
  /** Breach when the hit rate falls (or rises, if `twoSided`) by more than this share of the baseline. Default 0.2. */
  maxRelativeChange?: number;
  alpha?: number;
  minTrials?: number;
  /** Also breach on a significant rise (default false: only a drop in accuracy is a breach). */
  twoSided?: boolean;
}

/** Drift of a rate (e.g. forecast hit rate) against the approved backtest's rate. */
export function driftCheck(
  current: { events: number; trials: number },
  baseline: { events: number; trials: number },
  t: DriftThresholds = {},
): MonitorDecision {
  check(
    [
      { group: 'current', ...current },
      { group: 'baseline', ...baseline },
    ],
    'drift',
  );
  const maxRel = t.maxRelativeChange ?? 0.2;
  const alpha = t.alpha ?? 0.05;
  const minTrials = t.minTrials ?? 30;
  const evidence = [
    row({ group: 'current window', ...current }, minTrials),
    row({ group: 'approved baseline', ...baseline }, minTrials),
  ];
  const base = { monitor: 'drift' as const, threshold: maxRel, evidence, warnings: [] as string[] };
  if (!evidence[0].estimable || !evidence[1].estimable || !baseline.events) {
    return {
      ...base,
      status: 'insufficient-data',
      statistic: null,
      test: null,
      summary: `needs ≥ ${minTrials} trials in the window and the baseline, and a non-zero baseline rate; no verdict`,
      warnings: [`current ${current.trials} trials, baseline ${baseline.trials}`],
    };
  }
  const rel = evidence[0].rate! / evidence[1].rate! - 1;
  const test = compareProportions(current.events, current.trials, baseline.events, baseline.trials);
  const beyond = t.twoSided ? Math.abs(rel) > maxRel : rel < -maxRel;
  const breach = beyond && test.pValue < alpha;
  return {
    ...base,
    status: breach ? 'breach' : 'ok',
    statistic: rel,
    test,
    summary: `rate ${pct(evidence[0].rate)} vs approved ${pct(evidence[1].rate)}: ${rel >= 0 ? '+' : ''}${(rel * 100).toFixed(1)}% (limit ${t.twoSided ? '±' : '−'}${(maxRel * 100).toFixed(0)}%), p = ${test.pValue.toPrecision(2)}${breach ? ' — breach' : ''}`,
  };
}

export interface PsiThresholds {
  breach?: number;
  minCount?: number;
}

/** Population stability index of a distribution (e.g. alerts by area, scores by decile) against the baseline's. Default breach at 0.25. */
export function psiCheck(
  baseline: Record<string, number>,
  current: Record<string, number>,
  t: PsiThresholds = {},
): MonitorDecision {
  const limit = t.breach ?? 0.25;
  const minCount = t.minCount ?? 100;
  const bins = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort();
  const e = bins.map((b) => baseline[b] ?? 0);
  const a = bins.map((b) => current[b] ?? 0);
  const se = e.reduce((s, x) => s + x, 0);
  const sa = a.reduce((s, x) => s + x, 0);
  const evidence = bins.map((b, i) => ({
    group: b,
    events: a[i],
    trials: sa,
    rate: sa ? a[i] / sa : null,
    interval: wilson(a[i], sa),
    estimable: sa >= minCount,
  }));
  const base = { monitor: 'psi' as const, threshold: limit, evidence, test: null, warnings: [] as string[] };
  if (se < minCount || sa < minCount)
    return {
      ...base,
      status: 'insufficient-data',
      statistic: null,
      summary: `needs ≥ ${minCount} observations in baseline (${se}) and window (${sa}); no verdict`,
    };
  const v = psi(e, a);
  return {
    ...base,
    status: v > limit ? 'breach' : 'ok',
    statistic: v,
    summary: `PSI ${v.toFixed(3)} over ${bins.length} bins (limit ${limit})${v > limit ? ' — breach' : ''}`,
  };
}

export interface OverrideThresholds {
  maxRate?: number;
  minDecisions?: number;
}

/**
 * Human reviewers overriding the AI: a breach when the override rate is CONFIDENTLY above the limit
 * (the Wilson lower bound exceeds it), so a handful of overrides cannot pause a system. Default 0.5.
 */
export function overrideCheck(overrides: number, decisions: number, t: OverrideThresholds = {}): MonitorDecision {
  check([{ group: 'overrides', events: overrides, trials: decisions }], 'overrides');
  const maxRate = t.maxRate ?? 0.5;
  const minDecisions = t.minDecisions ?? 30;
  const r = row({ group: 'overrides', events: overrides, trials: decisions }, minDecisions);
  const base = {
    monitor: 'override' as const,
    threshold: maxRate,
    evidence: [r],
    test: null,
    warnings: [] as string[],
  };
  if (!r.estimable)
    return {
      ...base,
      status: 'insufficient-data',
      statistic: r.rate,
      summary: `only ${decisions} decisions (< ${minDecisions}); no verdict`,
    };
  const breach = r.interval[0] > maxRate;
  return {
    ...base,
    status: breach ? 'breach' : 'ok',
    statistic: r.rate,
    summary: `${overrides} of ${decisions} alerts overridden (${pct(r.rate)}, 95% CI ${pct(r.interval[0])}–${pct(r.interval[1])}; limit ${pct(maxRate)})${breach ? ' — breach' : ''}`,
  };
}

export interface ResponseTimeThresholds {
  minShare: number;
  minAlerts: number;
}

/**
 * Urgent alerts must reach a person in time: the share of judged alerts (acknowledged, or past their
 * target) acknowledged within target. A breach when enough alerts were judged and the share is below
 * the minimum; too few alerts give no verdict, as with the other checks.
 */
export function responseTimeCheck(met: number, judged: number, t: ResponseTimeThresholds): MonitorDecision {
  check([{ group: 'acknowledged in time', events: met, trials: judged }], 'responseTime');
  const r = row({ group: 'acknowledged in time', events: met, trials: judged }, t.minAlerts);
  const share = judged ? met / judged : 1;
  const base = {
    monitor: 'response-time' as const,
    threshold: t.minShare,
    evidence: [r],
    test: null,
    warnings: [] as string[],
  };
  if (!r.estimable)
    return {
      ...base,
      status: 'insufficient-data',
      statistic: share,
      summary: `only ${judged} alerts judged (< ${t.minAlerts}); no verdict`,
    };
  const breach = share < t.minShare;
  return {
    ...base,
    status: breach ? 'breach' : 'ok',
    statistic: share,
    summary: `${met} of ${judged} urgent alerts acknowledged within target (${pct(share)}; minimum ${pct(t.minShare)})${breach ? ' — breach' : ''}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Over time

export interface WindowedCount extends OutcomeCount {
  window: string;
}

export interface SeriesResult {
  windows: { window: string; decision: MonitorDecision }[];
  /** Breach when `consecutive` windows in a row breach (default 1); the last run's windows are listed. */
  breached: boolean;
  breachWindows: string[];
  /** All windows pooled, for context. */
  pooled: MonitorDecision;
}

/** Disparity over time windows (sorted by window label). O(windows × groups). */
export function monitorSeries(
  rows: WindowedCount[],
  t: DisparityThresholds & { consecutive?: number } = {},
): SeriesResult {
  const need = t.consecutive ?? 1;
  const by = new Map<string, OutcomeCount[]>();
  for (const r of rows) by.set(r.window, [...(by.get(r.window) ?? []), r]);
  const windows = [...by.keys()].sort().map((w) => ({ window: w, decision: disparityCheck(by.get(w)!, t) }));
  let run: string[] = [];
  let hit: string[] = [];
  for (const w of windows) {
    if (w.decision.status === 'breach') {
      run.push(w.window);
      if (run.length >= need) hit = [...run];
    } else run = [];
  }
  return {
    windows,
    breached: hit.length >= need && hit.length > 0,
    breachWindows: hit,
    pooled: disparityCheck(rows, t),
  };
}

export interface MonitorInputs {
  system: string;
  window: string;
  disparity?: { counts: OutcomeCount[]; thresholds?: DisparityThresholds; what?: string };
  drift?: {
    current: { events: number; trials: number };
    baseline: { events: number; trials: number };
    thresholds?: DriftThresholds;
    what?: string;
  };
  psi?: {
    baseline: Record<string, number>;
    current: Record<string, number>;
    thresholds?: PsiThresholds;
    what?: string;
  };
  overrides?: { overrides: number; decisions: number; thresholds?: OverrideThresholds };
}

export interface MonitorEvaluation {
  system: string;
  window: string;
  /** Any monitor breached: the service pauses the system. */
  breached: boolean;
  decisions: MonitorDecision[];
  /** Plain-text incident note (no personal data: groups, counts and rates only). */
  note: string;
}

/** Run every configured monitor for one window and write the incident note's evidence. */
export function evaluateMonitors(m: MonitorInputs): MonitorEvaluation {
  const decisions: MonitorDecision[] = [];
  const what: string[] = [];
  if (m.disparity) {
    decisions.push(disparityCheck(m.disparity.counts, m.disparity.thresholds));
    what.push(m.disparity.what ?? 'outcome rate by group');
  }
  if (m.drift) {
    decisions.push(driftCheck(m.drift.current, m.drift.baseline, m.drift.thresholds));
    what.push(m.drift.what ?? 'hit rate vs approved backtest');
  }
  if (m.psi) {
    decisions.push(psiCheck(m.psi.baseline, m.psi.current, m.psi.thresholds));
    what.push(m.psi.what ?? 'distribution vs baseline');
  }
  if (m.overrides) {
    decisions.push(overrideCheck(m.overrides.overrides, m.overrides.decisions, m.overrides.thresholds));
    what.push('reviewer override rate');
  }
  const breached = decisions.some((d) => d.status === 'breach');
  const lines = [
    `${breached ? 'BREACH' : 'No breach'}: system ${m.system}, window ${m.window}.`,
    ...decisions.map((d, i) => `- ${what[i]} [${d.status}]: ${d.summary}`),
    ...decisions.flatMap((d) => d.warnings.map((w) => `  note: ${w}`)),
  ];
  return { system: m.system, window: m.window, breached, decisions, note: lines.join('\n') };
}

function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}
function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '∞';
}
