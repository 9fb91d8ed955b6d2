/**
 * A reply's JSON built in steps on a serving thread (read-shapes.ts `shapedJson`) must be the same text as in
 * one piece, for every number of rows: none, fewer than a step, exactly a step, and across many steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentFeature, shapedJson, type IncidentPointRow } from '../../../src/store/read-shapes';

const row = (i: number): IncidentPointRow => ({
  id: i + 1,
  source: i % 2 ? 'a' : 'b "quoted"',
  source_id: `r${i}`,
  type: 'THEFT',
  subtype: i % 3 ? null : 'OVER $500',
  origin: 'citizen',
  occurred_at: '2019-01-01T00:00:00Z',
  time_precision: 'minute',
  lon: -87.6 + i / 1e5,
  lat: 41.8,
  area: i % 5 ? 'A1' : null,
});

describe('shapedJson', () => {
  it('gives the one-piece JSON whether built in steps or not, for any number of rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 1_999, 2_000, 2_001, 4_000, 6_543), async (n) => {
        const rows = Array.from({ length: n }, (_, i) => row(i));
        const whole = JSON.stringify(rows.map(incidentFeature));
        expect(await shapedJson(rows, 'incident-features', true)).toBe(whole);
        expect(await shapedJson(rows, 'incident-features')).toBe(whole);
        expect(JSON.parse(whole)).toHaveLength(n);
      }),
      { numRuns: 10 },
    );
  });
});
