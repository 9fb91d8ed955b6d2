import { describe, expect, it } from 'vitest';
import { modelCardJsonSchema, recordJsonSchema } from '../../../src/registry/register-export';
import { OwnerModelCardSchema } from '../../../src/registry/model-card';
import { validateRecordDraft } from '../../../src/registry/service-rules';
import { emptyOf, validate, type JsonSchema } from '../../../web/src/components/SchemaForm';
import en from '../../../web/src/i18n/en.json';
import ko from '../../../web/src/i18n/ko.json';
import { completeRecord } from '../../support/register-fixtures';

/** The form's own translation function over the shipped strings (params filled as i18next does). */
const tr =
  (dict: Record<string, string>) =>
  (key: string, params: Record<string, unknown> = {}) =>
    (dict[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k]));
const record = recordJsonSchema() as JsonSchema;
const card = modelCardJsonSchema() as JsonSchema;

describe('the form checks a value against its schema as the server would, in plain words', () => {
  it('names the out-of-range field of a record, in English and Korean, where the server refuses it too', () => {
    const bad = { ...completeRecord(), personalData: { categories: [], retentionDays: 99_999 } };
    expect(validate(record, bad, tr(en))).toEqual({ 'record.personalData.retentionDays': 'must be at most 36500.' });
    expect(validate(record, bad, tr(ko))).toEqual({ 'record.personalData.retentionDays': '36500 이하여야 합니다.' });
    expect(() => validateRecordDraft(bad)).toThrow();
    // A complete record passes both; a draft that is only partly filled in passes the form too.
    expect(validate(record, completeRecord(), tr(en))).toEqual({});
    expect(validate(record, { purpose: 'x' }, tr(en))).toEqual({});
    expect(validate(record, { training: { course: 'c', validityDays: 1.5 } }, tr(en))).toEqual({
      'record.training.validityDays': 'enter a whole number.',
    });
  });

  it('a model card: every required field and at least one metric and limitation, as OwnerModelCardSchema says', () => {
    const empty = emptyOf(card);
    const found = validate(card, empty, tr(en), { prefix: 'modelCard', complete: true });
    expect(Object.keys(found).sort()).toEqual(
      [
        'modelCard.data.description',
        'modelCard.intendedUse',
        'modelCard.limitations',
        'modelCard.metrics',
        'modelCard.model.method',
        'modelCard.model.name',
        'modelCard.model.version',
      ].sort(),
    );
    expect(OwnerModelCardSchema.safeParse(empty).success).toBe(false);
    const full = {
      model: { name: 'Grid ETAS', version: '1', method: 'point process' },
      intendedUse: 'patrol',
      data: { description: 'incidents' },
      metrics: [{ name: 'PAI', value: 4.2 }],
      limitations: ['date-only'],
    };
    expect(validate(card, full, tr(en), { prefix: 'modelCard', complete: true })).toEqual({});
    expect(OwnerModelCardSchema.safeParse(full).success).toBe(true);
  });
});
