/**
 * Model cards: what a model is, what it learned from, how it was evaluated (metrics with intervals),
 * for whom it works less well (subgroup results from audits, when they exist) and its limitations.
 * Two builders: from what a vendor's system owner supplies, and from Counterweight's own stored
 * backtests. A card belongs to exactly one system version.
 */
import { z } from 'zod';
import { InputError, zodWhere } from '../domain/errors';

const interval = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'lower bound ≤ upper bound');
export const MetricSchema = z.object({
  name: z.string().min(1).max(100),
  value: z.number(),
  /** Confidence interval; cards without intervals say so in `limitations`. */
  interval: interval.optional(),
  level: z.number().gt(0).lt(1).default(0.95),
  dataset: z.string().max(300).default(''),
  /** The same metric for the comparison baseline, when there is one. */
  baseline: z.number().optional(),
});
export const SubgroupResultSchema = z.object({
  attribute: z.string().min(1).max(100),
  group: z.string().min(1).max(100),
  metric: z.string().min(1).max(100),
  value: z.number(),
  interval: interval.optional(),
  n: z.number().int().min(0),
  auditRef: z.string().max(200).optional(),
});

export const ModelCardSchema = z.object({
  systemId: z.string().min(1).max(64),
  systemVersion: z.string().min(1).max(40),
  source: z.enum(['vendor-supplied', 'counterweight-backtest']),
  generatedAt: z.string(),
  model: z.object({
    name: z.string().min(1).max(200),
    version: z.string().min(1).max(100),
    method: z.string().min(1).max(4000),
  }),
  intendedUse: z.string().max(4000).default(''),
  outOfScopeUses: z.array(z.string().max(1000)).max(50).default([]),
  data: z.object({
    description: z.string().min(1).max(4000),
    snapshotHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    period: z.object({ from: z.string(), to: z.string() }).optional(),
  }),
  metrics: z.array(MetricSchema).min(1).max(200),
  subgroups: z.array(SubgroupResultSchema).max(1000).default([]),
  limitations: z.array(z.string().min(1).max(1000)).min(1).max(50),
  /** How to reproduce the numbers (configuration, code version, seed). */
  provenance: z
    .object({
      config: z.record(z.string(), z.unknown()).default({}),
      codeVersion: z.string().max(100).optional(),
      seed: z.number().int().optional(),
    })
    .default({ config: {} }),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

function parseCard(input: unknown): ModelCard {
  const r = ModelCardSchema.safeParse(input);
  if (!r.success) throw new InputError('the model card is not valid', zodWhere(r.error.issues, 'modelCard'));
  return r.data;
}

/** What a vendor system's owner supplies; validated the same way as every card. */
export interface VendorDescription {
  model: { name: string; version: string; method: string };
  intendedUse: string;
  outOfScopeUses?: string[];
  data: { description: string; period?: { from: string; to: string } };
  metrics: {
    name: string;
    value: number;
    interval?: [number, number];
    level?: number;
    dataset?: string;
    baseline?: number;
  }[];
  subgroups?: z.input<typeof SubgroupResultSchema>[];
  limitations: string[];
}

export function modelCardFromVendor(
  system: { id: string; version: string },
  d: VendorDescription,
  generatedAt: string,
): ModelCard {
  const limitations = [...(d.limitations ?? [])];
  if ((d.metrics ?? []).some((m) => !m.interval))
    limitations.push('some metrics were supplied without intervals; their uncertainty is unknown');
  if (!d.subgroups?.length) limitations.push('no subgroup results yet: run a bias audit before approval');
  limitations.push('supplied by the vendor and not reproduced by Counterweight');
  return parseCard({
    systemId: system.id,
    systemVersion: system.version,
    source: 'vendor-supplied',
    generatedAt,
    ...d,
    limitations,
  });
}

/**
 * A backtest summary, as the forecaster stores it (keep it simple):
 *  - models: candidate names, the chosen one first;
 *  - metrics: per model and forecast window, value and interval (e.g. PAI with a bootstrap 95% CI);
 *  - dataSnapshotHash: SHA-256 hex of the input data; period: what the data covers;
 *  - config: the backtest configuration (stored for reproducibility); codeVersion, seed;
 *  - limitations: written by the run (e.g. few origins); subgroups: from audits, optional.
 */
export interface BacktestSummary {
  models: string[];
  metrics: {
    model: string;
    window: string;
    metric: string;
    value: number;
    interval: [number, number];
    level?: number;
    origins?: number;
  }[];
  /** Name of the comparison model (e.g. "all-history counts"), when one was run. */
  baselineModel?: string;
  dataSnapshotHash: string;
  dataDescription: string;
  period?: { from: string; to: string };
  config: Record<string, unknown>;
  codeVersion?: string;
  seed?: number;
  limitations: string[];
  subgroups?: z.input<typeof SubgroupResultSchema>[];
}

export function modelCardFromBacktest(
  system: { id: string; version: string },
  s: BacktestSummary,
  generatedAt: string,
  method: string,
): ModelCard {
  if (!s.models?.length)
    throw new InputError('a backtest summary names its models', [
      { field: 'summary.models', expected: 'at least one model' },
    ]);
  const chosen = s.models[0];
  const metrics = s.metrics
    .filter((m) => m.model === chosen)
    .map((m) => {
      const base = s.baselineModel
        ? s.metrics.find((b) => b.model === s.baselineModel && b.window === m.window && b.metric === m.metric)
        : undefined;
      return {
        name: `${m.metric} (${m.window})`,
        value: m.value,
        interval: m.interval,
        level: m.level ?? 0.95,
        dataset: `rolling-origin backtest${m.origins ? `, ${m.origins} origins` : ''}`,
        baseline: base?.value,
      };
    });
  if (!metrics.length)
    throw new InputError(`no metrics for the chosen model ${chosen}`, [
      { field: 'summary.metrics', expected: `rows with model = ${chosen}` },
    ]);
  const limitations = [...s.limitations];
  if (!s.subgroups?.length) limitations.push('no subgroup results yet: run a bias audit before approval');
  return parseCard({
    systemId: system.id,
    systemVersion: system.version,
    source: 'counterweight-backtest',
    generatedAt,
    model: { name: chosen, version: system.version, method },
    intendedUse: 'patrol guidance: where citizen-reported crime is likely in the next window; places, never people',
    outOfScopeUses: ['grounds for a stop, search or arrest', 'predictions about individual people'],
    data: { description: s.dataDescription, snapshotHash: s.dataSnapshotHash, period: s.period },
    metrics,
    subgroups: s.subgroups ?? [],
    limitations,
    provenance: { config: s.config, codeVersion: s.codeVersion, seed: s.seed },
  });
}
