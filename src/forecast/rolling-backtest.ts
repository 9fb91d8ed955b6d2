/**
 * Rolling-origin backtests and model choice. Every window ends before the forecast's as-of date, so
 * `auto` chooses a model using only data the forecaster could have had. O(models × origins × (events + cells log cells)).
 */
import type { Grid } from '../geo/square-grid';
import { bootstrapMean, evaluate, observedCounts, selectHotspots } from './hotspot-metrics';
import { describeModel, runModel, type GridEvent, type ModelParams } from './hotspot-models';

const DAY = 86_400_000;

/** NIJ windows: 7d, 14d, or calendar months (1mo from 03-01 ends after 03-31). */
export function windowEnd(origin: number, w: string): number {
  const m = /^(\d+)(d|mo)$/.exec(w);
  if (!m) throw new Error(`window must look like 7d, 14d, 1mo, 2mo or 3mo, got "${w}"`);
  if (m[2] === 'd') return origin + Number(m[1]) * DAY;
  const d = new Date(origin);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + Number(m[1]), d.getUTCDate());
}

export interface BacktestSpec { origins: number[]; windows: string[]; models: ModelParams[]; areaMin: number; areaMax: number; seed: number }

export function backtest(g: Grid, events: GridEvent[], spec: BacktestSpec) {
  const rows: { model: string; window: string; origin: string; pai: number; pei: number; n: number; N: number }[] = [];
  for (const origin of spec.origins) {
    const fitted = spec.models.map((m) => runModel(g, events, origin, m));
    for (const w of spec.windows) {
      const end = windowEnd(origin, w);
      const obs = observedCounts(g, events.filter((e) => e.t >= origin && e.t < end).map((e) => e.cell));
      spec.models.forEach((m, i) => {
        const sel = selectHotspots(g, fitted[i], spec.areaMin, spec.areaMax, spec.seed + origin / DAY);
        const e = evaluate(g, sel, obs, spec.areaMax, spec.seed);
        rows.push({ model: describeModel(m), window: w, origin: new Date(origin).toISOString().slice(0, 10), pai: e.pai, pei: e.pei, n: e.n, N: e.N });
      });
    }
  }
  const summary = spec.models.flatMap((m) => spec.windows.map((w) => {
    const mine = rows.filter((r) => r.model === describeModel(m) && r.window === w);
    return { model: describeModel(m), params: m, window: w, pai: bootstrapMean(mine.map((r) => r.pai), spec.seed), pei: bootstrapMean(mine.map((r) => r.pei), spec.seed) };
  }));
  return { rows, summary };
}

/** Paired comparison of two models over the same origins: mean PAI difference with a bootstrap interval. */
export function pairedDifference(rows: { model: string; window: string; origin: string; pai: number }[], a: string, b: string, w: string, seed: number) {
  const byOrigin = new Map(rows.filter((r) => r.model === b && r.window === w).map((r) => [r.origin, r.pai]));
  const diffs = rows.filter((r) => r.model === a && r.window === w && byOrigin.has(r.origin)).map((r) => r.pai - byOrigin.get(r.origin)!);
  return bootstrapMean(diffs, seed);
}

/** Weekly origins from `from` stepping back so that every window ends by `asOf`. */
export function originsBefore(asOf: number, window: string, count: number, stepDays = 7): number[] {
  const out: number[] = [];
  for (let o = asOf - stepDays * DAY; out.length < count; o -= stepDays * DAY) if (windowEnd(o, window) <= asOf) out.push(o);
  return out.reverse();
}

/** Choose the candidate with the best mean PAI on rolling origins before `asOf` (no look-ahead). */
export function chooseModel(g: Grid, events: GridEvent[], asOf: number, window: string, candidates: ModelParams[], areaMin: number, areaMax: number, seed: number, origins = 26) {
  const bt = backtest(g, events.filter((e) => e.t < asOf), { origins: originsBefore(asOf, window, origins), windows: [window], models: candidates, areaMin, areaMax, seed });
  const best = bt.summary.reduce((x, y) => (y.pai.mean > x.pai.mean ? y : x));
  return { chosen: best.params, backtest: bt.summary };
}
