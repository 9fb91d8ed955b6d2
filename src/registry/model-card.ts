/**
 * Model cards: what a model is, what it learned from, how it was evaluated (metrics with intervals),
 * for whom it works less well (subgroup results from audits, when they exist) and its limitations.
 * Two builders: from what a vendor's system owner supplies, and from Counterweight's own stored
 * backtests. A card belongs to exactly one system version.
 */
import { z } from 'zod';
import { InputError, preview, zodWhere, type Where } from '../domain/errors';
import { MESSAGES, msg, render, type Message, type MessageCode } from '../domain/messages';

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
  if (!r.success) throw new InputError(msg('modelCard.notValid'), zodWhere(r.error.issues, 'modelCard'));
  return r.data;
}

/**
 * What a system's owner fills in on the workspace's model-card form (published as JSON Schema at
 * /api/register/model-card-schema.json): the parts of a card only the owner knows. Strict: a field the
 * form does not have is refused by name, never stored silently.
 */
export const OwnerModelCardSchema = z
  .object({
    model: z
      .object({
        name: z.string().min(1).max(200),
        version: z.string().min(1).max(100),
        method: z.string().min(1).max(4000),
      })
      .strict(),
    intendedUse: z.string().min(1).max(4000),
    outOfScopeUses: z.array(z.string().max(1000)).max(50).optional(),
    data: z.object({ description: z.string().min(1).max(4000) }).strict(),
    metrics: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            value: z.number(),
            /** Lower and upper bound of its confidence interval, when the vendor measured one. */
            interval: z
              .array(z.number())
              .length(2)
              .refine(([lo, hi]) => lo <= hi, 'lower bound ≤ upper bound')
              .optional(),
            level: z.number().gt(0).lt(1).optional(),
            dataset: z.string().max(300).optional(),
            baseline: z.number().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(200),
    limitations: z.array(z.string().min(1).max(1000)).min(1).max(50),
  })
  .strict();
export type OwnerModelCard = z.infer<typeof OwnerModelCardSchema>;

type Issue = z.core.$ZodIssue;

/** What one zod issue expected, as a message code (rendered in the reader's language by the server and web app). */
function expectedOf(i: Issue, path: string, got: unknown): Pick<Where, 'expectedCode' | 'expectedParams'> {
  const is = (code: MessageCode, params?: Where['expectedParams']) => ({
    expectedCode: code,
    ...(params ? { expectedParams: params } : {}),
  });
  if (/(^|\.)interval(\.\d+)?$/.test(path)) return is('modelCard.expected.interval');
  if (/(^|\.)level$/.test(path)) return is('modelCard.expected.level');
  if (i.code === 'invalid_type') {
    if (got === undefined) return is('modelCard.expected.required');
    if (i.expected === 'number') return is('modelCard.expected.number');
    if (i.expected === 'array') return is('modelCard.expected.list', OWNER_LISTS[path.replace(/\.\d+/g, '')]);
    if (i.expected === 'object') return is('modelCard.expected.object');
    return is('modelCard.expected.text', { max: 4000 });
  }
  if ((i.code === 'too_big' || i.code === 'too_small') && i.origin === 'string') {
    if (i.code === 'too_small') return is('modelCard.expected.required');
    return is('modelCard.expected.text', { max: Number(i.maximum) });
  }
  if ((i.code === 'too_big' || i.code === 'too_small') && i.origin === 'array') {
    const list = OWNER_LISTS[path.replace(/\.\d+/g, '')] ?? { min: 0, max: 1000 };
    return is('modelCard.expected.list', list);
  }
  return is('modelCard.expected.number');
}

/** The sizes of the card's lists, as OwnerModelCardSchema bounds them (named in the messages). */
const OWNER_LISTS: Record<string, { min: number; max: number }> = {
  outOfScopeUses: { min: 0, max: 50 },
  metrics: { min: 1, max: 200 },
  limitations: { min: 1, max: 50 },
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    root,
  );

/**
 * Check a card the owner sends against OwnerModelCardSchema. A refused card is an InputError whose code
 * names the first failing field in plain words (`modelCard.invalid.<field>`, English and Korean) and
 * whose `errors` name every failing field (at most 100) with what was expected, as a message code.
 */
export function parseOwnerModelCard(input: unknown): OwnerModelCard {
  const r = OwnerModelCardSchema.safeParse(input);
  if (r.success) return r.data;
  const where: Where[] = [];
  let first: { path: string; unknown?: string } | undefined;
  for (const i of r.error.issues) {
    const at = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) {
        const name = at ? `${at}.${k}` : k;
        first ??= { path: name, unknown: name };
        where.push({ field: `modelCard.${name}`, expectedCode: 'modelCard.expected.noSuchField' });
      }
      continue;
    }
    first ??= { path: at };
    const got = valueAt(input, i.path);
    where.push({
      field: at ? `modelCard.${at}` : 'modelCard',
      ...expectedOf(i, at, got),
      ...(got === undefined || typeof got === 'object' ? {} : { got: preview(got) }),
    });
  }
  const shown = where
    .slice(0, 100)
    .map((w) => ({ ...w, expected: render({ code: w.expectedCode!, params: w.expectedParams }) }));
  const count = where.length;
  if (first?.unknown)
    throw new InputError(msg('modelCard.unknownField', { name: preview(first.unknown, 60), count }), shown);
  throw new InputError(invalidFieldMessage(first?.path ?? '', count), shown);
}

/**
 * `metrics.0.value` → `modelCard.invalid.metrics.value` with item 1: the message naming the field. A path
 * below a field without its own message is named by the nearest field that has one.
 */
function invalidFieldMessage(path: string, count: number): Message {
  const parts = path ? path.split('.') : [];
  const index = parts.findIndex((p) => /^\d+$/.test(p));
  const item = index >= 0 ? Number(parts[index]) + 1 : undefined;
  const names = parts.filter((p) => !/^\d+$/.test(p));
  // A text entry of a list (limitations.3) has its own message, naming the entry.
  const leafIsItem = index === parts.length - 1;
  const candidates = names.flatMap((_, j) => {
    const field = `modelCard.invalid.${names.slice(0, names.length - j).join('.')}`;
    return j === 0 && leafIsItem ? [`${field}.item`, field] : [field];
  });
  for (const code of candidates) {
    if (!(code in MESSAGES)) continue;
    const withItem = MESSAGES[code as MessageCode].en.includes('{{item}}');
    return msg(code as MessageCode, withItem && item !== undefined ? { item, count } : { count });
  }
  return msg('modelCard.invalid.card', { count });
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
    throw new InputError(msg('modelCard.backtestNoModels'), [
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
    throw new InputError(msg('modelCard.backtestNoMetrics', { model: chosen }), [
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
