import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../src/domain/messages';
import { parseOwnerModelCard } from '../../../src/registry/model-card';
import { InputError } from '../../../src/domain/errors';
import en from '../../../web/src/i18n/en.json';
import ko from '../../../web/src/i18n/ko.json';

const labels = { en: en as Record<string, string>, ko: ko as Record<string, string> };

describe("the server's model-card messages name each field as the web form labels it", () => {
  it('every modelCard.invalid.FIELD message quotes the form label of FIELD, in English and Korean', () => {
    const codes = Object.keys(MESSAGES).filter(
      (c) => c.startsWith('modelCard.invalid.') && c !== 'modelCard.invalid.card',
    );
    expect(codes.length).toBeGreaterThanOrEqual(16);
    for (const code of codes) {
      const field = code.slice('modelCard.invalid.'.length).replace(/\.item$/, '');
      const texts = MESSAGES[code as keyof typeof MESSAGES];
      for (const lang of ['en', 'ko'] as const) {
        const label = labels[lang][`modelCard.field.${field}`];
        expect(label, `${lang} label of ${field}`).toBeTruthy();
        expect(texts[lang], code).toContain(`“${label}”`);
      }
    }
  });

  it('a too-long limitation names its entry; a metric that is not an object names the metric entry', () => {
    const base = {
      model: { name: 'm', version: '1', method: 'x' },
      intendedUse: 'u',
      data: { description: 'd' },
      metrics: [{ name: 'PAI', value: 2 }],
      limitations: ['a', 'b'.repeat(1001)],
    };
    const err = (input: unknown) => {
      try {
        parseOwnerModelCard(input);
      } catch (e) {
        return e as InputError;
      }
      throw new Error('accepted');
    };
    const long = err(base);
    expect([long.messageCode, long.messageParams]).toEqual([
      'modelCard.invalid.limitations.item',
      { item: 2, count: 1 },
    ]);
    expect(long.text('en')).toBe('the model card was not saved: check entry 2 of “Known limitations” (problems: 1)');
    expect(long.where[0]).toMatchObject({ field: 'modelCard.limitations.1', expectedParams: { max: 1000 } });
    const notMetric = err({ ...base, limitations: ['a'], metrics: [{ name: 'PAI', value: 2 }, 'PAI 3'] });
    expect([notMetric.messageCode, notMetric.messageParams]).toEqual([
      'modelCard.invalid.metrics.item',
      { item: 2, count: 1 },
    ]);
    const interval = err({ ...base, limitations: ['a'], metrics: [{ name: 'PAI', value: 2, interval: [3, 1] }] });
    expect(interval.messageCode).toBe('modelCard.invalid.metrics.interval');
    expect(interval.where[0]).toMatchObject({ expectedCode: 'modelCard.expected.interval' });
    expect(parseOwnerModelCard({ ...base, limitations: ['a'] })).toEqual({ ...base, limitations: ['a'] });
  });
});
