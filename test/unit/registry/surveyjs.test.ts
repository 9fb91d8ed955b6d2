import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { score, visibleQuestionIds } from '../../../src/registry/assessment/engine';
import { evaluate, parseExpression } from '../../../src/registry/assessment/expression';
import { embeddedWeight, importSurveyJs } from '../../../src/registry/assessment/surveyjs';

const mini = JSON.parse(readFileSync('test/fixtures/surveyjs/mini-aia.json', 'utf8'));
const official = JSON.parse(readFileSync('test/fixtures/surveyjs/canada-aia-survey-enfr.json', 'utf8'));
const cond = (s: string, a: Record<string, unknown>) => evaluate(parseExpression(s), a);

describe('SurveyJS conditions (no eval)', () => {
  it('evaluates the forms the AIA uses, with SurveyJS semantics', () => {
    expect(cond('{p} = "item1"', { p: 'item1' })).toBe(true);
    expect(cond("{p} = 'ITEM1 '", { p: 'item1' })).toBe(true); // case-insensitive, trimmed
    expect(cond('{p} = "item1"', { p: 'item2' })).toBe(false);
    expect(cond('{p} = "item1"', {})).toBe(false);
    expect(cond('{c} contains "item6-1"', { c: ['item1-2', 'item6-1'] })).toBe(true);
    expect(cond('{c} contains ["item6"]', { c: ['item6-0'] })).toBe(false); // list elements compare whole
    expect(cond('{t} contains "item6"', { t: 'item6-0' })).toBe(true); // strings compare by substring
    expect(cond('({a} = "x" or {a} = "y") and {b} = "z"', { a: 'y', b: 'z' })).toBe(true);
    expect(cond('not ({b} empty) && {n} >= 2', { b: 'q', n: '3' })).toBe(true);
    expect(cond('{a} anyof ["p", "q"]', { a: 'q' })).toBe(true);
    expect(cond('{c} notcontains "x"', {})).toBe(true);
    expect(cond('{n} = 2', { n: '2' })).toBe(true);
  });
  it('refuses anything else instead of running it', () => {
    for (const bad of [
      '{a} = "x"; process.exit()',
      'constructor.constructor("x")()',
      '{a} = ',
      '((({a})))) ',
      '{a',
      '"open',
      '{a} = `x`',
    ]) {
      expect(() => parseExpression(bad)).toThrow();
    }
    expect(() => parseExpression('('.repeat(500) + '{a}' + ')'.repeat(500))).toThrow(/nested/);
  });
});

