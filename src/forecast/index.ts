/**
 * Counterweight's patrol-guidance forecaster: public API. Pure (no I/O besides hashing and byte
 * buffers). Adapters (store, HTTP, CLI) call:
 *   - runForecast / forecastGeoJson / forecastShapefile / reproduceForecast for a forecast run;
 *   - prepare + backtest / compareModels for rolling-origin evaluation, autoSelect for `auto`;
 *   - planShift for a shift's missions; dataSnapshotHash for provenance.
 */
export * from './data';
export * from './models';
export { fitNonNegativePoisson, trainingOrigins, type LearnedParams } from './learned';
export * from './evaluation';
export * from './backtest';
export * from './explanations';
export * from './provenance';
export * from './shapefile';
export * from './plan';
export * from './params';
export * from './geometry';
export { prng, subSeed } from './random';
export { runForecast, reproduceForecast, forecastGeoJson, forecastShapefile, parseAsOf, FORECAST_DBF_FIELDS, type ForecastConfig, type ForecastRun, type ForecastResult } from './run';
