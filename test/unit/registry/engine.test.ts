import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { levelOf, parseQuestionnaire, score, type QuestionnaireInput } from '../../../src/registry/assessment/engine';
import { HUMAN_RIGHTS_V1 } from '../../../src/registry/assessment/human-rights';

const opt = (value: string, weight: number) => ({ value, weight, text: { en: value } });
// Raw max = 4 (a) + 6 (b: 1+2+3) = 10; mitigation max = 5.
const qn = parseQuestionnaire({
  id: 'hand',
  version: '1',
  title: { en: 'hand-made' },
  sections: [
    {
      id: 's1',
      title: { en: 'impact' },
      questions: [
        {
          id: 'a',
          scoring: 'impact',
          type: 'single',
          text: { en: 'a' },
          options: [opt('none', 0), opt('some', 2), opt('much', 4)],
        },
        {
          id: 'b',
          scoring: 'impact',
          type: 'multiple',
          text: { en: 'b' },
          options: [opt('x', 1), opt('y', 2), opt('z', 3)],
        },
        { id: 'note', scoring: 'unscored', type: 'text', required: false, text: { en: 'note' } },
      ],
    },
    {
      id: 's2',
      title: { en: 'mitigation' },
      questions: [
        {
          id: 'm',
          scoring: 'mitigation',
          type: 'single',
          text: { en: 'm' },
          options: [opt('0', 0), opt('3', 3), opt('4', 4), opt('5', 5)],
        },
      ],
    },
  ],
} satisfies QuestionnaireInput);

describe('AIA scoring rule on a hand-made questionnaire', () => {
  it('maximum answers → level IV (with the 15% cut, rounded as the AIA tool does)', () => {
    const r = score(qn, { a: 'much', b: ['x', 'y', 'z'], m: '5' });
    expect(r).toMatchObject({
      raw: 10,
      rawMax: 10,
      mitigation: 5,
      mitigationMax: 5,
      reduced: true,
      adjusted: 9,
      level: 4,
      levelRoman: 'IV',
    });
    expect(r.percent).toBeCloseTo(90, 10);
  });
  it('no impact → level I; unanswered required questions are listed', () => {
    const r = score(qn, {});
    expect(r).toMatchObject({ raw: 0, rawMax: 10, adjusted: 0, level: 1, reduced: false });
    expect(r.unanswered).toEqual(['a', 'b', 'm']);
    expect(score(qn, { a: 'none', b: [], m: '0' }).unanswered).toEqual([]);
  });
  it('the 80% mitigation rule at the boundary: 4/5 cuts, 3/5 does not', () => {
    // raw 8 of 10 → 80% → IV; mitigation 4 of 5 is exactly 80% → cut: round(6.8) = 7 ≤ 7.5 → III.
    const base = { a: 'much', b: ['x', 'z'] }; // raw 8 → 80% → IV
    const at = score(qn, { ...base, m: '4' });
    expect(at).toMatchObject({ raw: 8, mitigation: 4, reduced: true, adjusted: 7, level: 3 }); // round(6.8)=7 ≤ 7.5
    const below = score(qn, { ...base, m: '3' });
    expect(below).toMatchObject({ raw: 8, mitigation: 3, reduced: false, adjusted: 8, level: 4 });
  });
  it('level thresholds are inclusive (score ≤ max × 25% is level I)', () => {
    expect(levelOf(25, 100).level).toBe(1);
    expect(levelOf(25.0001, 100).level).toBe(2);
    expect(levelOf(50, 100).level).toBe(2);
    expect(levelOf(75, 100).level).toBe(3);
    expect(levelOf(75.5, 100).level).toBe(4);
    expect(levelOf(0, 0).level).toBe(1);
  });
  it('per-section breakdown adds up', () => {
    const r = score(qn, { a: 'some', b: ['y'], m: '3' });
    expect(r.sections).toEqual([
      { id: 's1', raw: 4, rawMax: 10, mitigation: 0, mitigationMax: 0, answered: 2, visible: 3 },
      { id: 's2', raw: 0, rawMax: 0, mitigation: 3, mitigationMax: 5, answered: 1, visible: 1 },
    ]);
  });
  it('refuses answers that are not options, naming the field', () => {
    expect(() => score(qn, { a: 'lots' })).toThrow(InputError);
    try {
      score(qn, { b: 'x' });
    } catch (e) {
      expect((e as InputError).where[0].field).toBe('answers.b');
    }
    try {
      score(qn, { a: ['much'] });
    } catch (e) {
      expect((e as InputError).where[0].field).toBe('answers.a');
    }
  });
  it('refuses broken questionnaires with the path', () => {
    const bad = {
      id: 'x',
      version: '1',
      title: { en: 'x' },
      sections: [
        {
          id: 's',
          title: { en: 's' },
          questions: [
            {
              id: 'q',
              scoring: 'impact',
              type: 'single',
              text: { en: 'q' },
              options: [opt('a', 1)],
              visibleIf: ["{p} = 'x' or"],
            },
            { id: 'q', scoring: 'impact', type: 'single', text: { en: 'q' }, options: [opt('a', 1)] },
          ],
        },
      ],
    };
    try {
      parseQuestionnaire(bad);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).where.map((w) => w.field)).toEqual([
        'questionnaire.sections.0.questions.0.visibleIf.0',
        'questionnaire.sections.0.questions.1.id',
      ]);
    }
  });

  const answersArb = fc.record({
    a: fc.constantFrom('none', 'some', 'much'),
    b: fc.subarray(['x', 'y', 'z']),
    m: fc.constantFrom('0', '3', '4', '5'),
  });
  it('property: adjusted ≤ raw, and the level never falls when raw impact rises (mitigation fixed)', () => {
    fc.assert(
      fc.property(answersArb, answersArb, (x, y) => {
        const rx = score(qn, x);
        expect(rx.adjusted).toBeLessThanOrEqual(rx.raw);
        const ry = score(qn, { ...y, m: x.m });
        if (ry.raw >= rx.raw) expect(ry.level).toBeGreaterThanOrEqual(rx.level);
      }),
      { numRuns: 500 },
    );
  });
  it('property: levelOf is monotone in the score', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (s1, s2, max) => {
          const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
          expect(levelOf(lo, max).level).toBeLessThanOrEqual(levelOf(hi, max).level);
        },
      ),
    );
  });
});

