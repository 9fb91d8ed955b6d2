/**
 * Impact assessment engine. Questionnaires are data: sections of questions whose answers carry
 * weights, each question scoring raw impact, mitigation, or nothing. The scoring rule is the Government
 * of Canada's Algorithmic Impact Assessment tool's (canada-ca/aia-eia-js, src/store.ts,
 * calculateFinalScore), reproduced rule for rule:
 *  - the adjusted score is the raw impact score, cut by 15% and rounded to the nearest integer when the
 *    mitigation score reaches 80% of its maximum;
 *  - level I when adjusted ≤ 25% of the raw maximum, II ≤ 50%, III ≤ 75%, IV above;
 *  - a single-choice question's maximum is its highest weight (never below 0), a multiple-choice
 *    question's maximum the sum of all its weights, and a multiple choice scores the sum of its picks.
 * Two settings exist only so the official AIA scores identically (see surveyjs.ts): `maxBasis: 'all'`
 * counts hidden questions in the maxima (the tool sums every scored question of the survey), and
 * `mitigationMaxDivisor: 2` (the tool halves the mitigation maximum because the survey holds the
 * mitigation pages twice, once per design/implementation fork). Our own questionnaires use 'visible'
 * and 1. One deliberate difference: with no mitigation questions at all there is no cut (the tool's
 * `0 >= 0` would grant it).
 */
import { z } from 'zod';
import { InputError, preview, zodWhere, type Where } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { evaluate, ExpressionError, parseExpression, type Answers, type Expr } from './expression';

/** Text in several languages; English is required, Korean expected for our own questionnaires. */
export const TextSchema = z.object({ en: z.string().min(1).max(4000) }).catchall(z.string().max(4000));
export type Text = z.infer<typeof TextSchema>;

export const QuestionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a question id'),
  /** impact = raw impact score (AIA "-RS"), mitigation ("-MS"), unscored ("-NS"). */
  scoring: z.enum(['impact', 'mitigation', 'unscored']),
  /** single: one choice; multiple: any number of choices (weights summed); text: free text, never scored. */
  type: z.enum(['single', 'multiple', 'text']),
  required: z.boolean().default(true),
  text: TextSchema,
  options: z
    .array(z.object({ value: z.string().min(1).max(200), weight: z.number().min(0).max(1000), text: TextSchema }))
    .max(200)
    .default([]),
  /** Conditions (SurveyJS syntax) that must all hold for the question to be shown and to count. */
  visibleIf: z.array(z.string().max(4000)).max(16).default([]),
});
export type Question = z.infer<typeof QuestionSchema>;

export const ScoringRuleSchema = z.object({
  mitigationShare: z.number().min(0).max(1).default(0.8),
  reduction: z.number().min(0).max(1).default(0.15),
  thresholds: z.tuple([z.number(), z.number(), z.number()]).default([0.25, 0.5, 0.75]),
  /** 'nearest': Math.round of the cut score, as the AIA tool does. */
  rounding: z.enum(['nearest', 'none']).default('nearest'),
  maxBasis: z.enum(['visible', 'all']).default('visible'),
  mitigationMaxDivisor: z.number().positive().default(1),
});
export type ScoringRule = z.infer<typeof ScoringRuleSchema>;

export const QuestionnaireSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a questionnaire id'),
  version: z.string().min(1).max(40),
  title: TextSchema,
  sections: z
    .array(
      z.object({
        id: z.string().min(1).max(128),
        title: TextSchema,
        visibleIf: z.array(z.string().max(4000)).max(16).default([]),
        questions: z.array(QuestionSchema).max(1000),
      }),
    )
    .min(1)
    .max(200),
  scoring: ScoringRuleSchema.default(ScoringRuleSchema.parse({})),
});
export type Questionnaire = z.infer<typeof QuestionnaireSchema>;
export type QuestionnaireInput = z.input<typeof QuestionnaireSchema>;

/**
 * Validate a questionnaire: shape, unique question ids, unique option values, scored choice questions
 * with options, and every condition parseable. Throws InputError naming each problem's path.
 */
