/**
 * Rolling-origin backtests and model selection without look-ahead.
 *
 * Windows: `7d`, `14d` (days) or `1mo`, `2mo`, `3mo` (calendar months, as the NIJ challenge: a 1-month
 * window from 2017-03-01 ends with 2017-03-31 inclusive, i.e. before 2017-04-01). At each origin every
 * model is fitted once on incidents strictly before the origin and scored on each window.
 * Cost: O(origins × models × (fit + windows × cells log cells)).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { DAY_MS, countBefore, observedCounts, truncateBefore, type Prepared } from './data';
import {
  bootstrapMean,
  hitRateCurve,
  pairedComparison,
  poissonLogScore,
  scoreHotspots,
  selectHotspots,
  toExpectedCounts,
  type AreaConstraint,
  type Interval,
} from './evaluation';
import { describeModel, familyCandidates, fitModel, validateParams, type ModelParams } from './models';
import { subSeed } from './random';

/** Exclusive end (ms) of a window starting at `origin` (ms, midnight UTC for calendar months). */
export function windowEnd(originMs: number, window: string): number {
  const m = /^(\d+)(d|w|mo)$/.exec(window);
  if (!m || Number(m[1]) <= 0)
    throw new InputError(msg('forecast.badWindow', { window }), [
      { field: 'window', expected: '7d, 14d, 1mo, 2mo or 3mo (Nd, Nw or Nmo)', got: window },
    ]);
  const k = Number(m[1]);
  if (m[2] === 'd') return originMs + k * DAY_MS;
  if (m[2] === 'w') return originMs + 7 * k * DAY_MS;
  const d = new Date(originMs);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + k,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** Window length in days (fractional for calendar months). */
export function windowDays(originMs: number, window: string): number {
  return (windowEnd(originMs, window) - originMs) / DAY_MS;
}

/** Inclusive last date of a window, YYYY-MM-DD (the NIJ wrote windows this way). */
export function windowLastDate(originMs: number, window: string): string {
  return new Date(windowEnd(originMs, window) - DAY_MS).toISOString().slice(0, 10);
}

/** Origins every `stepDays` from `fromMs` to `toMs` inclusive. */
export function originsBetween(fromMs: number, toMs: number, stepDays = 7): number[] {
  const out: number[] = [];
  for (let t = fromMs; t <= toMs; t += stepDays * DAY_MS) out.push(t);
  return out;
}

export interface Candidate {
  label?: string;
  params: ModelParams;
}

export interface BacktestSpec extends AreaConstraint {
  origins: number[];
  windows: string[];
  models: Candidate[];
  seed: number;
  /** Windows ending after this (exclusive, ms) are skipped: no data to score them. */
  dataEndMs: number;
  /** Also compute the Poisson log score (risk scaled to the mean daily count of the last year). */
  logScore?: boolean;
  /** Also compute the hit rate at these shares of the total area (a hit-rate curve per row). */
  hitRateShares?: number[];
}

export interface BacktestRow {
  model: string;
  window: string;
  origin: string;
  pai: number;
  pei: number;
  n: number;
  N: number;
  nStar: number;
  area: number;
  logScore?: number;
  hitRates?: number[];
}
export interface BacktestSummary {
  model: string;
  params: ModelParams;
  window: string;
  pai: Interval;
  pei: Interval;
  logScore?: Interval;
  hitRateCurve?: { share: number; hitRate: Interval }[];
}

export function labelOf(c: Candidate): string {
  return c.label ?? describeModel(c.params);
}

export interface BacktestResult {
  rows: BacktestRow[];
  summary: BacktestSummary[];
}

/** Rolling-origin backtest; see backtestSteps, which it runs to the end. */
export function backtest(data: Prepared, spec: BacktestSpec): BacktestResult {
  const steps = backtestSteps(data, spec);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/**
 * The backtest one origin at a time: yields how many of the origins are done after each (so a caller can
 * report progress and let other work run between origins), and returns rows and summary. Each origin costs
 * O(models × (fit + windows × cells log cells)); the summary's bootstrap O(models × windows × origins × B).
 */
export function* backtestSteps(
  data: Prepared,
  spec: BacktestSpec,
): Generator<{ done: number; total: number }, BacktestResult, void> {
  spec.models.forEach((c) => validateParams(c.params));
  const labels = spec.models.map(labelOf);
  if (new Set(labels).size !== labels.length)
    throw new InputError(msg('forecast.duplicateLabels'), [{ field: 'models', expected: 'distinct labels' }]);
  const g = data.grid;
  const shares = [...(spec.hitRateShares ?? [])].sort((a, b) => a - b);
  shares.forEach((v, i) => {
    if (!(v > 0 && v <= 1))
      throw new InputError(msg('forecast.badHitRateShare'), [
        { field: `hitRateShares[${i}]`, expected: 'a share of the area in (0, 1]', got: String(v) },
      ]);
  });
  const rows: BacktestRow[] = [];
  let done = 0;
  for (const origin of spec.origins) {
    done++;
    const windows = spec.windows.filter((w) => windowEnd(origin, w) <= spec.dataEndMs);
    if (!windows.length) {
      yield { done, total: spec.origins.length };
      continue;
    }
    const day = new Date(origin).toISOString().slice(0, 10);
    const observed = windows.map((w) => observedCounts(data, origin, windowEnd(origin, w)));
    // last-year daily rate for log-score calibration (training data only)
    const lastYear = countBefore(data, origin / DAY_MS) - countBefore(data, origin / DAY_MS - 365);
    const before = truncateBefore(data, origin); // once for all candidates (fitModel keeps a cut that fits)
    spec.models.forEach((c, mi) => {
      const fitted = fitModel(before, origin, c.params);
      windows.forEach((w, wi) => {
        const W = windowDays(origin, w);
        const risk = fitted.risk(W);
        const hot = selectHotspots(g, risk, spec, subSeed(spec.seed, `${day}/${w}`));
        const s = scoreHotspots(g, hot, observed[wi]);
        const row: BacktestRow = {
          model: labels[mi],
          window: w,
          origin: day,
          pai: s.pai,
          pei: s.pei,
          n: s.n,
          N: s.N,
          nStar: s.nStar,
          area: s.a,
        };
        if (spec.logScore)
          row.logScore = poissonLogScore(toExpectedCounts(g, risk, (lastYear / 365) * W), observed[wi]);
        // O(cells log cells) per row: the same seeded ranking as the hotspots, cut at each share.
        if (shares.length)
          row.hitRates = hitRateCurve(g, risk, observed[wi], shares, subSeed(spec.seed, `${day}/${w}`)).map(
            (h) => h.hitRate,
          );
        rows.push(row);
      });
    });
    yield { done, total: spec.origins.length };
  }
  const summary: BacktestSummary[] = [];
  spec.models.forEach((c, mi) =>
    spec.windows.forEach((w) => {
      const mine = rows.filter((r) => r.model === labels[mi] && r.window === w);
      if (!mine.length) return;
      const seed = subSeed(spec.seed, `${labels[mi]}/${w}`);
      summary.push({
        model: labels[mi],
        params: c.params,
        window: w,
        pai: bootstrapMean(
          mine.map((r) => r.pai),
          seed,
        ),
        pei: bootstrapMean(
          mine.map((r) => r.pei),
          seed,
        ),
        ...(spec.logScore
          ? {
              logScore: bootstrapMean(
                mine.map((r) => r.logScore!),
                seed,
              ),
            }
          : {}),
        ...(shares.length
          ? {
              hitRateCurve: shares.map((share, si) => ({
                share,
                hitRate: bootstrapMean(
                  mine.map((r) => r.hitRates![si]),
                  seed,
                ),
              })),
            }
          : {}),
      });
    }),
  );
  return { rows, summary };
}

/** Paired comparison of model a against b on one window and metric, over their common origins. */
export function compareModels(
  rows: BacktestRow[],
  a: string,
  b: string,
  window: string,
  seed: number,
  metric: 'pai' | 'pei' | 'logScore' = 'pai',
) {
  const pick = (m: string) =>
    new Map(
      rows
        .filter((r) => r.model === m && r.window === window)
        .map((r) => [r.origin, (r[metric] as number | undefined) ?? NaN]),
    );
  return { a, b, window, metric, ...pairedComparison(pick(a), pick(b), seed) };
}

/** The candidate set `auto` chooses among: each registered family's (bandwidths in multiples of the cell size). */
export function defaultCandidates(cellSize: number, opts: { hourly?: boolean } = {}): Candidate[] {
  return familyCandidates(cellSize, opts);
}

export interface AutoSpec extends AreaConstraint {
  window: string;
  candidates: Candidate[];
  seed: number;
  /** How many weekly (stepDays) origins before the as-of date to backtest on (default 26). */
  origins?: number;
  stepDays?: number;
  /**
   * The same calendar window in up to this many earlier years (default 4), each at the as-of date's
   * day and one week either side; an origin needs a year of data before it.
   */
  seasons?: number;
  metric?: 'pai' | 'pei';
}

export interface SelectionRow {
  model: string;
  mean: number;
  ci95: [number, number];
  origins: number;
  /** Mean shrunk towards the mean of all candidates by its sampling variance (empirical Bayes). */
  shrunk: number;
  /** Paired difference to the reference candidate over common origins, with a bootstrap 95% interval. */
  vsReference: { mean: number; ci95: [number, number]; wins: number; losses: number };
}

/** Origins for `auto`: `want` weekly ones before the as-of date, then the same window in earlier years. */
export function autoOrigins(
  data: Prepared,
  asOfMs: number,
  spec: Pick<AutoSpec, 'window' | 'origins' | 'stepDays' | 'seasons'>,
): { recent: number[]; seasonal: number[] } {
  const step = (spec.stepDays ?? 7) * DAY_MS;
  const want = spec.origins ?? 26;
  const recent: number[] = [];
  let o = asOfMs - step;
  while (recent.length < want && o > asOfMs - 20 * 365 * DAY_MS) {
    if (windowEnd(o, spec.window) <= asOfMs) recent.unshift(o);
    o -= step;
  }
  const first = data.n ? data.t[0] * DAY_MS : asOfMs;
  const seasonal: number[] = [];
  const a = new Date(asOfMs);
  for (let y = spec.seasons ?? 4; y >= 1; y--) {
    const same = Date.UTC(a.getUTCFullYear() - y, a.getUTCMonth(), a.getUTCDate());
    for (const shift of [-7, 0, 7]) {
      const t = same + shift * DAY_MS;
      if (t - first >= 365 * DAY_MS && windowEnd(t, spec.window) <= asOfMs && !recent.includes(t)) seasonal.push(t);
    }
  }
  return { recent, seasonal };
}

/**
 * Choose among candidates without being fooled by noise. Each candidate gets its mean, a bootstrap
 * interval and an empirical-Bayes shrunk mean; the reference is the first candidate (the default),
 * and challengers, best shrunk mean first, replace the current choice only when their paired
 * advantage over it (same origins) has an interval above zero at the family-wise level: with m
 * challengers each is tested at 1 − 0.05/m (Bonferroni), so that among many candidates one that is
 * no better does not win by chance (with 11 candidates at 95% each, one in three lucky switches would
 * pass). The table reports 95% intervals. O(candidates² × B × origins).
 */
export function robustChoice(
  rows: { model: string; origin: string; value: number }[],
  labels: string[],
  seed: number,
): { chosen: number; table: SelectionRow[]; reason: string } {
  const by = labels.map(
    (m) => new Map(rows.filter((r) => r.model === m && Number.isFinite(r.value)).map((r) => [r.origin, r.value])),
  );
  const stats = labels.map((m, i) => bootstrapMean([...by[i].values()], subSeed(seed, `auto/${m}`)));
  // shrinkage: between-candidate variance τ² against each mean's sampling variance s²
  const ok = stats.filter((s) => Number.isFinite(s.mean));
  const grand = ok.length ? ok.reduce((a, s) => a + s.mean, 0) / ok.length : NaN;
  const se2 = stats.map((s, i) => {
    const v = [...by[i].values()];
    const m = s.mean;
    return v.length > 1 ? v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1) / v.length : Infinity;
  });
  const tau2 =
    ok.length > 1
      ? Math.max(
          0,
          ok.reduce((a, s) => a + (s.mean - grand) ** 2, 0) / (ok.length - 1) -
            ok.reduce((a, _s, i) => a + (Number.isFinite(se2[i]) ? se2[i] : 0), 0) / ok.length,
        )
      : 0;
  const shrunk = stats.map((s, i) =>
    Number.isFinite(s.mean) ? grand + (tau2 / (tau2 + se2[i] || 1)) * (s.mean - grand) : NaN,
  );
  const paired = (a: number, b: number, level = 0.95) =>
    pairedComparison(by[a], by[b], subSeed(seed, `auto/${labels[a]}/${labels[b]}`), level);
  const familyLevel = 1 - 0.05 / Math.max(1, labels.length - 1);
  const pct = `${+(100 * familyLevel).toFixed(2)}%`;
  const table: SelectionRow[] = labels.map((m, i) => {
    const p = paired(i, 0);
    return {
      model: m,
      mean: stats[i].mean,
      ci95: [stats[i].lo, stats[i].hi],
      origins: stats[i].n,
      shrunk: shrunk[i],
      vsReference: { mean: p.mean, ci95: [p.lo, p.hi], wins: p.wins, losses: p.losses },
    };
  });
  let chosen = 0;
  let reason = `the reference (${labels[0]}): no other candidate beat it by more than the noise`;
  const order = labels
    .map((_, i) => i)
    .filter((i) => i !== 0 && Number.isFinite(shrunk[i]))
    .sort((a, b) => shrunk[b] - shrunk[a] || a - b);
  for (const i of order) {
    const p = paired(i, chosen, familyLevel);
    if (p.n >= 2 && p.lo > 0) {
      reason = `${labels[i]}: paired advantage over ${labels[chosen]} ${p.mean.toFixed(2)} (${pct} interval ${p.lo.toFixed(2)}…${p.hi.toFixed(2)}, ${p.wins} wins / ${p.losses} losses over ${p.n} origins)`;
      chosen = i;
    }
  }
  if (!Number.isFinite(stats[0].mean) && order.length) {
    chosen = order[0];
    reason = `${labels[chosen]}: the reference could not be scored, best shrunk mean`;
  }
  return { chosen, table, reason };
}

/**
 * `auto`: choose the candidate by backtests before the as-of date on recent weekly origins and on the
 * same calendar window in earlier years, with robustChoice. Each candidate is fitted on incidents
 * before its origin; incidents at or after `asOfMs` are never read (the data is cut first).
 */
export function autoSelect(data: Prepared, asOfMs: number, spec: AutoSpec) {
  const steps = autoSelectSteps(data, asOfMs, spec);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/** `autoSelect` one backtest origin at a time: yields origins done of the total (for a progress bar), returns the choice. */
export function* autoSelectSteps(data: Prepared, asOfMs: number, spec: AutoSpec) {
  if (!spec.candidates.length)
    throw new InputError(msg('forecast.autoNeedsCandidates'), [{ field: 'candidates', expected: 'a non-empty list' }]);
  const cut = truncateBefore(data, asOfMs);
  const { recent, seasonal } = autoOrigins(cut, asOfMs, spec);
  const origins = [...seasonal, ...recent].sort((a, b) => a - b);
  const bt = yield* backtestSteps(cut, {
    origins,
    windows: [spec.window],
    models: spec.candidates,
    minArea: spec.minArea,
    maxArea: spec.maxArea,
    exact: spec.exact,
    seed: spec.seed,
    dataEndMs: asOfMs,
  });
  const metric = spec.metric ?? 'pai';
  const labels = spec.candidates.map(labelOf);
  const pick = robustChoice(
    bt.rows.map((r) => ({ model: r.model, origin: r.origin, value: r[metric] })),
    labels,
    spec.seed,
  );
  return {
    chosen: spec.candidates[pick.chosen],
    model: labels[pick.chosen],
    metric,
    reason: pick.reason,
    reference: labels[0],
    origins: recent.map((t) => new Date(t).toISOString().slice(0, 10)),
    seasonalOrigins: seasonal.map((t) => new Date(t).toISOString().slice(0, 10)),
    table: pick.table,
    rows: bt.rows,
  };
}