describe('human-rights questionnaire v1', () => {
  const all = HUMAN_RIGHTS_V1.sections.flatMap((s) => s.questions);
  it('covers the seven areas, in English and Korean, with raw and mitigation questions', () => {
    expect(HUMAN_RIGHTS_V1.sections.map((s) => s.id)).toEqual([
      'privacy',
      'equality',
      'due-process',
      'assembly',
      'vulnerable',
      'reversibility',
      'scale',
    ]);
    for (const q of all) {
      expect(q.text.ko).toBeTruthy();
      for (const o of q.options) expect(o.text.ko).toBeTruthy();
    }
    for (const s of HUMAN_RIGHTS_V1.sections) expect(s.questions.some((q) => q.scoring === 'impact')).toBe(true);
  });
  it('maxima recomputed by hand: raw 52, mitigation 27; worst answers → IV, best → I', () => {
    const worst: Record<string, unknown> = {},
      best: Record<string, unknown> = {};
    for (const q of all) {
      const hi = q.options.reduce((a, b) => (b.weight > a.weight ? b : a)).value;
      const lo = q.options.reduce((a, b) => (b.weight < a.weight ? b : a)).value;
      if (q.scoring === 'impact') {
        worst[q.id] = q.type === 'multiple' ? q.options.map((o) => o.value) : hi;
        best[q.id] = q.type === 'multiple' ? [] : lo;
      } else {
        worst[q.id] = lo;
        best[q.id] = hi;
      }
    }
    const w = score(HUMAN_RIGHTS_V1, worst),
      b = score(HUMAN_RIGHTS_V1, best);
    expect([w.rawMax, w.mitigationMax]).toEqual([52, 27]);
    expect(w).toMatchObject({ raw: 52, level: 4, reduced: false });
    expect(b).toMatchObject({ raw: 0, mitigation: 27, level: 1 });
  });
});