export function parseQuestionnaire(input: unknown, file?: string): Questionnaire {
  const r = QuestionnaireSchema.safeParse(input);
  if (!r.success)
    throw new InputError(
      msg('assessment.invalidQuestionnaire'),
      zodWhere(r.error.issues, 'questionnaire').map((w) => ({ ...w, file })),
    );
  const q = r.data;
  const where: Where[] = [];
  const seen = new Set<string>();
  const checkConds = (conds: string[], path: string) =>
    conds.forEach((c, k) => {
      try {
        parseExpression(c);
      } catch (e) {
        where.push({
          file,
          field: `${path}.visibleIf.${k}`,
          expected: `a condition (${(e as Error).message})`,
          got: preview(c),
        });
      }
    });
  q.sections.forEach((s, i) => {
    checkConds(s.visibleIf, `questionnaire.sections.${i}`);
    s.questions.forEach((x, j) => {
      const path = `questionnaire.sections.${i}.questions.${j}`;
      if (seen.has(x.id)) where.push({ file, field: `${path}.id`, expected: 'a unique question id', got: x.id });
      seen.add(x.id);
      if (x.type !== 'text' && x.options.length === 0)
        where.push({ file, field: `${path}.options`, expected: 'at least one option' });
      if (x.type === 'text' && x.scoring !== 'unscored')
        where.push({ file, field: `${path}.scoring`, expected: 'unscored (free text cannot be scored)' });
      const vals = new Set<string>();
      x.options.forEach((o, k) => {
        if (vals.has(o.value))
          where.push({ file, field: `${path}.options.${k}.value`, expected: 'a unique value', got: o.value });
        vals.add(o.value);
      });
      checkConds(x.visibleIf, path);
    });
  });
  if (where.length) throw new InputError(msg('assessment.invalidQuestionnaire'), where.slice(0, 100));
  return q;
}

export type Level = 1 | 2 | 3 | 4;
export const ROMAN: Record<Level, string> = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' };

export interface SectionScore {
  id: string;
  raw: number;
  rawMax: number;
  mitigation: number;
  mitigationMax: number;
  answered: number;
  visible: number;
}

export interface ScoreResult {
  questionnaireId: string;
  questionnaireVersion: string;
  raw: number;
  rawMax: number;
  mitigation: number;
  /** After the divisor (the AIA halves it). */
  mitigationMax: number;
  /** The 15% cut applied (mitigation ≥ 80% of its maximum). */
  reduced: boolean;
  adjusted: number;
  /** adjusted / rawMax × 100 (0 when rawMax is 0). */
  percent: number;
  level: Level;
  levelRoman: string;
  sections: SectionScore[];
  /** Required questions shown for these answers that have no answer. */
  unanswered: string[];
  /** Answers not counted: hidden questions (SurveyJS clears them on completion) or unknown names. */
  ignored: string[];
}

interface Compiled {
  q: Questionnaire;
  conds: Map<string, Expr>;
}
const cache = new WeakMap<Questionnaire, Compiled>();
function compile(q: Questionnaire): Compiled {
  let c = cache.get(q);
  if (!c) {
    const conds = new Map<string, Expr>();
    const add = (s: string) => {
      if (!conds.has(s)) {
        try {
          conds.set(s, parseExpression(s));
        } catch (e) {
          throw new InputError(msg('assessment.badCondition'), [
            { field: 'visibleIf', expected: (e as ExpressionError).message, got: preview(s) },
          ]);
        }
      }
    };
    for (const s of q.sections) {
      s.visibleIf.forEach(add);
      for (const x of s.questions) x.visibleIf.forEach(add);
    }
    c = { q, conds };
    cache.set(q, c);
  }
  return c;
}

/** Which questions are shown for these answers (conditions of the section and the question all hold). */
export function visibleQuestionIds(q: Questionnaire, answers: Answers): Set<string> {
  const { conds } = compile(q);
  const ok = (list: string[]) => list.every((s) => evaluate(conds.get(s)!, answers));
  const out = new Set<string>();
  for (const s of q.sections) if (ok(s.visibleIf)) for (const x of s.questions) if (ok(x.visibleIf)) out.add(x.id);
  return out;
}

const questionMax = (x: Question) =>
  x.type === 'multiple' ? x.options.reduce((a, o) => a + o.weight, 0) : Math.max(0, ...x.options.map((o) => o.weight));

