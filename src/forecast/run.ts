/**
 * A forecast run, NIJ style: the data policy applied, incidents strictly before the as-of date, a
 * grid over the jurisdiction in the data's CRS, a model (or `auto`, chosen by rolling-origin
 * backtests on data before the as-of date only), hotspots within the area bounds, explanations for
 * every hotspot, and a run record that reproduces the forecast bit for bit.
 * Outputs: every cell as a GeoJSON polygon (boundary cells clipped) with `hotspot`, `risk`,
 * `explanation_id`, or the same as an ESRI shapefile.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { buildGrid, cellPolygon, type Grid, type GridSpec, orientRfc7946, type MultiPolygon } from '../geo';
import {
  autoSelect,
  autoSelectSteps,
  defaultCandidates,
  windowDays,
  windowEnd,
  windowLastDate,
  type Candidate,
} from './backtest';
import {
  applyDataPolicy,
  validateIncidents,
  prepare,
  type DataPolicy,
  type DataPolicyRecord,
  type ForecastIncident,
} from './data';
import { selectHotspots, type Hotspots } from './evaluation';
import { explainCell, type Explanation } from './explanations';
import { chooseGeometry, type GeometryChoice } from './geometry';
import { describeModel, fitModel, type ModelParams } from './models';
import { dataSnapshotHash, riskFingerprint, type RunRecord } from './provenance';
import { ESRI_PRJ, writeShapefile, type DbfField } from './shapefile';

export interface ForecastConfig {
  /** Forecast origin: YYYY-MM-DD (midnight UTC) or a full ISO timestamp. Only earlier incidents are used. */
  asOf: string;
  /** 7d | 14d | 1mo | 2mo | 3mo */
  window: string;
  grid: GridSpec;
  /** The data's projected CRS (EPSG code), written on every output. */
  crs: string;
  /** Flagged area bounds; `exact` flags whole cells only so the area is hit exactly. */
  hotspotArea: { minArea: number; maxArea: number; exact?: boolean };
  /**
   * `--cell auto` / `--hotspot-area auto`: choose the cell geometry and/or flagged area by backtest
   * before the as-of date (geometry.ts); `grid` and `hotspotArea` are then the reference values.
   */
  autoGeometry?: { cell?: boolean; area?: boolean; unitMetres: number };
  model: ModelParams | 'auto';
  /** Candidates for `auto` (default: defaultCandidates(cellSize)). */
  candidates?: Candidate[];
  /** Rolling origins for `auto` (default 26 weekly). */
  autoOrigins?: number;
  seed: number;
  policy: DataPolicy;
  /** Incidents listed per explanation (default 10). */
  explainTop?: number;
}

export interface ForecastRun extends RunRecord<ForecastConfig> {
  kind: 'counterweight.forecast';
  model: string;
  modelParams: ModelParams;
  selection: ReturnType<typeof autoSelect>['table'] | null;
  /** Why `auto` chose the model (robustChoice), the origins it used; null for a given model. */
  selectionReason: string | null;
  /** What `--cell auto` / `--hotspot-area auto` chose and why; null when neither was asked for. */
  geometry: GeometryChoice['record'] | null;
  /** The grid the forecast was made on (cell width × height, rotation). */
  gridSpec: GridSpec;
  window: { start: string; lastDay: string; days: number };
  dataPolicy: DataPolicyRecord;
  trainingIncidents: number;
  outsideJurisdiction: number;
  hotspotCells: number;
  hotspotArea: number;
  totalArea: number;
  cells: number;
  diagnostics: Record<string, number>;
  /** SHA-256 of the risk vector's bytes: equal fingerprints mean bit-identical forecasts. */
  riskFingerprint: string;
}

export interface ForecastResult {
  grid: Grid;
  risk: Float64Array;
  hotspots: Hotspots;
  explanations: Explanation[];
  run: ForecastRun;
}

export function parseAsOf(asOf: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? Date.parse(`${asOf}T00:00:00Z`) : Date.parse(asOf);
  if (!Number.isFinite(t))
    throw new InputError(msg('forecast.badAsOf', { asOf }), [
      { field: 'asOf', expected: 'YYYY-MM-DD or an ISO 8601 timestamp', got: asOf },
    ]);
  return t;
}