describe('AIA conventions: import → answer → score (hand-computed)', () => {
  const { questionnaire: q } = importSurveyJs(mini, { id: 'mini', version: '1' });
  const all = q.sections.flatMap((s) => s.questions);
  const byId = Object.fromEntries(all.map((x) => [x.id, x]));

  it('reads -RS/-MS/-NS from the question or its immediate parent, weights from item<n>-<weight>', () => {
    expect(byId.q1.scoring).toBe('impact');
    expect(byId.q2).toMatchObject({ scoring: 'impact', type: 'multiple' });
    expect(byId['q3-NS'].scoring).toBe('unscored');
    expect(byId.md2).toMatchObject({
      scoring: 'mitigation',
      options: [
        { value: 'item1-4', weight: 4 },
        { value: 'item2-0', weight: 0 },
      ],
    });
    expect(byId.q4.scoring).toBe('unscored'); // parent "inner" has no suffix; the tool looks one level up only
    expect(byId.projectPhase.scoring).toBe('unscored');
    expect(byId.q1why.type).toBe('text');
    expect([
      embeddedWeight('item3-12'),
      embeddedWeight('item3'),
      embeddedWeight('item1-x'),
      embeddedWeight('a-b-2.5'),
    ]).toEqual([12, 0, 0, 2.5]);
  });

  it('the phase fork picks the design or implementation pages', () => {
    const design = visibleQuestionIds(q, { projectPhase: 'item1' });
    const impl = visibleQuestionIds(q, { projectPhase: 'item2' });
    expect(design.has('md1') && !design.has('mi1') && !design.has('q5-RS')).toBe(true);
    expect(impl.has('mi1') && !impl.has('md1') && impl.has('q5-RS')).toBe(true);
    expect(visibleQuestionIds(q, { projectPhase: 'item1', q1: 'item3-4' }).has('q1why')).toBe(true);
  });

  it('design, maximum impact, mitigation exactly at 80%: raw 10 of 12, cut to 9 → level III', () => {
    // Raw max counts every scored question, shown or not: q1 4 + q2 (1+2+3) 6 + q5 2 = 12.
    // Mitigation max: (1+4) design + (1+4) implementation = 10, halved = 5; md2 alone = 4 = 80% → cut.
    // Adjusted = round(0.85 × 10) = round(8.5) = 9 ≤ 12 × 0.75 = 9 → III. q5 is hidden in design: ignored.
    const r = score(q, {
      projectPhase: 'item1',
      projectName: 'x',
      q1: 'item3-4',
      q2: ['item1-1', 'item2-2', 'item3-3'],
      md1: 'item2-0',
      md2: 'item1-4',
      'q5-RS': 'item2-2',
      'q3-NS': 'item2-7',
    });
    expect(r).toMatchObject({
      raw: 10,
      rawMax: 12,
      mitigation: 4,
      mitigationMax: 5,
      reduced: true,
      adjusted: 9,
      level: 3,
    });
    expect(r.ignored).toEqual(['q5-RS']);
    // Mitigation 1 of 5 (md1 only): no cut, 10 > 9 → IV.
    expect(
      score(q, {
        projectPhase: 'item1',
        q1: 'item3-4',
        q2: ['item1-1', 'item2-2', 'item3-3'],
        md1: 'item1-1',
        md2: 'item2-0',
      }),
    ).toMatchObject({ adjusted: 10, level: 4 });
  });

  it('implementation: q5 counts; raw 2 + 0 + 2 = 4 of 12 → 33% → level II; design answers ignored', () => {
    const r = score(q, {
      projectPhase: 'item2',
      q1: 'item2-2',
      q2: [],
      'q5-RS': 'item2-2',
      mi1: 'item2-0',
      mi2: 'item2-0',
      md2: 'item1-4',
    });
    expect(r).toMatchObject({ raw: 4, rawMax: 12, mitigation: 0, reduced: false, adjusted: 4, level: 2 });
    expect(r.ignored).toEqual(['md2']);
  });

  it('refuses surveys it cannot import, naming the element path', () => {
    const bad = structuredClone(mini);
    bad.pages[1].elements[0].visibleIf = "{x} = 'a' and";
    bad.pages[1].elements[1].name = 'q1';
    try {
      importSurveyJs(bad, { id: 'b', version: '1' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const fields = (e as InputError).where.map((w) => w.field);
      expect(fields).toContain('survey.pages.1(impact-RS).elements.0(q1).visibleIf');
      expect(fields).toContain('survey.pages.1(impact-RS).elements.1(q1).name');
    }
  });

  it('property: arbitrary JSON never crashes the importer; failures are InputErrors with a field path', () => {
    const check = (j: unknown) => {
      try {
        importSurveyJs(j, { id: 'p', version: '1' });
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).where.length).toBeGreaterThan(0);
        for (const w of (e as InputError).where) expect(w.field).toBeTruthy();
      }
    };
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    const el = fc.record(
      {
        type: fc.constantFrom('radiogroup', 'checkbox', 'panel', 'text', 'dropdown', 'html', 'x'),
        name: fc.oneof(fc.string(), fc.constantFrom('a-RS', 'b-MS', 'c')),
        visibleIf: fc.oneof(fc.string(), fc.constant("{a} = 'x'")),
        choices: fc.array(fc.oneof(fc.string(), fc.integer(), fc.jsonValue())),
        elements: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ name: fc.string(), visibleIf: fc.string(), elements: fc.array(el) }, { requiredKeys: [] }),
          { minLength: 1 },
        ),
        (pages) => check({ pages }),
      ),
      { numRuns: 300 },
    );
  });
});

describe('the official Canadian AIA survey, unchanged', () => {
  const { questionnaire: q, warnings } = importSurveyJs(official, { id: 'canada-aia', version: 'b900dc7' });
  const scored = q.sections.flatMap((s) => s.questions).filter((x) => x.scoring !== 'unscored');

  it("imports, with the tool's maxima: raw 167, mitigation 154 halved to 77", () => {
    expect(scored.filter((x) => x.scoring === 'impact')).toHaveLength(70);
    expect(scored.filter((x) => x.scoring === 'mitigation')).toHaveLength(90);
    const r = score(q, { projectDetailsPhase: 'item1' });
    expect(r).toMatchObject({ raw: 0, rawMax: 167, mitigationMax: 77, level: 1 });
    // Scored choices without a weight (e.g. business drivers "item1") are reported, and score 0 as in the tool.
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0].field).toMatch(/businessDrivers1/);
  });

  it('fully answered at the maximum, design phase: 167 × 0.85 → 142 of 167 → level IV', () => {
    const answers: Record<string, unknown> = { projectDetailsPhase: 'item1' };
    for (const x of scored) {
      if (x.scoring === 'impact')
        answers[x.id] =
          x.type === 'multiple'
            ? x.options.map((o) => o.value)
            : x.options.reduce((a, b) => (b.weight > a.weight ? b : a)).value;
      else
        answers[x.id] =
          x.type === 'multiple'
            ? x.options.map((o) => o.value)
            : x.options.reduce((a, b) => (b.weight > a.weight ? b : a)).value;
    }
    const r = score(q, answers);
    expect(r).toMatchObject({ raw: 167, rawMax: 167, mitigation: 77, reduced: true, adjusted: 142, level: 4 });
    // Lowest impact with the same mitigation: level I.
    for (const x of scored)
      if (x.scoring === 'impact')
        answers[x.id] = x.type === 'multiple' ? [] : x.options.reduce((a, b) => (b.weight < a.weight ? b : a)).value;
    expect(score(q, answers).level).toBe(1);
  });
});
