import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { alertInShift, checkSpan, toSecond, type Shift } from '../../../src/review/shifts';

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const shiftOf = (s: number, e: number): Shift => ({
  id: 'x',
  unit: 'district-1',
  userId: 'u',
  ...checkSpan(new Date(s).toISOString(), new Date(e).toISOString()),
});

describe('shift spans', () => {
  it('accepts exactly the spans that end after they start (to the second) within 366 days, else names endsAt', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 }), (start, length) => {
        const s = new Date(start).toISOString();
        const e = new Date(start + length).toISOString();
        const startSec = Math.floor(start / 1000);
        const endSec = Math.floor((start + length) / 1000);
        const valid = endSec > startSec && (endSec - startSec) * 1000 <= 366 * 86_400_000;
        if (valid) {
          const span = checkSpan(s, e);
          expect(span).toEqual({ startsAt: toSecond(s), endsAt: toSecond(e) });
          expect(span.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        } else {
          try {
            checkSpan(s, e);
            expect.unreachable('accepted an invalid span');
          } catch (err) {
            expect(err).toBeInstanceOf(InputError);
            expect((err as InputError).where[0].field).toBe('endsAt');
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an alert belongs to a shift when it occurred before the shift ends, compared to the second, whatever its sub-second digits', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1000, max: 86_400_000 }),
        fc.integer({ min: -7_200_000, max: 7_200_000 }),
        fc.constantFrom('', '.5', '.123'),
        (start, length, offset, fraction) => {
          const shift = shiftOf(start, start + length);
          const at = Date.parse(shift.endsAt) + offset;
          const occurred = `${new Date(at).toISOString().slice(0, 19)}${fraction}Z`;
          expect(alertInShift(occurred, shift)).toBe(Math.floor(at / 1000) < Date.parse(shift.endsAt) / 1000);
        },
      ),
      { numRuns: 500 },
    );
  });
});
