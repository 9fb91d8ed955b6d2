/**
 * What a forecast model family is: one module under `forecast/models/` exporting one `ModelFamily`,
 * listed once in `models/registry.ts`. Everything that used to switch on a model's name (the CLI
 * parser, validation, descriptions, fitting, `auto`'s candidates) asks the family instead.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Prepared } from './data';
import type { Message } from '../domain/messages';

export interface RiskDecomposition {
  /** The part of the risk not attributed to particular incidents (ETAS μ_k·W, SEPP background). */
  background: number;
  /** Incidents (index into the prepared training data) and the risk each adds. */
  contributions: { i: number; value: number }[];
  /** Named parts (learned models: one per feature) that also sum to the risk. */
  named?: { name: string; value: number }[];
}

/** A family's fit: the dispatcher (`fitModel`) adds the parameters to make a `FittedModel`. */
export interface FittedRisk {
  /** As-of time, ms. */
  asOf: number;
  /** Risk per cell for the window [asOf, asOf + windowDays). */
  risk(windowDays: number): Float64Array;
  /** Decomposition of cell k's risk for that window: background + Σ contributions = risk(k). */
  explain(k: number, windowDays: number): RiskDecomposition;
  /** Fitted parameters and fit statistics (EM iterations, θ, ω, …). */
  diagnostics: Record<string, number>;
}

/** Helpers for `parse`: every error names the field (`model.<field>`) and the text typed. */
export interface ParseHelpers {
  /** A positive number, or `def` when omitted. */
  num(s: string | undefined, field: string, def?: number): number;
  /** A length with a unit (250ft, 76m) or in CRS units. */
  len(s: string | undefined, field: string): number;
  /** Throws "bad model" naming the field, what was expected and what was typed. */
  bad(field: string, expected: string, got?: string): never;
}

/** Helpers for `validate`. */
export interface ValidateHelpers {
  /** A finite positive number (or undefined when optional). */
  positive(v: unknown, field: string, optional?: boolean): void;
}

export interface ModelFamily<P extends { model: string }> {
  /** The `model` values this family answers to (hotspotting has two variants, learned models two). */
  names: readonly P['model'][];
  /** How it is written on the command line, e.g. `counts[:DAYS]`, in the order of `names`. */
  syntax: readonly string[];
  /** From the command line: `kde:gaussian:600ft:365` arrives as name `kde`, args `['gaussian', '600ft', '365']`. */
  parse(name: P['model'], args: string[], h: ParseHelpers): P;
  /**
   * One line for people: run records, backtest labels, explanations. A message (code and parameters) is
   * shown in the reader's language; a plain string is shown as it is in every language.
   */
  describe(p: P): Message | string;
  /** Throws InputError naming the field and what was expected. */
  validate(p: P, h: ValidateHelpers): void;
  /** Candidates this family offers `auto` (bandwidths in multiples of the cell size). */
  autoCandidates(cellSize: number, opts: { hourly?: boolean }): { params: P }[];
  /** Fit on prepared incidents strictly before `asOfMs` (the dispatcher has cut the later ones). */
  fit(d: Prepared, asOfMs: number, p: P): FittedRisk;
}

/** The validation helpers for model `model`: `model kde: bandwidth must be a positive number`. */
export function validateHelpers(model: string): ValidateHelpers {
  return {
    positive(v, field, optional = false) {
      if (optional && v === undefined) return;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
        throw new InputError(msg('forecast.notPositive', { model, field }), [
          { field: `params.${field}`, expected: '> 0', got: String(v) },
        ]);
    },
  };
}
