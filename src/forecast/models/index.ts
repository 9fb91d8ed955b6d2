/**
 * Forecast models on a grid, dispatched through the registry (registry.ts). Each family is a pure
 * function of (prepared training incidents strictly before the as-of time, parameters) to a fitted
 * model that gives a risk per cell for a window starting at the as-of time, and decomposes any cell's
 * risk into a background part plus per-incident parts (for explanations). Risks are non-negative; for
 * ETAS and SEPP they are expected counts in the window.
 *
 * Distances and bandwidths are in CRS units (feet for EPSG:2913); times in days.
 */
import { InputError } from '../../domain/errors';
import { msg, render, type Message } from '../../domain/messages';
import type { Grid } from '../../geo';
import { prepare, truncateBefore, type ForecastIncident, type Prepared } from '../data';
import { validateHelpers, type FittedRisk, type ModelFamily, type RiskDecomposition } from '../model-family';
import { MODEL_FAMILIES, type ModelParams } from './registry';

export type { ModelParams, RiskDecomposition };
export type ModelName = ModelParams['model'];

/** A fitted forecast model: risk per cell for a window, that risk decomposed, and the parameters it was fitted with. */
export interface FittedModel extends FittedRisk {
  params: ModelParams;
}

// Families are typed by their own parameters; the name lookup is what ties a `ModelParams` value to
// its family, hence the one cast here. Built once: name → family.
const FAMILIES = MODEL_FAMILIES as unknown as readonly ModelFamily<ModelParams>[];
const BY_NAME = new Map<string, ModelFamily<ModelParams>>();
for (const f of FAMILIES) for (const name of f.names) BY_NAME.set(name, f);

/** Every registered model name, in registry order. */
export const MODEL_NAMES: readonly string[] = [...BY_NAME.keys()];

/** The family that answers to `name`, or undefined. */
export function modelFamily(name: string): ModelFamily<ModelParams> | undefined {
  return BY_NAME.get(name);
}

/** The model's one-line name in English (run records, the command line, backtest labels). */
export function describeModel(p: ModelParams): string {
  const d = BY_NAME.get(p.model)!.describe(p);
  return typeof d === 'string' ? d : render(d, 'en');
}

/** The same as a message, for a reader in any language (a family's plain string stays as it is). */
export function modelMessage(p: ModelParams): Message {
  const d = BY_NAME.get(p.model)!.describe(p);
  return typeof d === 'string' ? msg('model.other', { name: d }) : d;
}

/** Check parameters; the error names the field and what was expected. */
export function validateParams(p: ModelParams): void {
  const family = typeof p?.model === 'string' ? BY_NAME.get(p.model) : undefined;
  if (!family)
    throw new InputError(
      msg('forecast.unknownModelParams', { model: String(JSON.stringify((p as { model?: unknown })?.model)) }),
      [{ field: 'params.model', expected: MODEL_NAMES.join(' | ') }],
    );
  family.validate(p, validateHelpers(p.model));
}

/**
 * Fit a model on the prepared incidents strictly before `asOfMs` (later ones are ignored, so callers
 * cannot leak the future by accident).
 */
export function fitModel(data: Prepared, asOfMs: number, params: ModelParams): FittedModel {
  validateParams(params);
  return { params, ...BY_NAME.get(params.model)!.fit(truncateBefore(data, asOfMs), asOfMs, params) };
}

/** The pure-function form: risk per cell from raw incidents (already filtered by the data policy). */
export function forecastRisk(
  grid: Grid,
  training: readonly ForecastIncident[],
  asOfMs: number,
  params: ModelParams,
  windowDays: number,
): Float64Array {
  return fitModel(prepare(grid, training), asOfMs, params).risk(windowDays);
}

/** The candidate set `auto` chooses among: each family's, in registry order (bandwidths in multiples of the cell size). */
export function familyCandidates(cellSize: number, opts: { hourly?: boolean } = {}): { params: ModelParams }[] {
  return FAMILIES.flatMap((f) => f.autoCandidates(cellSize, opts));
}
