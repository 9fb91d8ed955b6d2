import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { evaluateVisibleIf, scoreSurvey, validateSurvey, visibleQuestionnaire } from '../../../src/registry/aia-surveyjs';

const survey = JSON.parse(readFileSync('test/fixtures/surveyjs/aia-style.json', 'utf8'));

describe('SurveyJS questionnaires with the Canadian AIA conventions', () => {
  it('evaluates visibleIf conditions without eval', () => {
    expect(evaluateVisibleIf("{a} = 'x'", { a: 'x' })).toBe(true);
    expect(evaluateVisibleIf("{a} = 'x' or {a} = 'y'", { a: 'y' })).toBe(true);
    expect(evaluateVisibleIf("{a} != 'x' and not ({b} empty)", { a: 'z', b: 'q' })).toBe(true);
    expect(evaluateVisibleIf("{c} contains 'item2-2'", { c: ['item1-2', 'item2-2'] })).toBe(true);
    expect(evaluateVisibleIf("{a} anyof ['p', 'q']", { a: 'q' })).toBe(true);
    expect(() => evaluateVisibleIf("{a} = 'x'; process.exit()", {})).toThrow();
  });

  it('the design fork: only design questions count, in the maximum too (hand-computed)', () => {
    // Design phase: raw max = 3 (riskProfile1) + 8 (checkbox 2+2+4) + 4 (designData) = 15; mitigation max = 10.
    const answers = { projectDetailsPhase: 'item1-0', riskProfile1: 'item1-3', impactRights: ['item1-2', 'item3-4'], designData: 'item1-4', 'mitigationReview-MS': 'item1-5', 'mitigationHuman-MS': 'item2-0' };
    const r = scoreSurvey('aia-test', survey, answers);
    expect(r).toMatchObject({ raw: 13, rawMax: 15, mitigation: 5, mitigationMax: 10 });
    expect(r.adjusted).toBe(13); // mitigation 50% < 80%: no cut
    expect(r.level).toBe(4); // 86.7%
    expect(visibleQuestionnaire('aia-test', survey, answers).sections[0].questions.map((q) => q.id)).not.toContain('implData');
  });

  it('the implementation fork with full mitigation: the 15% cut applies', () => {
    // Implementation: raw max = 3 + 8 + 6 = 17. Raw = 0 + 2 + 6 = 8 → ×0.85 = 6.8 → 40% → level II.
    const answers = { projectDetailsPhase: 'item2-0', riskProfile1: 'item2-0', impactRights: ['item2-2'], implData: 'item1-6', 'mitigationReview-MS': 'item1-5', 'mitigationHuman-MS': 'item1-5' };
    const r = scoreSurvey('aia-test', survey, answers);
    expect(r).toMatchObject({ raw: 8, rawMax: 17, mitigation: 10 });
    expect(r.adjusted).toBeCloseTo(6.8, 10);
    expect(r.level).toBe(2);
  });

  it('refuses surveys that break the conventions, naming the element', () => {
    const bad = structuredClone(survey);
    bad.pages[1].elements[0].choices[0].value = 'Yes';
    expect(() => validateSurvey(bad)).toThrow(InputError);
    try { validateSurvey(bad); } catch (e) { expect((e as InputError).where[0].field).toMatch(/pages\[1\]\(impact-RS\)\.elements\[0\]\(riskProfile1\)\.choices/); }
  });

  it('free-choice questions outside scored sections are accepted and ignored in the score', () => {
    const withDept = structuredClone(survey);
    withDept.pages[0].elements.push({ type: 'dropdown', name: 'department', choices: ['Police', 'Justice'] });
    expect(() => validateSurvey(withDept)).not.toThrow();
    const answers = { projectDetailsPhase: 'item1-0', department: 'Police', riskProfile1: 'item2-0', impactRights: [], designData: 'item2-0', 'mitigationReview-MS': 'item2-0', 'mitigationHuman-MS': 'item2-0' };
    expect(scoreSurvey('x', withDept, answers)).toMatchObject({ raw: 0, rawMax: 15 });
  });

  it('property: any JSON is either a survey or refused with a field path, never a crash', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      try { validateSurvey(v); } catch (e) { expect(e).toBeInstanceOf(InputError); }
    }));
  });
});

describe('constructs of the official AIA survey (v1.0.1)', () => {
  // Mirrors its structure: unweighted items (`item1`) inside a -RS panel count 0; the phase question's
  // values carry no weight, and whole mitigation pages are gated on them.
  const official = {
    pages: [
      { name: 'projectDetails', elements: [{ type: 'panel', name: 'projectDetailsPanel-NS', elements: [{ type: 'radiogroup', name: 'projectDetailsPhase', choices: ['item1', 'item2'] }] }] },
      { name: 'businessDrivers', elements: [{ type: 'panel', name: 'businessDriversPanel-RS', elements: [
        { type: 'checkbox', name: 'businessDrivers1', choices: ['item1', 'item2'] },
        { type: 'radiogroup', name: 'risk1', choices: ['item1-3', 'item2-0'] },
      ] }] },
      { name: 'fairnessDesign', visibleIf: '{projectDetailsPhase} = "item1"', elements: [{ type: 'panel', name: 'fairnessDesignPanel-MS', elements: [{ type: 'radiogroup', name: 'fd1', choices: ['item1-2', 'item2-0'] }] }] },
      { name: 'fairnessImplementation', visibleIf: '{projectDetailsPhase} = "item2"', elements: [{ type: 'panel', name: 'fairnessImplementationPanel-MS', elements: [{ type: 'radiogroup', name: 'fi1', choices: ['item1-4', 'item2-0'] }] }] },
    ],
  };
  it('validates, counts unweighted items as 0, and takes mitigation from the page of the chosen phase', () => {
    expect(() => validateSurvey(official)).not.toThrow();
    const design = scoreSurvey('o', official, { projectDetailsPhase: 'item1', businessDrivers1: ['item1', 'item2'], risk1: 'item1-3', fd1: 'item1-2' });
    expect(design).toMatchObject({ raw: 3, rawMax: 3, mitigation: 2, mitigationMax: 2 });
    const impl = scoreSurvey('o', official, { projectDetailsPhase: 'item2', businessDrivers1: [], risk1: 'item2-0', fi1: 'item1-4' });
    expect(impl).toMatchObject({ raw: 0, mitigation: 4, mitigationMax: 4 });
    const broken = structuredClone(official);
    (broken.pages[1].elements[0].elements[1].choices as string[])[0] = 'Yes';
    expect(() => validateSurvey(broken)).toThrow(/AIA conventions/);
  });
});
