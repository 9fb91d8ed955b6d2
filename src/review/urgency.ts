/**
 * Urgency by alert kind, as policy (config/urgency.json, validated at start): how fast each kind must
 * reach a person (acknowledge within, act within), whether it is pushed to the review page and to the
 * dispatch webhook, and the escalation chain an unacknowledged alert climbs (reviewers on shift → duty
 * supervisor → a named fallback unit or control room). Pure: no I/O beyond reading the file once.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, zodWhere } from '../domain/errors';
import { msg } from '../domain/messages';
import { UnitSchema } from '../domain/roles';

export const URGENCIES = ['immediate', 'prompt', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The kinds an alert may have (kept here, beside their urgency, so review.ts and the policy agree). */
export const ALERT_KINDS = [
  'patrol-mission',
  'cctv-detection',
  'crowd-density',
  'stalking-proximity',
  'risk-score',
  'other',
] as const;

const Step = z.discriminatedUnion('to', [
  z.object({ to: z.literal('on-shift-reviewers'), withinSeconds: z.number().int().min(1).max(86_400) }).strict(),
  z.object({ to: z.literal('duty-supervisor'), withinSeconds: z.number().int().min(1).max(86_400) }).strict(),
  z.object({ to: z.literal('unit'), unit: UnitSchema, withinSeconds: z.number().int().min(1).max(86_400) }).strict(),
]);
export type EscalationStep = z.infer<typeof Step>;

const UrgencyRule = z
  .object({
    acknowledgeWithinSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .nullable(),
    actWithinSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .nullable(),
    push: z.boolean(),
    webhook: z.boolean(),
    pauseOnMissedTarget: z.boolean(),
    chain: z.array(Step).max(10),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.chain.length && r.chain[0].to !== 'on-shift-reviewers')
      ctx.addIssue({
        code: 'custom',
        path: ['chain', 0, 'to'],
        message: 'the chain starts with on-shift-reviewers (the people the alert reaches first)',
      });
    if (r.chain.length && r.acknowledgeWithinSeconds === null)
      ctx.addIssue({
        code: 'custom',
        path: ['acknowledgeWithinSeconds'],
        message: 'a number of seconds: an escalation chain needs a target to miss',
      });
    if (
      r.chain.length &&
      r.acknowledgeWithinSeconds !== null &&
      r.chain[0].withinSeconds !== r.acknowledgeWithinSeconds
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['chain', 0, 'withinSeconds'],
        message: `the same as acknowledgeWithinSeconds (${r.acknowledgeWithinSeconds}): the first step's deadline is the target`,
      });
    }
  });
export type UrgencyRule = z.infer<typeof UrgencyRule>;

export const UrgencyPolicySchema = z
  .object({
    about: z.string().optional(),
    kinds: z.record(z.enum(ALERT_KINDS), z.enum(URGENCIES)),
    urgencies: z.object({ immediate: UrgencyRule, prompt: UrgencyRule, routine: UrgencyRule }).strict(),
    sweepSeconds: z.number().min(0.05).max(3600),
    heartbeatSeconds: z.number().min(0.05).max(3600),
    webhook: z
      .object({
        url: z
          .string()
          .url()
          .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL')
          .nullable(),
        secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
        maxAttempts: z.number().int().min(1).max(50),
        initialBackoffMs: z.number().int().min(1).max(600_000),
        timeoutMs: z.number().int().min(100).max(60_000),
        queueLimit: z.number().int().min(1).max(10_000_000),
        includePlace: z.array(z.enum(ALERT_KINDS)).default([]),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const k of ALERT_KINDS)
      if (!p.kinds[k])
        ctx.addIssue({
          code: 'custom',
          path: ['kinds', k],
          message: `an urgency for every alert kind: one of ${URGENCIES.join(', ')}`,
        });
  });
export type UrgencyPolicy = z.infer<typeof UrgencyPolicySchema>;

export function parseUrgencyPolicy(json: unknown, file = 'config/urgency.json'): UrgencyPolicy {
  const r = UrgencyPolicySchema.safeParse(json);
  if (!r.success)
    throw new InputError(
      msg('urgent.badPolicy', { file }),
      zodWhere(r.error.issues, '').map((w) => ({ ...w, file })),
    );
  return r.data;
}

export function loadUrgencyPolicy(file = 'config/urgency.json'): UrgencyPolicy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(msg('urgent.badPolicy', { file }), [
      { file, expected: 'a readable JSON file', got: String(e).slice(0, 120) },
    ]);
  }
  return parseUrgencyPolicy(json, file);
}

/** What intake stores on an alert: its urgency, targets and first deadline (null when nothing escalates). */
export function urgencyOf(policy: UrgencyPolicy, kind: string, receivedAtMs: number) {
  const urgency = policy.kinds[kind as (typeof ALERT_KINDS)[number]] ?? 'routine';
  const rule = policy.urgencies[urgency];
  const firstDeadline = rule.chain.length ? rule.chain[0].withinSeconds : null;
  return {
    urgency,
    rule,
    ackTargetSeconds: rule.acknowledgeWithinSeconds,
    actTargetSeconds: rule.actWithinSeconds,
    ackDueAt: firstDeadline === null ? null : new Date(receivedAtMs + firstDeadline * 1000).toISOString(),
  };
}
