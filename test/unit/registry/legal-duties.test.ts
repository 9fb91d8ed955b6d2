/**
 * Korean law in the register: the AI Framework Act's high-impact duties (art. 31(1) notice, art. 34(1)
 * items 1–5, art. 35 impact assessment) and the PIPA purpose and pseudonymisation rules each cite their
 * article in both languages and are carried by an existing control or platform mechanism; the example
 * entries are complete, valid records that classify as their files say.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { CONTROLS } from '../../../src/registry/service-rules';
import { classify } from '../../../src/registry/legal-classification';
import {
  controlTitle,
  describeDuty,
  dutiesFor,
  LEGAL_DUTIES,
  lawOfControl,
  loadRegisterExamples,
  parseLegalDuties,
} from '../../../src/registry/legal-duties';

const hangul = /[\uac00-\ud7a3]/;

describe('legal duties', () => {
  it('cover the AI Framework Act art. 34(1) items 1–5, art. 31(1) and art. 35, each with Korean article and text', () => {
    const ids = LEGAL_DUTIES.duties.map((d) => d.id);
    for (const id of [
      'kr-ai-31-1',
      'kr-ai-34-1-1',
      'kr-ai-34-1-2',
      'kr-ai-34-1-3',
      'kr-ai-34-1-4',
      'kr-ai-34-1-5',
      'kr-ai-35',
    ])
      expect(ids).toContain(id);
    for (const d of LEGAL_DUTIES.duties) {
      expect(d.article.ko, d.id).toMatch(/^제\d+조/);
      expect(hangul.test(d.text.ko), d.id).toBe(true);
      expect(d.controls.length + d.mechanisms.length, d.id).toBeGreaterThan(0);
    }
    expect(
      describeDuty(
        LEGAL_DUTIES.duties.find((d) => d.id === 'kr-ai-34-1-4')!,
        'ko',
      ),
    ).toMatchObject({
      article: '제34조제1항제4호',
      text: '고영향 인공지능에 대한 사람의 관리·감독',
      controls: [
        { id: 'human-decides-every-case', title: '모든 사안은 사람이 결정' },
        { id: 'recurring-reviewer-training', title: '검토자 정기 교육' },
      ],
    });
  });

  it('map PIPA purpose limitation and pseudonymisation onto the source register and pseudonyms', () => {
    const by = (id: string) => LEGAL_DUTIES.duties.find((d) => d.id === id)!;
    expect(by('kr-pipa-3').mechanisms).toEqual(expect.arrayContaining(['source-purposes', 'purposed-reads']));
    expect(by('kr-pipa-28-4').mechanisms).toContain('pseudonyms');
    expect(by('kr-pipa-28-2').article.ko).toBe('제28조의2제1항');
  });

  it('every control of config/controls.json is tied to the law, and the titles read in Korean', () => {
    for (const c of CONTROLS) expect(lawOfControl(c.id).length, c.id).toBeGreaterThan(0);
    expect(controlTitle('bias-audit-90-days', 'ko')).toBe('90일마다 편향 감사');
    expect(controlTitle('bias-audit-90-days', 'en')).toBe('Bias audit every 90 days');
  });

  it('a duties file naming a control that does not exist is refused, naming the field', () => {
    const bad = structuredClone(LEGAL_DUTIES) as { duties: { controls: string[] }[] };
    bad.duties[0].controls = ['no-such-control'];
    let e: unknown;
    try {
      parseLegalDuties(bad, 'x.json');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where[0]).toMatchObject({
      file: 'x.json',
      field: 'duties[0].controls[0]',
      got: 'no-such-control',
    });
    expect((e as InputError).text('ko')).toContain('법적 의무 파일');
  });

  it('bind a high-impact system to the AI Act duties and a personal-data system to PIPA, not otherwise', () => {
    const rec = {
      personalData: { categories: ['offender location'], retentionDays: 30 },
      outputSchema: { kinds: ['risk-score'], fields: { s: 'number' } },
    };
    const high = dutiesFor(
      rec,
      classify(rec, {
        'risk-score.scoresIndividuals': true,
        'risk-score.solelyProfiling': false,
        'risk-score.profilesInInvestigation': false,
      }),
    );
    expect(high.map((d) => d.framework)).toEqual(expect.arrayContaining(['kr-ai-act', 'kr-pipa']));
    const counts = {
      personalData: { categories: ['none: counts only'], retentionDays: 7 },
      outputSchema: { kinds: ['crowd-density'], fields: { d: 'number' } },
    };
    expect(
      dutiesFor(
        counts,
        classify(counts, { 'crowd-density.singlesOutPeople': false, 'crowd-density.usesBiometrics': false }),
      ),
    ).toEqual([]);
  });
});

describe('example register entries', () => {
  const examples = loadRegisterExamples();

  it('cover the kinds of system the seeds name, each marked as an example, in both languages', () => {
    expect(examples.map((e) => e.id)).toEqual([
      'example-crime-risk-patrol',
      'example-crowd-density',
      'example-intelligent-cctv',
      'example-recidivism-risk-em',
      'example-stalking-proximity',
    ]);
    for (const e of examples) {
      expect(e.example).toBe(true);
      expect(e.notice.en).toMatch(/^EXAMPLE/);
      expect(e.notice.ko).toMatch(/^예시/);
      expect(hangul.test(e.name.ko)).toBe(true);
    }
  });

  it('classify as the rules say: CCTV, stalking alerts and recidivism scores high-impact and EU high-risk; crowd counts neither', () => {
    const c = (id: string) => examples.find((e) => e.id === id)!.classification;
    expect(c('example-intelligent-cctv').korea.basis[0].provisionKo).toBe('제2조제4호바목');
    expect(c('example-recidivism-risk-em').korea.basis.map((b) => b.provisionKo)).toContain('제2조제4호사목');
    expect(c('example-stalking-proximity').euAiAct.category).toBe('high-risk');
    expect(c('example-crime-risk-patrol').korea.highImpact).toBe(true);
    expect(c('example-crowd-density').korea.highImpact).toBe(false);
    expect(examples.find((e) => e.id === 'example-recidivism-risk-em')!.duties.map((d) => d.id)).toEqual(
      expect.arrayContaining(['kr-ai-34-1-4', 'kr-pipa-28-4']),
    );
  });

  it('an example whose expected classification drifts from the rules is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-ex-'));
    const e = examples.find((x) => x.id === 'example-crowd-density')!;
    writeFileSync(
      join(dir, 'x.json'),
      JSON.stringify({
        example: true,
        id: e.id,
        name: e.name,
        notice: e.notice,
        record: e.record,
        answers: e.answers,
        expected: { koreaHighImpact: true, euCategory: 'other' },
      }),
    );
    let err: unknown;
    try {
      loadRegisterExamples(dir);
    } catch (x) {
      err = x;
    }
    expect((err as InputError).where[0]).toMatchObject({ field: 'expected' });
  });
});
