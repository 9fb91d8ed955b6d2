/** A fitted forecast model: risk per cell for a window, and that risk decomposed into its parts. */
import type { ModelParams } from './model-params';

export interface RiskDecomposition {
  /** The part of the risk not attributed to particular incidents (ETAS μ_k·W, SEPP background). */
  background: number;
  /** Incidents (index into the prepared training data) and the risk each adds. */
  contributions: { i: number; value: number }[];
  /** Named parts (learned models: one per feature) that also sum to the risk. */
  named?: { name: string; value: number }[];
}

export interface FittedModel {
  params: ModelParams;
  /** As-of time, ms. */
  asOf: number;
  /** Risk per cell for the window [asOf, asOf + windowDays). */
  risk(windowDays: number): Float64Array;
  /** Decomposition of cell k's risk for that window: background + Σ contributions = risk(k). */
  explain(k: number, windowDays: number): RiskDecomposition;
  /** Fitted parameters and fit statistics (EM iterations, θ, ω, …). */
  diagnostics: Record<string, number>;
}
