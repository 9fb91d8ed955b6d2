/**
 * `--cell auto` and `--hotspot-area auto`: cell geometry and flagged area chosen by backtest, within
 * the NIJ rules (each cell 62,500–360,000 sq ft, any rectangle, rotation allowed; flagged area 0.25–
 * 0.75 sq mi), on incidents before the as-of date only.
 *
 * Geometry candidates divide the flagged area exactly: a cell of area A/n for whole n, so n whole
 * cells make A and the selection can hit it exactly (hotspots flag whole cells only, see
 * selectHotspots `exact`). The area is chosen first on the reference geometry, then the geometry for
 * that area (a coordinate-wise search); each choice is robustChoice over the same origins, scored
 * with the requested model (or, for `--model auto`, a fixed fast model, the fine long-memory KDE, so the cost stays
 * O(geometries × (grid build + origins × fit))).
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { buildGrid, type Grid, type GridSpec, type MultiPolygon } from '../geo';
import { autoOrigins, backtest, robustChoice, type SelectionRow } from './backtest';
import { prepare, type ForecastIncident } from './data';
import type { AreaConstraint } from './evaluation';
import type { ModelParams } from './models';

const M_PER_FT = 0.3048;
const SQFT_PER_SQMI = 5280 ** 2;
/** NIJ bounds on one cell's area, sq ft. */
export const NIJ_CELL_AREA = { min: 62_500, max: 360_000 };
/** NIJ bounds on the flagged area, sq mi. */
export const NIJ_FLAGGED_SQMI = { min: 0.25, max: 0.75 };

export interface GeometryCandidate extends GridSpec {
  cellHeight: number;
  angleDeg: number;
  cellsInArea: number;
  label: string;
}

/**
 * Rectangles of area targetArea / n (whole n) inside the NIJ cell bounds, for each n in `counts`
 * that fits and each aspect (width / height) and angle. Areas in CRS units² (`unitMetres` per unit).
 */
export function exactGeometries(
  targetArea: number,
  unitMetres: number,
  opts: { counts?: number[]; aspects?: number[]; angles?: number[] } = {},
): GeometryCandidate[] {
  const ft2 = (unitMetres / M_PER_FT) ** 2; // sq ft per CRS unit²
  const lo = Math.ceil((targetArea * ft2) / NIJ_CELL_AREA.max - 1e-9),
    hi = Math.floor((targetArea * ft2) / NIJ_CELL_AREA.min + 1e-9);
  const counts = opts.counts ?? [hi, 100, 81, 64, 49, 36];
  const out: GeometryCandidate[] = [];
  const seen = new Set<string>();
  for (const n of counts) {
    if (!(n >= lo && n <= hi)) continue;
    for (const aspect of opts.aspects ?? [1, 2, 0.5])
      for (const angleDeg of opts.angles ?? [0]) {
        const a = targetArea / n;
        const w = Math.sqrt(a * aspect),
          h = a / w;
        const label = `${((w * unitMetres) / M_PER_FT).toFixed(1)}×${((h * unitMetres) / M_PER_FT).toFixed(1)} ft${angleDeg ? ` at ${angleDeg}°` : ''} (${n} cells)`;
        if (seen.has(label)) continue;
        seen.add(label);
        out.push({ cellSize: w, cellHeight: h, angleDeg, cellsInArea: n, label });
      }
  }
  if (!out.length)
    throw new InputError(
      msg('forecast.geometry.noExactCell', {
        area: +((targetArea * (unitMetres / M_PER_FT) ** 2) / SQFT_PER_SQMI).toFixed(4),
      }),
      [
        {
          field: 'cell',
          expected: `a flagged area between ${NIJ_FLAGGED_SQMI.min} and ${NIJ_FLAGGED_SQMI.max} sq mi`,
          got: String(targetArea),
        },
      ],
    );
  return out;
}

export interface GeometryChoice {
  grid: Grid;
  gridSpec: GridSpec;
  area: AreaConstraint;
  record: {
    scoredWith: string;
    origins: string[];
    area?: { chosen: number; chosenSqMi: number; reason: string; table: SelectionRow[] };
    cell?: {
      chosen: string;
      cellSize: number;
      cellHeight: number;
      angleDeg: number;
      exact: boolean;
      reason: string;
      table: SelectionRow[];
    };
  };
}

/**
 * Choose the flagged area and/or the cell geometry for a forecast as of `asOfMs`.
 * `training` holds only incidents before the as-of date (the caller cuts them).
 */
