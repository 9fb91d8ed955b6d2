import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { minimumConsultationDays, parseConsultationPolicy } from '../../../src/registry/consultation-policy';
import {
  classify,
  parseClassificationPolicy,
  questionsFor,
  validateAnswers,
} from '../../../src/registry/legal-classification';

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as InputError;
  }
  throw new Error('did not throw');
};

describe('register policy files are validated, and bad ones are refused naming the field', () => {
  const consultation = () => JSON.parse(readFileSync('config/consultation.json', 'utf8'));
  const classification = () => JSON.parse(readFileSync('config/classification.json', 'utf8'));

  it('the shipped files parse; minimum days per level come from the file', () => {
    const p = parseConsultationPolicy(consultation());
    expect([1, 2, 3, 4].map((l) => minimumConsultationDays(l, p))).toEqual([0, 14, 30, 60]);
    expect(parseClassificationPolicy(classification()).questions['cctv-detection'].length).toBe(6);
  });

  it('0 days only for a level policy allows it for', () => {
    const bad = { ...consultation(), minimumDaysByLevel: { 1: 0, 2: 14, 3: 0, 4: 60 } };
    const e = thrown(() => parseConsultationPolicy(bad));
    expect(e).toBeInstanceOf(InputError);
    expect(e.where).toEqual([
      expect.objectContaining({
        file: 'config/consultation.json',
        field: 'minimumDaysByLevel.3',
        expected: expect.stringMatching(/zeroDaysAllowed/),
      }),
    ]);
    expect(
      thrown(() => parseConsultationPolicy({ ...consultation(), minimumDaysByLevel: { 1: 0, 2: 14, 3: 30 } })).where[0]
        .field,
    ).toBe('minimumDaysByLevel.4');
  });

  it('a rule naming a fact that is no question (a typo that would never fire) or an undefined message is refused', () => {
    const typo = classification();
    typo.eu.rules[5].anyOf[1].all = ['cctv-detection.analysesPeople', 'cctv-detection.infersEmotion'];
    expect(thrown(() => parseClassificationPolicy(typo)).where[0]).toMatchObject({
      field: 'eu.rules.5.anyOf.1',
      expected: expect.stringMatching(/cctv-detection\.infersEmotion$/),
    });
    const noText = classification();
    noText.questions['risk-score'][0].text = 'register.classification.q.nope';
    expect(thrown(() => parseClassificationPolicy(noText)).where[0].field).toBe('questions.risk-score.0.text');
  });

  it('answers: every question of every declared kind, booleans only; each missing one named', () => {
    const record = { outputSchema: { kinds: ['stalking-proximity', 'risk-score'], fields: {} } };
    expect(questionsFor(record).map((q) => q.id)).toEqual([
      'stalking-proximity.assessesVictimRisk',
      'risk-score.scoresIndividuals',
      'risk-score.solelyProfiling',
      'risk-score.profilesInInvestigation',
    ]);
    const e = thrown(() => validateAnswers(record, { 'stalking-proximity.assessesVictimRisk': 1 }));
    expect(e.where.map((w) => w.field)).toEqual([
      'answers.stalking-proximity.assessesVictimRisk',
      'answers.risk-score.scoresIndividuals',
      'answers.risk-score.solelyProfiling',
      'answers.risk-score.profilesInInvestigation',
    ]);
    expect(e.text('ko')).toMatch(/4개/);
  });

  it('a recidivism score answered honestly: Annex III 6(d) and 6(e) (not prohibited), Korea high-impact art. 2(4)(g)', () => {
    const record = { outputSchema: { kinds: ['risk-score'], fields: {} } };
    const c = classify(record, {
      'risk-score.scoresIndividuals': true,
      'risk-score.solelyProfiling': false,
      'risk-score.profilesInInvestigation': true,
    });
    expect(c.euAiAct).toMatchObject({
      category: 'high-risk',
      basis: [{ provision: 'Annex III 6(d)' }, { provision: 'Annex III 6(e)' }],
    });
    expect(c.korea).toMatchObject({
      highImpact: true,
      basis: [{ provision: 'art. 2(4)(g)', provisionKo: '제2조제4호사목' }],
    });
    // The same score built solely on profiling is prohibited (art. 5(1)(d)), and 6(d) no longer applies.
    const p = classify(record, {
      'risk-score.scoresIndividuals': true,
      'risk-score.solelyProfiling': true,
      'risk-score.profilesInInvestigation': false,
    });
    expect(p.euAiAct.category).toBe('prohibited');
    expect(p.euAiAct.basis.map((b) => b.provision)).toEqual(['art. 5(1)(d)']);
  });
});
