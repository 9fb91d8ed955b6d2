/**
 * The privacy-budget policy of public statistics, and the pure arithmetic of charging a release to it.
 *
 * Each table has its own budget per calendar period (a year by default). A release covers a data
 * period of whole months; for every budget period that data period overlaps, each released table is
 * charged its ε there (basic sequential composition: releases of overlapping data add up, releases of
 * disjoint periods touch different incidents and compose in parallel). ε is counted in integer
 * micro-ε so that sums are exact and "never over budget" holds without rounding slack.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, preview, type Where } from '../domain/errors';
import { msg } from '../domain/messages';

/** No policy may publish cells below this many (noisy) incidents: a cell of one must never show. */
export const HARD_SUPPRESSION_FLOOR = 5;
export const MICRO = 1_000_000;
/** Longest data period one release may cover. */
export const MAX_PERIOD_YEARS = 50;

const PolicySchema = z
  .object({
    about: z.string().optional(),
    budgetPeriod: z.enum(['year', 'quarter', 'month']),
    epsilonPerTablePerPeriod: z.number().positive().max(100),
    minEpsilonPerTableRelease: z.number().min(0.001),
    maxEpsilonPerTableRelease: z.number().positive().max(10),
    suppressBelowFloor: z.number().int().min(HARD_SUPPRESSION_FLOOR).max(1000),
    suppressBelowDefault: z.number().int().min(HARD_SUPPRESSION_FLOOR).max(1000),
  })
  .strict()
  .refine((p) => p.minEpsilonPerTableRelease <= p.maxEpsilonPerTableRelease, {
    message: 'minEpsilonPerTableRelease must not exceed maxEpsilonPerTableRelease',
    path: ['minEpsilonPerTableRelease'],
  })
  .refine((p) => p.maxEpsilonPerTableRelease <= p.epsilonPerTablePerPeriod, {
    message: 'maxEpsilonPerTableRelease must not exceed epsilonPerTablePerPeriod',
    path: ['maxEpsilonPerTableRelease'],
  })
  .refine((p) => p.suppressBelowDefault >= p.suppressBelowFloor, {
    message: 'suppressBelowDefault must be at least suppressBelowFloor',
    path: ['suppressBelowDefault'],
  });

export type PrivacyPolicy = z.infer<typeof PolicySchema>;

export function parsePrivacyPolicy(raw: unknown, file = 'privacy policy'): PrivacyPolicy {
  const r = PolicySchema.safeParse(raw);
  if (!r.success)
    throw new InputError(
      msg('privacy.badPolicy', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  return r.data;
}

export function loadPrivacyPolicy(file = 'config/privacy-budget.json'): PrivacyPolicy {
  return parsePrivacyPolicy(JSON.parse(readFileSync(file, 'utf8')), file);
}

export interface ReleaseRequest {
  epsilonPerTable: unknown;
  suppressBelow?: unknown;
  period?: { from?: unknown; to?: unknown };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Check one release request against the policy; every problem names its field. */
export function checkReleaseRequest(
  req: ReleaseRequest,
  policy: PrivacyPolicy,
): { epsilonMicro: number; suppressBelow: number } {
  const eps = req.epsilonPerTable;
  const where = (expected: string, got: unknown): Where[] => [
    { field: 'epsilonPerTable', expected, got: preview(got) },
  ];
  if (typeof eps !== 'number' || !Number.isFinite(eps))
    throw new InputError(msg('privacy.epsilonNotNumber', { got: preview(eps) }), where('a finite number', eps));
  if (eps < policy.minEpsilonPerTableRelease)
    throw new InputError(
      msg('privacy.epsilonTooSmall', { min: policy.minEpsilonPerTableRelease, got: preview(eps) }),
      where(`at least ${policy.minEpsilonPerTableRelease}`, eps),
    );
  if (eps > policy.maxEpsilonPerTableRelease)
    throw new InputError(
      msg('privacy.epsilonTooLarge', { max: policy.maxEpsilonPerTableRelease, got: preview(eps) }),
      where(`at most ${policy.maxEpsilonPerTableRelease}`, eps),
    );
  const epsilonMicro = Math.round(eps * MICRO);
  if (Math.abs(eps * MICRO - epsilonMicro) > 1e-6)
    throw new InputError(
      msg('privacy.epsilonPrecision', { got: preview(eps) }),
      where('at most 6 decimal places', eps),
    );
  const sb = req.suppressBelow ?? policy.suppressBelowDefault;
  if (typeof sb !== 'number' || !Number.isInteger(sb) || sb < policy.suppressBelowFloor || sb > 1000) {
    throw new InputError(msg('privacy.suppressBelowTooLow', { floor: policy.suppressBelowFloor, got: preview(sb) }), [
      { field: 'suppressBelow', expected: `an integer from ${policy.suppressBelowFloor} to 1000`, got: preview(sb) },
    ]);
  }
  return { epsilonMicro, suppressBelow: sb };
}

/** A data period of whole months, validated: from ≤ to, both YYYY-MM. */
export function checkPeriod(p: { from?: unknown; to?: unknown }): { from: string; to: string } {
  for (const k of ['from', 'to'] as const) {
    if (typeof p[k] !== 'string' || !MONTH.test(p[k] as string))
      throw new InputError(msg('privacy.badPeriod', { got: preview(p[k]) }), [
        { field: `period.${k}`, expected: 'a month YYYY-MM', got: preview(p[k]) },
      ]);
  }
  const from = p.from as string;
  const to = p.to as string;
  if (from > to)
    throw new InputError(msg('privacy.badPeriod', { got: `${from}..${to}` }), [
      { field: 'period.to', expected: `a month no earlier than ${from}`, got: to },
    ]);
  // Each budget period is one row to charge in the release's transaction: keep that bounded.
  if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) >= MAX_PERIOD_YEARS) {
    throw new InputError(msg('privacy.badPeriod', { got: `${from}..${to}` }), [
      { field: 'period.to', expected: `a month less than ${MAX_PERIOD_YEARS} years after ${from}`, got: to },
    ]);
  }
  return { from, to };
}

/** The label of the budget period holding month `m` (YYYY-MM): 2018, 2018-Q3 or 2018-07. */
export function budgetPeriodOf(m: string, kind: PrivacyPolicy['budgetPeriod']): string {
  if (kind === 'year') return m.slice(0, 4);
  if (kind === 'month') return m;
  return `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`;
}

/** Every budget period a data period overlaps, in order. O(months in the period). */
export function budgetPeriodsOf(period: { from: string; to: string }, kind: PrivacyPolicy['budgetPeriod']): string[] {
  const out: string[] = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (month > period.to) break;
    const label = budgetPeriodOf(month, kind);
    if (out[out.length - 1] !== label) out.push(label);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** First instant of the month after `m` (YYYY-MM), as an ISO date: the exclusive end of a data period. */
export function monthAfter(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12
    ? `${String(y + 1).padStart(4, '0')}-01-01`
    : `${m.slice(0, 4)}-${String(mo + 1).padStart(2, '0')}-01`;
}
