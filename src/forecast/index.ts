/**
 * Counterweight's patrol-guidance forecaster: public API. Pure (no I/O besides hashing and byte
 * buffers). Adapters (store, HTTP, CLI) call:
 *   - runForecast / forecastGeoJsonChunks / forecastShapefile / reproduceForecast for a forecast run;
 *   - prepare + backtest / compareModels for rolling-origin evaluation, defaultCandidates for `auto`;
 *   - parseModel and the other parsers for parameters as people type them;
 *   - planShift for a shift's missions; dataSnapshotHash for provenance.
 * Models are families under models/, listed once in models/registry.ts. The surface is named here
 * and pinned by test/unit/architecture/library-surfaces.test.ts.
 */
export { applyDataPolicy, DAY_MS, type ForecastIncident, prepare } from './data';
export { fitModel, modelMessage, type ModelParams } from './models';
export {
  backtest,
  backtestSteps,
  type BacktestSummary,
  type Candidate,
  compareModels,
  defaultCandidates,
  originsBetween,
  windowEnd,
} from './backtest';
export { type Explanation } from './explanations';
export { dataSnapshotHash, type RunRecord } from './provenance';
export { type PatrolBudget, planShift } from './plan';
export {
  FORECAST_WINDOWS,
  modelChoices,
  parseArea,
  parseCount,
  parseDate,
  parseLength,
  parseModel,
  parseWindow,
} from './params';
export {
  type ForecastConfig,
  forecastGeoJsonChunks,
  type ForecastRun,
  forecastShapefile,
  reproduceForecast,
  runForecast,
  runForecastSteps,
} from './run';
