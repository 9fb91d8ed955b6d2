import { readFileSync } from 'node:fs';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { score } from '../../../src/registry/assessment/engine';
import { HUMAN_RIGHTS_V1 } from '../../../src/registry/assessment/human-rights';
import {
  answersFromSurvey,
  floorLevel,
  liveScore,
  NONE,
  toSurveyJs,
} from '../../../src/registry/assessment/survey-form';
import { importSurveyJs } from '../../../src/registry/assessment/surveyjs';
import { assess } from '../../../src/registry/service-rules';
import { maximalAnswers, minimalAnswers } from '../../support/register-fixtures';

const q = HUMAN_RIGHTS_V1;
const survey = () => new Model(toSurveyJs(q));
/** Fill a survey the way the form does (value by value) and read back what the web app would send. */
const multiple = new Set(q.sections.flatMap((s) => s.questions.filter((x) => x.type === 'multiple').map((x) => x.id)));
const fill = (m: Model, answers: Record<string, unknown>) => {
  // A person answers "none of these" by ticking that item; SurveyJS drops an empty list.
  for (const [k, v] of Object.entries(answers))
    m.setValue(k, multiple.has(k) && Array.isArray(v) && v.length === 0 ? [NONE] : v);
  return answersFromSurvey(q, m.data);
};
const impactNo = () =>
  Object.fromEntries(
    q.sections
      .flatMap((s) => s.questions)
      .map((x) => [
        x.id,
        x.type === 'multiple' ? [NONE] : x.options.reduce((a, b) => (b.weight < a.weight ? b : a)).value,
      ]),
  );

describe('the built-in questionnaire as a SurveyJS form', () => {
  it('has every question, option and Korean text of the questionnaire', () => {
    const m = survey();
    const questions = q.sections.flatMap((s) => s.questions);
    expect(m.getAllQuestions().map((x) => x.name)).toEqual(questions.map((x) => x.id));
    const vulnerable = m.getQuestionByName('vulnerable-affected');
    expect(vulnerable.getType()).toBe('checkbox');
    expect(m.getQuestionByName('scale-people').choices.map((c: { value: string }) => c.value)).toEqual([
      'few',
      'many',
      'city',
    ]);
    m.locale = 'ko';
    expect(m.getQuestionByName('scale-people').title).toBe(questions.find((x) => x.id === 'scale-people')!.text.ko);
  });

  it('scores what the form sends exactly as the server scores the same answers', () => {
    for (const answers of [minimalAnswers(), maximalAnswers()]) {
      const sent = fill(survey(), answers);
      expect(score(q, sent)).toEqual(score(q, answers));
    }
    // Hand-computed: raw maximum 52 (documented in human-rights.ts), mitigation maximum 27.
    expect(score(q, fill(survey(), maximalAnswers()))).toMatchObject({ raw: 52, rawMax: 52, level: 4 });
    expect(score(q, fill(survey(), minimalAnswers()))).toMatchObject({ raw: 0, mitigation: 27, level: 1 });
  });

  it('"none of these" is an answer (an empty list), not a question left blank', () => {
    const sent = fill(survey(), impactNo());
    expect(sent['vulnerable-affected']).toEqual([]);
    expect(score(q, sent).unanswered).toEqual([]);
    const blank = fill(survey(), { ...impactNo(), 'vulnerable-affected': undefined });
    expect(score(q, blank).unanswered).toEqual(['vulnerable-affected']);
  });

  it('the live score moves with the answers: mitigation cuts 15 raw points to 13, level II to I', () => {
    // 3 (non-suspects) + 4 (biometric) + 4 (enforcement) + 4 (city) = 15 of 52: 28.8% > 25% → II.
    const heavy = {
      ...impactNo(),
      'privacy-non-suspects': 'yes',
      'privacy-biometric': 'yes',
      'due-enforcement': 'yes',
      'scale-people': 'city',
    };
    const noMitigation = liveScore(q, fill(survey(), heavy), {});
    expect(noMitigation).toMatchObject({ ok: true, level: 2, result: { raw: 15, adjusted: 15, reduced: false } });
    // Every mitigation "yes": 27 ≥ 80% of 27, so round(0.85 × 15) = round(12.75) = 13 ≤ 13 → I.
    const mitigations = Object.fromEntries(
      q.sections
        .flatMap((s) => s.questions)
        .filter((x) => x.scoring === 'mitigation')
        .map((x) => [x.id, 'yes']),
    );
    const mitigated = liveScore(q, fill(survey(), { ...heavy, ...mitigations }), {});
    expect(mitigated).toMatchObject({ ok: true, level: 1, result: { raw: 15, adjusted: 13, reduced: true } });
  });

  it('applies the floor the server applies: person-level risk scoring is at least level III', () => {
    expect(floorLevel(1, { personLevelRiskScoring: true })).toEqual({ level: 3, floored: true });
    expect(floorLevel(4, { personLevelRiskScoring: true })).toEqual({ level: 4, floored: false });
    expect(floorLevel(1, {})).toEqual({ level: 1, floored: false });
    const live = liveScore(q, minimalAnswers(), { personLevelRiskScoring: true });
    expect(live).toMatchObject({ ok: true, level: 3 });
    expect(assess(q, minimalAnswers(), { personLevelRiskScoring: true }).level).toBe(3);
  });

  it('an answer that is not an option is an error naming the question, not a score', () => {
    const live = liveScore(q, { ...minimalAnswers(), 'scale-people': 'everyone' }, {});
    expect(live.ok).toBe(false);
    if (!live.ok) expect(live.error.where[0].field).toBe('answers.scale-people');
  });
});

describe('an imported SurveyJS questionnaire scored live from its own form', () => {
  it('scores the survey data as the AIA tool would (hand-computed)', () => {
    const json = JSON.parse(readFileSync('test/fixtures/surveyjs/mini-aia.json', 'utf8'));
    const imported = importSurveyJs(json, { id: 'mini', version: 'imported' }).questionnaire;
    const m = new Model(json);
    m.setValue('projectPhase', 'item1');
    m.setValue('q1', 'item3-4');
    m.setValue('q2', ['item1-1', 'item3-3']);
    m.setValue('md1', 'item1-1');
    m.setValue('md2', 'item1-4');
    // raw 4 + 1 + 3 = 8; maxima over every scored question: q1 4 + q2 6 + q5 2 = 12 (q3 is -NS; q4's
    // immediate parent panel has no suffix); mitigation max (1+4+1+4)/2 = 5.
    // Mitigation 5 ≥ 80% of 5 → round(0.85 × 8) = 7; 7/12 = 58% → level III.
    const live = liveScore(imported, m.data, {});
    expect(live).toMatchObject({
      ok: true,
      level: 3,
      result: { raw: 8, rawMax: 12, mitigation: 5, mitigationMax: 5, adjusted: 7 },
    });
  });
});
