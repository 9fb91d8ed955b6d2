/**
 * The forecaster's model card, generated from a stored backtest (never typed by hand): the model the
 * backtest ranks first, every metric with its bootstrap interval next to the all-history baseline,
 * the data snapshot and period, and what the backtest cannot show.
 */
import type { BacktestSummary } from '../forecast';
import { modelCardFromBacktest, type BacktestSummary as CardSummary, type ModelCard } from '../registry/model-card';

export interface StoredBacktest {
  summary: BacktestSummary[];
  dataSnapshotHash: string;
  config: Record<string, unknown>;
  codeVersion: string;
  seed: number;
  incidents: number;
  dataPolicy: string;
  period: { from: string; to: string };
  /** The model ranked first (best PAI in the first window). */
  chosen?: string;
  baseline?: string | null;
}

const METHOD =
  'rolling-origin backtest selection among counts, Bowers–Johnson–Pease hotspotting, time-weighted KDE, grid ETAS and SEPP';

export function forecasterModelCard(
  system: { id: string; version: number },
  b: StoredBacktest,
  generatedAt: string,
): ModelCard {
  const models = [...new Set([b.chosen, ...b.summary.map((s) => s.model)].filter((m): m is string => !!m))];
  const origins = b.summary[0]?.pai.n ?? 0;
  const summary: CardSummary = {
    models,
    baselineModel: b.baseline ?? undefined,
    metrics: b.summary.flatMap((s) => [
      {
        model: s.model,
        window: s.window,
        metric: 'PAI',
        value: s.pai.mean,
        interval: [s.pai.lo, s.pai.hi] as [number, number],
        origins: s.pai.n,
      },
      {
        model: s.model,
        window: s.window,
        metric: 'PEI',
        value: s.pei.mean,
        interval: [s.pei.lo, s.pei.hi] as [number, number],
        origins: s.pei.n,
      },
    ]),
    dataSnapshotHash: b.dataSnapshotHash,
    dataDescription: `${b.incidents} incidents (${b.dataPolicy})`,
    period: b.period,
    config: b.config,
    codeVersion: b.codeVersion,
    seed: b.seed,
    limitations: [
      'forecasts places, never people; trained on citizen-reported incidents, which under-count crime that goes unreported',
      'a backtest measures how well past windows were forecast, not what patrols do to the places they are sent',
      ...(origins < 20 ? [`only ${origins} backtest origins: intervals are wide`] : []),
    ],
  };
  return modelCardFromBacktest({ id: system.id, version: String(system.version) }, summary, generatedAt, METHOD);
}
