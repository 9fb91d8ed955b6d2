/**
 * Controls gated by impact level, configured as data (config/controls.json): level II adds a
 * plain-language notice and individual explanations; III a human decides every case, recurring
 * reviewer training and a bias audit every 90 days; IV two independent expert reviews and board
 * approval. Each level includes the lower ones. Any person-level risk scoring is at least level III.
 */
import { z } from 'zod';
import { InputError } from '../domain/errors';
import type { Level } from './assessment/engine';
import type { SystemRecord } from './record';
import { zodWhere } from './record';
import data from '../../config/controls.json';

export const ControlSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,64}$/),
  level: z.number().int().min(1).max(4),
  title: z.string().min(3).max(200),
  titleKo: z.string().min(1).max(200).optional(),
  /** Evidence older than this many days no longer counts (recurring controls). */
  everyDays: z.number().int().min(1).max(3650).optional(),
  /** Distinct pieces of evidence needed (e.g. two independent reviews, by two different people). */
  minEvidence: z.number().int().min(1).max(10).default(1),
});
export type Control = z.infer<typeof ControlSchema>;

export const ControlsConfigSchema = z.object({
  about: z.string().optional(),
  auditIntervalDays: z.number().int().min(1).max(3650),
  personLevelRiskScoringMinLevel: z.number().int().min(1).max(4).default(3),
  /** The control whose presence means "bias audits are required" (the gate then checks the latest audit). */
  biasAuditControl: z.string().default('bias-audit-90-days'),
  controls: z.array(ControlSchema).min(1),
});
export type ControlsConfig = z.infer<typeof ControlsConfigSchema>;

export function parseControlsConfig(json: unknown, file = 'config/controls.json'): ControlsConfig {
  const r = ControlsConfigSchema.safeParse(json);
  if (!r.success) throw new InputError(`${file} is not a valid controls file`, zodWhere(r.error.issues, 'controls').map((w) => ({ ...w, file })));
  const ids = new Set<string>();
  for (const [i, c] of r.data.controls.entries()) {
    if (ids.has(c.id)) throw new InputError(`${file}: duplicate control ${c.id}`, [{ file, field: `controls.${i}.id`, expected: 'a unique id' }]);
    ids.add(c.id);
  }
  return r.data;
}

/** The shipped policy, validated at load. */
export const DEFAULT_CONTROLS: ControlsConfig = parseControlsConfig(data);

/** The level the controls follow: the assessed level, raised by floor rules, with the reasons. */
export function effectiveLevel(assessed: Level, record: Pick<SystemRecord, 'flags'>, config: ControlsConfig = DEFAULT_CONTROLS): { level: Level; reasons: string[] } {
  const floor = config.personLevelRiskScoringMinLevel as Level;
  if (record.flags.personLevelRiskScoring && assessed < floor) {
    return { level: floor, reasons: [`person-level risk scoring is at least level ${['I', 'II', 'III', 'IV'][floor - 1]} (assessed ${['I', 'II', 'III', 'IV'][assessed - 1]})`] };
  }
  return { level: assessed, reasons: [] };
}

/** Controls required at a level for this record (floor rules applied), lowest level first. */
export function requiredControls(level: Level, record: Pick<SystemRecord, 'flags'>, config: ControlsConfig = DEFAULT_CONTROLS): Control[] {
  const eff = effectiveLevel(level, record, config).level;
  return config.controls.filter((c) => c.level <= eff).sort((a, b) => a.level - b.level);
}

/** One piece of evidence that a control is in place (a document, a training record, a review). */
export interface ControlEvidence {
  controlId: string;
  /** Who provided or signed it (user id); two expert reviews must come from two different people. */
  providedBy: string;
  recordedAt: string;
  expiresAt?: string;
}

export interface MissingControl { control: Control; reason: string }

/** Required controls without enough current evidence at `now`. */
export function missingControls(required: readonly Control[], evidence: readonly ControlEvidence[], now: string): MissingControl[] {
  const t = Date.parse(now);
  const out: MissingControl[] = [];
  for (const c of required) {
    const current = evidence.filter((e) => e.controlId === c.id
      && Date.parse(e.recordedAt) <= t
      && (e.expiresAt === undefined || Date.parse(e.expiresAt) > t)
      && (c.everyDays === undefined || t - Date.parse(e.recordedAt) <= c.everyDays * 86_400_000));
    const people = new Set(current.map((e) => e.providedBy)).size;
    if (current.length === 0) {
      const any = evidence.some((e) => e.controlId === c.id);
      out.push({ control: c, reason: any ? 'evidence expired' + (c.everyDays ? ` (needed within ${c.everyDays} days)` : '') : 'no evidence' });
    } else if (people < c.minEvidence) {
      out.push({ control: c, reason: `needs ${c.minEvidence} pieces of evidence from different people, has ${people}` });
    }
  }
  return out;
}