/** The weight an answer earns; throws InputError naming the answer when it is not an option. */
function answerWeight(x: Question, a: unknown): number {
  const field = `answers.${x.id}`;
  if (x.type === 'text') {
    if (typeof a !== 'string' && typeof a !== 'number')
      throw new InputError(msg('assessment.answerNotText', { id: x.id }), [
        { field, expected: 'a string', got: preview(a) },
      ]);
    return 0;
  }
  const picks = x.type === 'multiple' ? a : [a];
  if (!Array.isArray(picks))
    throw new InputError(msg('assessment.answerNotList', { id: x.id }), [
      { field, expected: 'a list of option values', got: preview(a) },
    ]);
  if (x.type === 'single' && Array.isArray(a))
    throw new InputError(msg('assessment.oneAnswer', { id: x.id }), [
      { field, expected: 'one option value', got: preview(a) },
    ]);
  let sum = 0;
  const seen = new Set<string>();
  for (const p of picks) {
    const o =
      typeof p === 'string' || typeof p === 'number' ? x.options.find((opt) => opt.value === String(p)) : undefined;
    if (!o)
      throw new InputError(msg('assessment.notAnOption', { value: preview(p, 40), id: x.id }), [
        {
          field,
          expected: x.options
            .map((opt) => opt.value)
            .slice(0, 20)
            .join(' | '),
          got: preview(p),
        },
      ]);
    if (seen.has(o.value)) continue; // a repeated pick counts once
    seen.add(o.value);
    sum += o.weight;
  }
  return sum;
}

/** Score answers against a questionnaire. O(questions × options). Throws InputError on invalid answers. */
export function score(q: Questionnaire, answers: Answers): ScoreResult {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers))
    throw new InputError(msg('assessment.answersNotObject'), [
      { field: 'answers', expected: 'an object of question id → answer' },
    ]);
  const rule = q.scoring;
  const visible = visibleQuestionIds(q, answers);
  const known = new Set<string>();
  let raw = 0,
    rawMax = 0,
    mitigation = 0,
    mitigationMaxAll = 0;
  const sections: SectionScore[] = [];
  const unanswered: string[] = [];
  for (const s of q.sections) {
    const ss: SectionScore = { id: s.id, raw: 0, rawMax: 0, mitigation: 0, mitigationMax: 0, answered: 0, visible: 0 };
    for (const x of s.questions) {
      known.add(x.id);
      const shown = visible.has(x.id);
      const a = answers[x.id];
      const has =
        a !== undefined && a !== null && a !== '' && !(Array.isArray(a) && a.length === 0 && x.type !== 'multiple');
      if (shown) {
        ss.visible++;
        if (has) ss.answered++;
        else if (x.required) unanswered.push(x.id);
      }
      const got = shown && has ? answerWeight(x, a) : 0;
      if (x.scoring === 'unscored') continue;
      const counts = shown || rule.maxBasis === 'all';
      const max = counts ? questionMax(x) : 0;
      if (x.scoring === 'impact') {
        ss.raw += got;
        ss.rawMax += max;
      } else {
        ss.mitigation += got;
        ss.mitigationMax += max;
      }
    }
    raw += ss.raw;
    rawMax += ss.rawMax;
    mitigation += ss.mitigation;
    mitigationMaxAll += ss.mitigationMax;
    sections.push(ss);
  }
  const ignored = Object.keys(answers)
    .filter((k) => !known.has(k) || !visible.has(k))
    .sort();
  const mitigationMax = mitigationMaxAll / rule.mitigationMaxDivisor;
  const reduced = mitigationMax > 0 && mitigation >= rule.mitigationShare * mitigationMax;
  const cut = (1 - rule.reduction) * raw;
  const adjusted = reduced ? (rule.rounding === 'nearest' ? Math.round(cut) : cut) : raw;
  return {
    questionnaireId: q.id,
    questionnaireVersion: q.version,
    raw,
    rawMax,
    mitigation,
    mitigationMax,
    reduced,
    adjusted,
    percent: rawMax === 0 ? 0 : (100 * adjusted) / rawMax,
    ...levelOf(adjusted, rawMax, rule.thresholds),
    sections,
    unanswered,
    ignored,
  };
}

/** The level from the adjusted score, compared the way the AIA tool does (score ≤ max × threshold). */
export function levelOf(
  adjusted: number,
  rawMax: number,
  thresholds: readonly [number, number, number] = [0.25, 0.5, 0.75],
): { level: Level; levelRoman: string } {
  const level: Level =
    adjusted <= rawMax * thresholds[0]
      ? 1
      : adjusted <= rawMax * thresholds[1]
        ? 2
        : adjusted <= rawMax * thresholds[2]
          ? 3
          : 4;
  return { level, levelRoman: ROMAN[level] };
}
