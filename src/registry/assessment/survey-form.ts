/**
 * Questionnaires as forms a person fills in: a built-in questionnaire turned into SurveyJS JSON (so the
 * web app renders built-in and imported questionnaires with one renderer), the survey's data turned back
 * into the answers POST …/assessments takes, and the live score the web app shows beside the form.
 * Pure (no I/O): the web app imports it, so the score beside the form is the server's score.
 */
import { InputError } from '../../domain/errors';
import { score, type Level, type Questionnaire, type ScoreResult, type Text } from './engine';

/** The value SurveyJS gives a checkbox's "none of these" item. */
export const NONE = 'none';

const localised = (t: Text) => {
  const { en, ...rest } = t;
  return { default: en, ...rest };
};
const condition = (conds: string[]) => (conds.length ? conds.map((c) => `(${c})`).join(' and ') : undefined);

/**
 * SurveyJS JSON for a questionnaire: one page per section, a radio group per single choice, checkboxes
 * (with a "none of these" item, so "none" is an answer and not a question left blank) per multiple choice,
 * a comment box per text question; texts in every language the questionnaire has. O(questions × options).
 */
export function toSurveyJs(q: Questionnaire): Record<string, unknown> {
  return {
    title: localised(q.title),
    showQuestionNumbers: 'off',
    questionsOnPageMode: 'singlePage',
    pages: q.sections.map((s) => ({
      name: s.id,
      title: localised(s.title),
      visibleIf: condition(s.visibleIf),
      elements: s.questions.map((x) => ({
        type: x.type === 'single' ? 'radiogroup' : x.type === 'multiple' ? 'checkbox' : 'comment',
        name: x.id,
        title: localised(x.text),
        isRequired: x.required,
        visibleIf: condition(x.visibleIf),
        ...(x.type === 'text' ? {} : { choices: x.options.map((o) => ({ value: o.value, text: localised(o.text) })) }),
        ...(x.type === 'multiple' ? { showNoneItem: true } : {}),
      })),
    })),
  };
}

/**
 * The answers a built-in questionnaire's survey gives, as the assessment takes them: "none of these"
 * becomes an empty list (an answer), anything that names no question is left out.
 */
export function answersFromSurvey(q: Questionnaire, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const x of q.sections.flatMap((s) => s.questions)) {
    const a = data[x.id];
    if (a === undefined) continue;
    out[x.id] = x.type === 'multiple' && Array.isArray(a) ? a.filter((v) => v !== NONE) : a;
  }
  return out;
}

/** Person-level risk scoring is at least level III, whatever the questionnaire says. */
export function floorLevel(level: Level, record: Record<string, unknown>): { level: Level; floored: boolean } {
  return record.personLevelRiskScoring === true && level < 3 ? { level: 3, floored: true } : { level, floored: false };
}

export type LiveScore =
  { ok: true; result: ScoreResult; level: Level; floored: boolean } | { ok: false; error: InputError };

/** The score shown while the form is filled in: the server's rule, the floor applied, bad answers as an error. */
export function liveScore(q: Questionnaire, answers: Record<string, unknown>, record: Record<string, unknown>) {
  try {
    const result = score(q, answers);
    return { ok: true, result, ...floorLevel(result.level, record) } as LiveScore;
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e } as LiveScore;
    throw e;
  }
}
