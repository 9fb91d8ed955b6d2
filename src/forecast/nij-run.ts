/**
 * A forecast run as the NIJ challenge framed it: incidents before --as-of, a grid over the boundary in
 * the data's CRS, a model (or `auto`, chosen by rolling-origin backtest before --as-of), hotspots within
 * the area bounds, and every cell written as a GeoJSON polygon with hotspot/risk/explanation_id.
 * The run record (data snapshot hash, configuration, code version, seed) reproduces it bit for bit.
 */
import { createHash } from 'node:crypto';
import { buildGrid, cellOf, cellRing, type Grid, type Polygon } from '../geo/square-grid';
import { explainCell, type Explanation } from './explain';
import { selectHotspots } from './hotspot-metrics';
import { CANDIDATES, describeModel, runModel, type GridEvent, type ModelParams } from './hotspot-models';
import { chooseModel, windowEnd } from './rolling-backtest';

export interface RunConfig {
  asOf: string; // YYYY-MM-DD
  window: string;
  cellSize: number;
  areaMin: number;
  areaMax: number;
  model: ModelParams | 'auto';
  seed: number;
  /** Officer-initiated records are excluded unless this is set; it is recorded and shown on every output. */
  includeOfficerInitiated: boolean;
  crs: string;
}

export interface InputEvent { id: string; t: number; x: number; y: number; origin: 'citizen' | 'officer' }

export function snapshotHash(events: { id: string; t: number; x: number; y: number }[]): string {
  const h = createHash('sha256');
  for (const e of [...events].sort((a, b) => a.t - b.t || a.id.localeCompare(b.id))) h.update(`${e.id}|${e.t}|${e.x}|${e.y}\n`);
  return h.digest('hex');
}

export function nijForecast(polygons: Polygon[], input: InputEvent[], cfg: RunConfig, codeVersion: string) {
  const asOf = Date.parse(`${cfg.asOf}T00:00:00Z`);
  if (Number.isNaN(asOf)) throw new Error(`--as-of must be a date YYYY-MM-DD, got ${cfg.asOf}`);
  const grid: Grid = buildGrid(polygons, cfg.cellSize);
  const training = input.filter((e) => e.t < asOf && (cfg.includeOfficerInitiated || e.origin === 'citizen'));
  const events: GridEvent[] = training.map((e) => ({ cell: cellOf(grid, e.x, e.y), t: e.t, id: e.id }));
  let model: ModelParams;
  let selection: unknown = null;
  if (cfg.model === 'auto') {
    const c = chooseModel(grid, events, asOf, cfg.window, CANDIDATES, cfg.areaMin, cfg.areaMax, cfg.seed);
    model = c.chosen;
    selection = c.backtest.map((s) => ({ model: s.model, meanPai: s.pai.mean, interval: [s.pai.lo, s.pai.hi], origins: s.pai.n }));
  } else model = cfg.model;
  const risk = runModel(grid, events, asOf, model);
  const hot = selectHotspots(grid, risk, cfg.areaMin, cfg.areaMax, cfg.seed);
  const hotSet = new Set(hot.cells);
  const explanations: Explanation[] = hot.cells.map((k) => explainCell(grid, events, asOf, model, k, risk[k]));
  const dataPolicy = cfg.includeOfficerInitiated ? 'includes officer-initiated records (explicit flag)' : 'citizen-reported records only';
  const features = Array.from(grid.ids.keys()).map((k) => ({
    type: 'Feature' as const,
    properties: { cell_id: grid.ids[k], hotspot: hotSet.has(k) ? 1 : 0, risk: risk[k], area: grid.areas[k], explanation_id: hotSet.has(k) ? `cell-${grid.ids[k]}` : null, data_policy: dataPolicy },
    geometry: { type: 'Polygon' as const, coordinates: [cellRing(grid, k)] },
  }));
  const run = {
    dataSnapshotHash: snapshotHash(training), trainingEvents: training.length, config: cfg, codeVersion, seed: cfg.seed,
    model: describeModel(model), modelParams: model, selection, windowEnd: new Date(windowEnd(asOf, cfg.window)).toISOString().slice(0, 10),
    hotspotArea: hot.area, hotspotCells: hot.cells.length, totalArea: grid.totalArea, dataPolicy,
  };
  return {
    geojson: { type: 'FeatureCollection' as const, crs: { type: 'name', properties: { name: `urn:ogc:def:crs:${cfg.crs.replace(':', '::')}` } }, run, features },
    explanations, run,
  };
}
