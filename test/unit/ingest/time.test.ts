/**
 * Local times to UTC, with the expected instants worked out by hand from the zones' rules (America/Chicago:
 * CST = UTC−6, CDT = UTC−5 from 2nd Sunday of March 02:00 to 1st Sunday of November 02:00; Asia/Kolkata
 * +5:30; Asia/Kathmandu +5:45). The offset cache must agree with Intl for every quarter hour of a year.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoUtc, parseIsoLike, parseUsDateTime, zonedToUtc } from '../../../src/ingest/time';

describe('local time to UTC', () => {
  it('converts Chicago times across both DST transitions', () => {
    expect(parseUsDateTime('7/19/2017 13:45', 'America/Chicago')).toEqual({
      iso: '2017-07-19T18:45:00Z',
      precision: 'minute',
    });
    expect(parseUsDateTime('1/2/2018 10:00', 'America/Chicago')).toEqual({
      iso: '2018-01-02T16:00:00Z',
      precision: 'minute',
    });
    expect(parseUsDateTime('1/2/2018 12:05 AM', 'America/Chicago')!.iso).toBe('2018-01-02T06:05:00Z');
    expect(parseUsDateTime('1/2/2018 12:05:09 PM', 'America/Chicago')!.iso).toBe('2018-01-02T18:05:09Z');
    // 1:30 happens twice on 2017-11-05: the first (CDT) is taken.
    expect(parseUsDateTime('11/5/2017 1:30', 'America/Chicago')!.iso).toBe('2017-11-05T06:30:00Z');
    expect(parseUsDateTime('11/5/2017 3:00', 'America/Chicago')!.iso).toBe('2017-11-05T09:00:00Z');
    // 2:30 does not exist on 2017-03-12 (clocks jump 2:00 → 3:00): read as 1:30 CST, the earlier candidate.
    expect(parseUsDateTime('3/12/2017 2:30', 'America/Chicago')!.iso).toBe('2017-03-12T07:30:00Z');
    expect(parseUsDateTime('3/12/2017 3:30', 'America/Chicago')!.iso).toBe('2017-03-12T08:30:00Z');
    expect(parseUsDateTime('3/12/2017', 'America/Chicago')).toEqual({ iso: '2017-03-12T00:00:00Z', precision: 'day' });
  });

  it('handles half- and quarter-hour zones, UTC and refusals', () => {
    expect(parseIsoLike('2018-01-02 10:00', 'Asia/Kolkata')).toEqual({
      iso: '2018-01-02T04:30:00Z',
      precision: 'hour',
    });
    expect(parseIsoLike('2018-01-02 10:00:01', 'Asia/Kathmandu')).toEqual({
      iso: '2018-01-02T04:15:01Z',
      precision: 'minute',
    });
    expect(parseIsoLike('2010-01-01 06:00:00')).toEqual({ iso: '2010-01-01T06:00:00Z', precision: 'minute' });
    expect(parseIsoLike('2010-02-30')).toBeUndefined();
    expect(parseUsDateTime('13/1/2018 10:00', 'America/Chicago')).toBeUndefined();
    expect(parseUsDateTime('1/1/2018 13:00 PM', 'America/Chicago')).toBeUndefined();
    expect(isoUtc(Date.UTC(2018, 0, 2, 3, 4, 5, 678))).toBe('2018-01-02T03:04:05Z');
  });

  const intlUtc = (y: number, mo: number, d: number, h: number, mi: number, zone: string) => {
    // Independent reference: search the two candidate offsets Intl reports around the wall time.
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    const wall = Date.UTC(y, mo - 1, d, h, mi);
    const hits: number[] = [];
    for (let off = -14 * 60; off <= 14 * 60; off += 15) {
      const t = wall - off * 60_000;
      const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
      if (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall) hits.push(t);
    }
    return hits.length ? Math.min(...hits) : undefined;
  };

  it('equals a fresh Intl computation for every half hour of the days around DST transitions', () => {
    const days: [string, number, number, number][] = [
      ['America/Chicago', 2017, 11, 5],
      ['America/Chicago', 2017, 3, 12],
      ['Europe/London', 2017, 10, 29],
      ['Europe/London', 2017, 3, 26],
      ['Australia/Lord_Howe', 2017, 4, 2],
      ['Australia/Lord_Howe', 2017, 10, 1],
    ];
    for (const [zone, y, mo, d] of days) {
      for (let k = 0; k < 48; k++) {
        const want = intlUtc(y, mo, d, Math.floor(k / 2), (k % 2) * 30, zone);
        if (want !== undefined)
          expect(
            `${zone} ${mo}/${d} ${k / 2}h → ${zonedToUtc(y, mo, d, Math.floor(k / 2), (k % 2) * 30, 0, zone)}`,
          ).toBe(`${zone} ${mo}/${d} ${k / 2}h → ${want}`);
      }
    }
  });

  it('property: the cached conversion equals a fresh Intl computation for any minute of 2016-2020', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2016, max: 2020 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('America/Chicago', 'Asia/Seoul', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Europe/London'),
        (y, mo, d, h, mi, zone) => {
          const want = intlUtc(y, mo, d, h, mi, zone);
          if (want !== undefined) expect(zonedToUtc(y, mo, d, h, mi, 0, zone)).toBe(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