export function chooseGeometry(input: {
  jurisdiction: MultiPolygon;
  training: readonly ForecastIncident[];
  asOfMs: number;
  window: string;
  unitMetres: number;
  grid: GridSpec;
  area: AreaConstraint;
  auto: { cell?: boolean; area?: boolean };
  model: ModelParams | 'auto';
  seed: number;
  origins?: number;
  seasons?: number;
  geometries?: { counts?: number[]; aspects?: number[]; angles?: number[] };
}): GeometryChoice {
  const sqmi = SQFT_PER_SQMI * (M_PER_FT / input.unitMetres) ** 2; // CRS units² per sq mi
  const maxArea = Math.min(input.area.maxArea, NIJ_FLAGGED_SQMI.max * sqmi);
  // One fast model scores every geometry when the model itself is auto: the fine long-memory KDE (σ half a
  // cell, half-life 730 d), the fixed model that reached the NIJ winners most often on the Portland 2014–2016
  // seasons at 0.25 sq mi for both crimes (bench/results/nij-sweep-*.txt; σ = a cell, 1000 d: 0–3 of 15).
  const scoring = (g: GridSpec): ModelParams =>
    input.model === 'auto'
      ? { model: 'kde', kernel: 'gaussian', bandwidth: 0.5 * g.cellSize, halfLifeDays: 730 }
      : input.model;
  const run = (spec: GridSpec, areas: AreaConstraint[]) => {
    const grid = buildGrid(input.jurisdiction, spec);
    const data = prepare(
      grid,
      input.training.filter((e) => e.t < input.asOfMs),
    );
    const { recent, seasonal } = autoOrigins(data, input.asOfMs, {
      window: input.window,
      origins: input.origins ?? 13,
      seasons: input.seasons,
    });
    const origins = [...seasonal, ...recent].sort((a, b) => a - b);
    const rows = areas.flatMap(
      (area, ai) =>
        backtest(data, {
          origins,
          windows: [input.window],
          models: [{ label: `#${ai}`, params: scoring(spec) }],
          ...area,
          seed: input.seed,
          dataEndMs: input.asOfMs,
        }).rows,
    );
    return { grid, origins, rows };
  };
  const record: GeometryChoice['record'] = {
    scoredWith:
      input.model === 'auto'
        ? 'time-weighted KDE (gaussian σ = half the cell width, half-life 730 d)'
        : 'the requested model',
    origins: [],
  };
  let area: AreaConstraint = { ...input.area, maxArea };
  let grid: Grid | undefined;
  let gridSpec = input.grid;
  if (input.auto.area) {
    const choices = [0.25, 0.3, 0.4, 0.5, 0.75]
      .map((v) => v * sqmi)
      .filter((a) => a >= NIJ_FLAGGED_SQMI.min * sqmi - 1 && a <= maxArea + 1);
    const areas = choices.map((a) => ({ minArea: a, maxArea }));
    const r = run(input.grid, areas);
    record.origins = r.origins.map((t) => new Date(t).toISOString().slice(0, 10));
    const labels = choices.map((a) => `${(a / sqmi).toFixed(2)} sq mi`);
    const pick = robustChoice(
      r.rows.map((x) => ({ model: labels[Number(x.model.slice(1))], origin: x.origin, value: x.pai })),
      labels,
      input.seed,
    );
    area = areas[pick.chosen];
    grid = r.grid;
    record.area = {
      chosen: area.minArea,
      chosenSqMi: +(area.minArea / sqmi).toFixed(4),
      reason: pick.reason,
      table: pick.table,
    };
  }
  if (input.auto.cell) {
    const cands = exactGeometries(area.minArea, input.unitMetres, input.geometries);
    const exactArea = { ...area, exact: true };
    const results = cands.map((c) => run(c, [exactArea]));
    record.origins = results[0].origins.map((t) => new Date(t).toISOString().slice(0, 10));
    const labels = cands.map((c) => c.label);
    const pick = robustChoice(
      results.flatMap((r, i) => r.rows.map((x) => ({ model: labels[i], origin: x.origin, value: x.pai }))),
      labels,
      input.seed,
    );
    const c = cands[pick.chosen];
    gridSpec = { cellSize: c.cellSize, cellHeight: c.cellHeight, angleDeg: c.angleDeg, origin: input.grid.origin };
    grid = results[pick.chosen].grid;
    area = exactArea;
    record.cell = {
      chosen: c.label,
      cellSize: c.cellSize,
      cellHeight: c.cellHeight,
      angleDeg: c.angleDeg,
      exact: true,
      reason: pick.reason,
      table: pick.table,
    };
  }
  return { grid: grid ?? buildGrid(input.jurisdiction, gridSpec), gridSpec, area, record };
}
