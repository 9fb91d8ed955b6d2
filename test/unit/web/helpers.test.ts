import { describe, expect, it } from 'vitest';
import { emptyOf, humanise, problemsByField } from '../../../web/src/components/SchemaForm';
import { confidenceBand } from '../../../web/src/components/AlertExplanation';
import { csvHeader } from '../../../web/src/pages/Oversight';
import { formatDate, formatDateTime } from '../../../web/src/time';

describe('web helpers', () => {
  it('dates in the agency zone with the zone named, whatever the machine zone', () => {
    // 2026-12-03T15:30Z is 00:30 on the 4th in Seoul (UTC+9, no daylight saving) and 09:30 CST in Chicago.
    expect(formatDateTime('2026-12-03T15:30:00Z', 'UTC')).toBe('2026-12-03 15:30 UTC');
    expect(formatDateTime('2026-12-03T15:30:00Z', 'Asia/Seoul')).toBe('2026-12-04 00:30 GMT+9');
    expect(formatDateTime('2026-12-03T15:30:00Z', 'America/Chicago')).toBe('2026-12-03 09:30 CST');
    expect(formatDate('2026-12-03T15:30:00Z', 'Asia/Seoul')).toBe('2026-12-04');
    expect(formatDateTime('not a date', 'UTC')).toBe('not a date');
  });

  it('record form: labels in words, empty values of the schema, problems placed on their field', () => {
    expect(humanise('notificationAndContest')).toBe('Notification and contest');
    expect(
      emptyOf({
        type: 'object',
        required: ['a', 'b'],
        properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'string' } }, c: { type: 'integer' } },
      }),
    ).toEqual({ a: '', b: [] });
    expect(
      problemsByField([
        { field: 'record.provider.procurementRoute', expected: 'a string' },
        { field: 'body/record/dataSources/0/name', expected: 'x' },
        { expected: 'no field' },
      ]),
    ).toEqual({ 'record.provider.procurementRoute': 'a string', 'record.dataSources.0.name': 'x' });
  });

  it('confidence bands and CSV headers', () => {
    expect([0.95, 0.8, 0.79, 0.5, 0.49, 0].map(confidenceBand)).toEqual([
      'high',
      'high',
      'moderate',
      'moderate',
      'low',
      'low',
    ]);
    expect(csvHeader('id,"race",score_text\r\n1,a,b')).toEqual(['id', 'race', 'score_text']);
    expect(csvHeader('only,header')).toEqual(['only', 'header']);
  });
});
