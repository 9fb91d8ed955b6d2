/**
 * Rolling-origin backtests and model selection without look-ahead.
 *
 * Windows: `7d`, `14d` (days) or `1mo`, `2mo`, `3mo` (calendar months, as the NIJ challenge: a 1-month
 * window from 2017-03-01 ends with 2017-03-31 inclusive, i.e. before 2017-04-01). At each origin every
 * model is fitted once on incidents strictly before the origin and scored on each window.
 * Cost: O(origins × models × (fit + windows × cells log cells)).
 */
import { InputError } from '../domain/errors';
import { DAY_MS, countBefore, observedCounts, truncateBefore, type Prepared } from './data';
import { bestCapture, bootstrapMean, hitRateCurve, pairedComparison, poissonLogScore, scoreHotspots, selectHotspots, toExpectedCounts, type AreaConstraint, type Interval } from './evaluation';
import { describeModel, fitModel, validateParams, type ModelParams } from './models';
import { subSeed } from './random';

/** Exclusive end (ms) of a window starting at `origin` (ms, midnight UTC for calendar months). */
export function windowEnd(originMs: number, window: string): number {
  const m = /^(\d+)(d|w|mo)$/.exec(window);
  if (!m || Number(m[1]) <= 0) throw new InputError(`bad window "${window}": expected 7d, 14d, 1mo, 2mo or 3mo`, [{ field: 'window', expected: '7d, 14d, 1mo, 2mo or 3mo (Nd, Nw or Nmo)', got: window }]);
  const k = Number(m[1]);
  if (m[2] === 'd') return originMs + k * DAY_MS;
  if (m[2] === 'w') return originMs + 7 * k * DAY_MS;
  const d = new Date(originMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
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

export interface Candidate { label?: string; params: ModelParams }

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

export interface BacktestRow { model: string; window: string; origin: string; pai: number; pei: number; n: number; N: number; nStar: number; area: number; logScore?: number; hitRates?: number[] }
export interface BacktestSummary { model: string; params: ModelParams; window: string; pai: Interval; pei: Interval; logScore?: Interval; hitRateCurve?: { share: number; hitRate: Interval }[] }

export function labelOf(c: Candidate): string {
  return c.label ?? describeModel(c.params);
}

export function backtest(data: Prepared, spec: BacktestSpec): { rows: BacktestRow[]; summary: BacktestSummary[] } {
  spec.models.forEach((c) => validateParams(c.params));
  const labels = spec.models.map(labelOf);
  if (new Set(labels).size !== labels.length) throw new InputError('two candidate models have the same label', [{ field: 'models', expected: 'distinct labels' }]);
  const g = data.grid;
  const shares = [...(spec.hitRateShares ?? [])].sort((a, b) => a - b);
  shares.forEach((v, i) => {
    if (!(v > 0 && v <= 1)) throw new InputError('hit-rate shares must be in (0, 1]', [{ field: `hitRateShares[${i}]`, expected: 'a share of the area in (0, 1]', got: String(v) }]);
  });
  const rows: BacktestRow[] = [];
  for (const origin of spec.origins) {
    const windows = spec.windows.filter((w) => windowEnd(origin, w) <= spec.dataEndMs);
    if (!windows.length) continue;
    const day = new Date(origin).toISOString().slice(0, 10);
    const observed = windows.map((w) => observedCounts(data, origin, windowEnd(origin, w)));
    // last-year daily rate for log-score calibration (training data only)
    const lastYear = countBefore(data, origin / DAY_MS) - countBefore(data, origin / DAY_MS - 365);
    spec.models.forEach((c, mi) => {
      const fitted = fitModel(data, origin, c.params);
      windows.forEach((w, wi) => {
        const W = windowDays(origin, w);
        const risk = fitted.risk(W);
        const hot = selectHotspots(g, risk, spec, subSeed(spec.seed, `${day}/${w}`));
        const s = scoreHotspots(g, hot, observed[wi]);
        const row: BacktestRow = { model: labels[mi], window: w, origin: day, pai: s.pai, pei: s.pei, n: s.n, N: s.N, nStar: s.nStar, area: s.a };
        if (spec.logScore) row.logScore = poissonLogScore(toExpectedCounts(g, risk, (lastYear / 365) * W), observed[wi]);
        // O(cells log cells) per row: the same seeded ranking as the hotspots, cut at each share.
        if (shares.length) row.hitRates = hitRateCurve(g, risk, observed[wi], shares, subSeed(spec.seed, `${day}/${w}`)).map((h) => h.hitRate);
        rows.push(row);
      });
    });
  }
  const summary: BacktestSummary[] = [];
  spec.models.forEach((c, mi) => spec.windows.forEach((w) => {
    const mine = rows.filter((r) => r.model === labels[mi] && r.window === w);
    if (!mine.length) return;
    const seed = subSeed(spec.seed, `${labels[mi]}/${w}`);
    summary.push({
      model: labels[mi], params: c.params, window: w,
      pai: bootstrapMean(mine.map((r) => r.pai), seed), pei: bootstrapMean(mine.map((r) => r.pei), seed),
      ...(spec.logScore ? { logScore: bootstrapMean(mine.map((r) => r.logScore!), seed) } : {}),
      ...(shares.length ? { hitRateCurve: shares.map((share, si) => ({ share, hitRate: bootstrapMean(mine.map((r) => r.hitRates![si]), seed) })) } : {}),
    });
  }));
  return { rows, summary };
}

/** Paired comparison of model a against b on one window and metric, over their common origins. */
export function compareModels(rows: BacktestRow[], a: string, b: string, window: string, seed: number, metric: 'pai' | 'pei' | 'logScore' = 'pai') {
  const pick = (m: string) => new Map(rows.filter((r) => r.model === m && r.window === window).map((r) => [r.origin, (r[metric] as number | undefined) ?? NaN]));
  return { a, b, window, metric, ...pairedComparison(pick(a), pick(b), seed) };
}

/** The candidate set `auto` chooses among (bandwidths in multiples of the cell size). */
export function defaultCandidates(cellSize: number, opts: { hourly?: boolean } = {}): Candidate[] {
  const c: Candidate[] = [
    { params: { model: 'counts' } },
    { params: { model: 'counts', days: 365 } },
    { params: { model: 'counts', days: 730 } },
    { params: { model: 'prospective', bandwidth: 2 * cellSize, weeks: 8 } },
    { params: { model: 'retrospective', bandwidth: 2 * cellSize, weeks: 52 } },
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 365 } },
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: cellSize, halfLifeDays: 1000 } },
    { params: { model: 'kde', kernel: 'gaussian', bandwidth: 0.5 * cellSize, halfLifeDays: 730 } },
    { params: { model: 'kde', kernel: 'quartic', bandwidth: 3 * cellSize, halfLifeDays: 730 } },
    { params: { model: 'etas', iterations: 40 } },
  ];
  if (opts.hourly) c.push({ params: { model: 'sepp', iterations: 20 } });
  return c;
}

