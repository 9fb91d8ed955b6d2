/**
 * Consultation policy as data (config/consultation.json, validated at start): the minimum public comment
 * period for each impact level, and which levels may hold a 0-day period.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError, zodWhere } from '../domain/errors';
import { msg } from '../domain/messages';

const Level = z.enum(['1', '2', '3', '4']);
export const ConsultationPolicySchema = z
  .object({
    about: z.string().optional(),
    defaultDays: z.number().int().min(0).max(365),
    minimumDaysByLevel: z.record(Level, z.number().int().min(0).max(365)),
    zeroDaysAllowed: z.array(z.number().int().min(1).max(4)),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const l of Level.options) {
      const min = p.minimumDaysByLevel[l];
      if (min === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['minimumDaysByLevel', l],
          message: 'a minimum number of days for every level 1–4',
        });
      else if (min === 0 && !p.zeroDaysAllowed.includes(Number(l)))
        ctx.addIssue({
          code: 'custom',
          path: ['minimumDaysByLevel', l],
          message: `at least 1 day: level ${l} is not in zeroDaysAllowed`,
        });
    }
  });
export type ConsultationPolicy = z.infer<typeof ConsultationPolicySchema>;

export function parseConsultationPolicy(json: unknown, file = 'config/consultation.json'): ConsultationPolicy {
  const r = ConsultationPolicySchema.safeParse(json);
  if (!r.success)
    throw new InputError(
      msg('register.badConsultationPolicy', { file }),
      zodWhere(r.error.issues, '').map((w) => ({ ...w, file })),
    );
  return r.data;
}

export const CONSULTATION_POLICY = parseConsultationPolicy(
  JSON.parse(readFileSync('config/consultation.json', 'utf8')),
);

/** The minimum comment period for an impact level (levels outside 1–4 are clamped). */
export function minimumConsultationDays(level: number, policy = CONSULTATION_POLICY): number {
  const l = String(Math.min(4, Math.max(1, Math.round(level)))) as z.infer<typeof Level>;
  return policy.minimumDaysByLevel[l] ?? 0;
}

/** The smallest minimum of any level: what an opening without an assessment must at least hold. */
export function lowestMinimumDays(policy = CONSULTATION_POLICY): number {
  return Math.min(...Object.values(policy.minimumDaysByLevel));
}
