/**
 * The computing part of a forecast service run, as generators of progress steps over plain data (no
 * store, no log): what the forecast thread (forecast.worker.ts) runs for a forecast, a backtest or a
 * reproduction. The service loads the inputs before and stores and logs the result after.
 */
import {
  applyDataPolicy,
  backtestSteps,
  dataSnapshotHash,
  prepare,
  reproduceForecast,
  runForecastSteps,
  DAY_MS,
  type Candidate,
  type ForecastConfig,
  type ForecastIncident,
  type ForecastRun,
} from '../forecast';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { buildGrid, type MultiPolygon } from '../geo';

/** What a step generator returns when it is done. */
export type Returned<G> = G extends Generator<unknown, infer R, unknown> ? R : never;

export interface Step {
  stage?: string;
  done: number;
  total: number;
}

export interface BacktestComputeInput {
  jurisdiction: MultiPolygon;
  incidents: ForecastIncident[];
  cellSize: number;
  includeOfficerInitiated: boolean;
  origins: number[];
  windows: string[];
  models: Candidate[];
  minArea: number;
  maxArea: number;
  seed: number;
  hitRateShares: number[];
}

export type ForecastTask =
  | {
      kind: 'forecast';
      jurisdiction: MultiPolygon;
      incidents: ForecastIncident[];
      config: ForecastConfig;
      codeVersion: string;
    }
  | { kind: 'backtest'; input: BacktestComputeInput }
  | { kind: 'reproduce'; run: ForecastRun; jurisdiction: MultiPolygon; incidents: ForecastIncident[] };

/** A forecast, step by step (auto's backtest origins, the fit, hotspots, explanations). */
export function* computeForecast(task: Extract<ForecastTask, { kind: 'forecast' }>) {
  return yield* runForecastSteps({
    jurisdiction: task.jurisdiction,
    incidents: task.incidents,
    config: task.config,
    codeVersion: task.codeVersion,
  });
}

/**
 * A rolling-origin backtest, origin by origin: the grid, the data policy, every model at every origin, and
 * what the service stores beside the result (snapshot hash, data period, incidents used).
 * O(cells + origins × models × (fit + windows × cells log cells)).
 */
export function* computeBacktest(b: BacktestComputeInput): Generator<Step, ReturnType<typeof backtestResult>, void> {
  const grid = buildGrid(b.jurisdiction, { cellSize: b.cellSize });
  const { incidents, policy } = applyDataPolicy(b.incidents, { includeOfficerInitiated: b.includeOfficerInitiated });
  if (!incidents.length)
    throw new InputError(msg('forecast.backtest.noIncidents'), [
      { field: 'jurisdiction', expected: 'imported citizen-reported incidents' },
    ]);
  let first = Infinity;
  let last = -Infinity;
  for (const e of incidents) {
    if (e.t < first) first = e.t;
    if (e.t > last) last = e.t;
  }
  const lastDay = Math.floor(last / DAY_MS) * DAY_MS + DAY_MS;
  const steps = backtestSteps(prepare(grid, incidents), {
    origins: b.origins,
    windows: b.windows,
    models: b.models,
    minArea: b.minArea,
    maxArea: b.maxArea,
    seed: b.seed,
    dataEndMs: lastDay,
    logScore: true,
    hitRateShares: b.hitRateShares,
  });
  for (;;) {
    const step = steps.next();
    if (step.done) return backtestResult(step.value, policy.label, incidents, first, last, lastDay);
    yield step.value;
  }
}

function backtestResult(
  bt: Returned<ReturnType<typeof backtestSteps>>,
  policyLabel: string,
  incidents: ForecastIncident[],
  first: number,
  last: number,
  lastDay: number,
) {
  return {
    bt,
    policyLabel,
    snapshot: dataSnapshotHash(incidents),
    incidents: incidents.length,
    period: { from: new Date(first).toISOString().slice(0, 10), to: new Date(last).toISOString().slice(0, 10) },
    lastDay,
  };
}

/** A stored forecast run again from its record: the risk's fingerprint (an InputError says why it cannot). */
export function* computeReproduction(
  task: Extract<ForecastTask, { kind: 'reproduce' }>,
): Generator<Step, string, void> {
  return reproduceForecast(task.run, task.jurisdiction, task.incidents).run.riskFingerprint;
}