export function runForecast(input: ForecastInput): ForecastResult {
  const steps = runForecastSteps(input);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

export interface ForecastInput {
  jurisdiction: MultiPolygon;
  incidents: readonly ForecastIncident[];
  config: ForecastConfig;
  codeVersion: string;
  grid?: Grid;
}

/** Where a forecast's computation is: steps done of the total, and what the current step is. */
export interface ForecastStep {
  stage: 'model-choice' | 'fit' | 'hotspots' | 'explanations';
  done: number;
  total: number;
}

/**
 * `runForecast` step by step, for a progress bar: with `auto`, each backtest origin of the model choice
 * (candidates × windows fitted per origin), then the fit, the hotspot selection and the explanations;
 * yields after each so a caller can report it and let other work run. The same result as runForecast.
 */
export function* runForecastSteps(input: ForecastInput): Generator<ForecastStep, ForecastResult, void> {
  const cfg = input.config;
  validateIncidents(input.incidents);
  const asOf = parseAsOf(cfg.asOf);
  const end = windowEnd(asOf, cfg.window);
  const W = windowDays(asOf, cfg.window);
  const { incidents: allowed, policy } = applyDataPolicy(input.incidents, cfg.policy);
  const training = allowed.filter((e) => e.t < asOf);
  let grid: Grid;
  let gridSpec: GridSpec = cfg.grid;
  let area: ForecastConfig['hotspotArea'] = cfg.hotspotArea;
  let geometry: ForecastRun['geometry'] = null;
  if (!input.grid && cfg.autoGeometry && (cfg.autoGeometry.cell || cfg.autoGeometry.area)) {
    const g = chooseGeometry({
      jurisdiction: input.jurisdiction,
      training,
      asOfMs: asOf,
      window: cfg.window,
      unitMetres: cfg.autoGeometry.unitMetres,
      grid: cfg.grid,
      area: cfg.hotspotArea,
      auto: cfg.autoGeometry,
      model: cfg.model,
      seed: cfg.seed,
    });
    grid = g.grid;
    gridSpec = g.gridSpec;
    area = g.area;
    geometry = g.record;
  } else grid = input.grid ?? buildGrid(input.jurisdiction, cfg.grid);
  const data = prepare(grid, training);
  let chosen: ModelParams;
  let selection: ForecastRun['selection'] = null;
  let selectionReason: string | null = null;
  // Steps: the model choice's origins (auto only), then fit, hotspots, explanations.
  let before = 0;
  const total = () => before + 3;
  if (cfg.model === 'auto') {
    const hourly = training.length > 0 && training.every((e) => e.timePrecision !== 'day');
    const choice = autoSelectSteps(data, asOf, {
      window: cfg.window,
      candidates: cfg.candidates ?? defaultCandidates(grid.cellSize, { hourly }),
      seed: cfg.seed,
      origins: cfg.autoOrigins,
      ...area,
    });
    let next = choice.next();
    for (; !next.done; next = choice.next()) {
      before = next.value.total;
      yield { stage: 'model-choice', done: next.value.done, total: total() };
    }
    const a = next.value;
    chosen = a.chosen.params;
    selection = a.table;
    selectionReason = a.reason;
  } else chosen = cfg.model;
  const fitted = fitModel(data, asOf, chosen);
  const risk = fitted.risk(W);
  yield { stage: 'fit', done: before + 1, total: total() };
  const hotspots = selectHotspots(grid, risk, area, cfg.seed);
  yield { stage: 'hotspots', done: before + 2, total: total() };
  const explanations = hotspots.cells.map((k) =>
    explainCell(data, fitted, k, W, risk[k], { dataPolicy: policy.label, top: cfg.explainTop }),
  );
  yield { stage: 'explanations', done: before + 3, total: total() };
  const run: ForecastRun = {
    kind: 'counterweight.forecast',
    dataSnapshotHash: dataSnapshotHash(training),
    config: cfg,
    codeVersion: input.codeVersion,
    seed: cfg.seed,
    model: describeModel(chosen),
    modelParams: chosen,
    selection,
    selectionReason,
    geometry,
    gridSpec: { ...gridSpec, cellHeight: grid.cellHeight },
    window: {
      start: new Date(asOf).toISOString(),
      lastDay: windowLastDate(asOf, cfg.window),
      days: (end - asOf) / 86_400_000,
    },
    dataPolicy: policy,
    trainingIncidents: data.n,
    outsideJurisdiction: data.outside,
    hotspotCells: hotspots.cells.length,
    hotspotArea: hotspots.area,
    totalArea: grid.totalArea,
    cells: grid.n,
    diagnostics: fitted.diagnostics,
    riskFingerprint: riskFingerprint(risk),
  };
  return { grid, risk, hotspots, explanations, run };
}

/**
 * Re-run a forecast from its run record and the same incidents. Throws when the incidents do not hash
 * to the recorded snapshot; otherwise returns the result, whose riskFingerprint must match the record's.
 */
export function reproduceForecast(
  record: RunRecord<ForecastConfig>,
  jurisdiction: MultiPolygon,
  incidents: readonly ForecastIncident[],
): ForecastResult {
  const { incidents: allowed } = applyDataPolicy(incidents, record.config.policy);
  const asOf = parseAsOf(record.config.asOf);
  const hash = dataSnapshotHash(allowed.filter((e) => e.t < asOf));
  if (hash !== record.dataSnapshotHash) {
    throw new InputError(msg('forecast.dataMismatch'), [
      { field: 'dataSnapshotHash', expected: record.dataSnapshotHash, got: hash },
    ]);
  }
  return runForecast({
    jurisdiction,
    incidents,
    config: { ...record.config, seed: record.seed },
    codeVersion: record.codeVersion,
  });
}

/**
 * Every grid cell as a GeoJSON polygon in the data's CRS (named in a `crs` member, since RFC 7946
 * assumes WGS84), with `hotspot` (0/1), `risk`, `explanation_id` (null when not a hotspot), `area`,
 * `cell_id` (lattice id) and the data policy; the run record rides along as a foreign member.
 */
export function forecastGeoJson(r: ForecastResult) {
  const features = new Array(r.grid.n);
  for (let k = 0; k < r.grid.n; k++) features[k] = cellFeature(r, k);
  return { ...geoJsonHead(r), features };
}

function geoJsonHead(r: ForecastResult) {
  return {
    type: 'FeatureCollection' as const,
    crs: { type: 'name', properties: { name: `urn:ogc:def:crs:${r.run.config.crs.replace(':', '::')}` } },
    counterweight: r.run,
  };
}

function cellFeature(r: ForecastResult, k: number) {
  const g = r.grid;
  const mp = orientRfc7946(cellPolygon(g, k));
  const hot = r.hotspots.mask[k] === 1;
  return {
    type: 'Feature' as const,
    id: g.ids[k],
    properties: {
      cell_id: g.ids[k],
      hotspot: hot ? 1 : 0,
      risk: r.risk[k],
      explanation_id: hot ? `cell-${g.ids[k]}` : null,
      area: g.areas[k],
      data_policy: r.run.dataPolicy.label,
    },
    geometry:
      mp.length === 1
        ? { type: 'Polygon' as const, coordinates: mp[0] }
        : { type: 'MultiPolygon' as const, coordinates: mp },
  };
}

/**
 * The text of JSON.stringify(forecastGeoJson(r)) in pieces of about `batch` cells, so that a writer
 * never holds every cell's polygon object and the whole text at once (67k cells: ~21 MB of text).
 */
export function* forecastGeoJsonChunks(r: ForecastResult, batch = 2000): Generator<string> {
  const head = JSON.stringify(geoJsonHead(r));
  yield `${head.slice(0, -1)},"features":[`;
  for (let k0 = 0; k0 < r.grid.n; k0 += batch) {
    const parts: string[] = [];
    for (let k = k0; k < Math.min(r.grid.n, k0 + batch); k++) parts.push(JSON.stringify(cellFeature(r, k)));
    yield (k0 ? ',' : '') + parts.join(',');
  }
  yield ']}';
}

export const FORECAST_DBF_FIELDS: DbfField[] = [
  { name: 'cell_id', type: 'N', length: 10, decimals: 0 },
  { name: 'hotspot', type: 'N', length: 1, decimals: 0 },
  { name: 'risk', type: 'N', length: 19, decimals: 11 },
  { name: 'area', type: 'N', length: 15, decimals: 3 },
  { name: 'expl_id', type: 'C', length: 24 },
  { name: 'officer', type: 'N', length: 1, decimals: 0 },
];

/** The forecast as an ESRI shapefile (.shp/.shx/.dbf/.prj). dBASE names are ≤ 10 characters: explanation_id → expl_id; officer = 1 when officer-initiated records were included. */
export function forecastShapefile(r: ForecastResult, prj?: string) {
  const g = r.grid;
  const text = prj ?? ESRI_PRJ[r.run.config.crs];
  if (!text)
    throw new InputError(msg('forecast.noPrj', { crs: r.run.config.crs }), [
      { field: 'prj', expected: 'ESRI WKT for the CRS (pass it explicitly)' },
    ]);
  const records = Array.from({ length: g.n }, (_, k) => ({
    geometry: cellPolygon(g, k),
    attributes: {
      cell_id: g.ids[k],
      hotspot: r.hotspots.mask[k],
      risk: r.risk[k],
      area: g.areas[k],
      expl_id: r.hotspots.mask[k] ? `cell-${g.ids[k]}` : null,
      officer: r.run.dataPolicy.includeOfficerInitiated ? 1 : 0,
    },
  }));
  return writeShapefile(records, FORECAST_DBF_FIELDS, text);
}