export interface AutoSpec extends AreaConstraint {
  window: string;
  candidates: Candidate[];
  seed: number;
  /** How many weekly (stepDays) origins before the as-of date to backtest on (default 26). */
  origins?: number;
  stepDays?: number;
  metric?: 'pai' | 'pei';
}

/**
 * `auto`: choose the candidate with the best mean metric over rolling origins whose windows end by
 * the as-of date, fitting each on incidents before its origin. Incidents at or after `asOfMs` are
 * never read (the data is cut first). Ties go to the earlier candidate.
 */
export function autoSelect(data: Prepared, asOfMs: number, spec: AutoSpec) {
  if (!spec.candidates.length) throw new InputError('auto needs at least one candidate model', [{ field: 'candidates', expected: 'a non-empty list' }]);
  const step = (spec.stepDays ?? 7) * DAY_MS;
  const want = spec.origins ?? 26;
  const origins: number[] = [];
  let o = asOfMs - step;
  while (origins.length < want && o > asOfMs - 20 * 365 * DAY_MS) {
    if (windowEnd(o, spec.window) <= asOfMs) origins.unshift(o);
    o -= step;
  }
  const bt = backtest(truncateBefore(data, asOfMs), { origins, windows: [spec.window], models: spec.candidates, minArea: spec.minArea, maxArea: spec.maxArea, seed: spec.seed, dataEndMs: asOfMs });
  const metric = spec.metric ?? 'pai';
  let best = 0;
  bt.summary.forEach((s, i) => { if (s[metric].mean > bt.summary[best][metric].mean) best = i; });
  const chosen = bt.summary.length ? spec.candidates.find((c) => labelOf(c) === bt.summary[best].model)! : spec.candidates[0];
  return {
    chosen, metric,
    origins: origins.map((t) => new Date(t).toISOString().slice(0, 10)),
    table: bt.summary.map((s) => ({ model: s.model, mean: s[metric].mean, ci95: [s[metric].lo, s[metric].hi] as [number, number], origins: s[metric].n })),
  };
}

export { bestCapture };
