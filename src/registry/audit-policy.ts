/**
 * Audit policy: which person-level bias audit counts for the activation gate is policy, not the
 * auditor's choice (gates issue 15.2). Configured as data in config/audit-policy.json, read once at
 * start and validated; every audit records the policy version and rule it was judged against.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { METRICS, type Metric, type ReferenceRule } from '../fairness';

const OUTPUT_KINDS = [
  'patrol-mission',
  'cctv-detection',
  'crowd-density',
  'stalking-proximity',
  'risk-score',
  'other',
] as const;

const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,64}$/),
    /** Every condition given must hold; an empty object always matches. */
    when: z
      .object({
        minLevel: z.number().int().min(1).max(4).optional(),
        outputKinds: z.array(z.enum(OUTPUT_KINDS)).min(1).optional(),
        personLevelRiskScoring: z.boolean().optional(),
      })
      .strict(),
    metrics: z.array(z.enum(METRICS)).min(1),
    reference: z.union([
      z.object({ mode: z.literal('largest') }).strict(),
      z.object({ mode: z.literal('best') }).strict(),
      z
        .object({
          mode: z.literal('named'),
          group: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]),
        })
        .strict(),
    ]),
    band: z.tuple([z.number().gt(0).max(1), z.number().min(1)]),
    minGroupSize: z.number().int().min(1).max(100_000),
  })
  .strict();

export const AuditPolicySchema = z
  .object({
    about: z.string().optional(),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    rules: z.array(RuleSchema).min(1),
  })
  .strict();
export type AuditPolicy = z.infer<typeof AuditPolicySchema>;
export type AuditRule = z.infer<typeof RuleSchema> & { metrics: Metric[]; reference: ReferenceRule };

export function loadAuditPolicy(file = 'config/audit-policy.json'): AuditPolicy {
  const r = AuditPolicySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.success)
    throw new InputError(
      msg('audits.policyInvalid', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  return r.data;
}

export const AUDIT_POLICY = loadAuditPolicy();

/** The first rule whose conditions all hold for this version's record and impact level. */
export function auditRuleFor(
  record: Record<string, unknown>,
  level: number,
  policy: AuditPolicy = AUDIT_POLICY,
): AuditRule {
  const kinds = (record.outputSchema as { kinds?: string[] } | undefined)?.kinds ?? [];
  const rule = policy.rules.find(
    ({ when: w }) =>
      (w.minLevel === undefined || level >= w.minLevel) &&
      (w.outputKinds === undefined || w.outputKinds.some((k) => kinds.includes(k))) &&
      (w.personLevelRiskScoring === undefined || (record.personLevelRiskScoring === true) === w.personLevelRiskScoring),
  );
  // A policy with no catch-all rule still yields the strictest default rather than no rule at all.
  return (rule ?? {
    id: 'built-in',
    when: {},
    metrics: ['FPR', 'FNR', 'PPR'],
    reference: { mode: 'largest' },
    band: [0.8, 1.25],
    minGroupSize: 30,
  }) as AuditRule;
}

const sameReference = (a: ReferenceRule, b: ReferenceRule) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Why an audit asked for with these settings would not count for the gate under this rule (empty: it
 * counts). The band and group size are always the policy's; metrics and reference are the auditor's.
 */
export function policyDeviations(
  rule: AuditRule,
  requested: { metrics?: Metric[]; reference?: ReferenceRule },
): string[] {
  const out: string[] = [];
  const metrics = requested.metrics ?? rule.metrics;
  const missing = rule.metrics.filter((m) => !metrics.includes(m));
  if (missing.length) out.push(`metrics ${missing.join(', ')} required by policy rule ${rule.id} were not evaluated`);
  if (requested.reference && !sameReference(requested.reference, rule.reference))
    out.push(
      `reference group ${JSON.stringify(requested.reference)} differs from the policy's ${JSON.stringify(rule.reference)}`,
    );
  return out;
}
