/** Audit uploads (person-level and proxy audits) share one CSV reader whose refusals are coded and name file, row and column. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { readCsvUpload, refuseBadRows } from '../../../src/monitor/csv-upload';
import { proxyRowsFromCsv } from '../../../src/monitor/proxy-audit';
import { rowsFromCsv } from '../../../src/monitor/audits';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('not refused');
};

describe('an uploaded audit CSV', () => {
  it('finds columns by trimmed name, first occurrence', () => {
    const u = readCsvUpload(' a ,b,a\n1,2,3\n', 'up.csv');
    expect([u.column('a'), u.column('b')]).toEqual([0, 1]);
    expect(u.data).toEqual([['1', '2', '3']]);
  });

  it('refuses an open quote, an empty file and a missing column with a code, in Korean too, naming where', () => {
    const q = refusal(() => readCsvUpload('a,b\n1,"2\n', 'up.csv'));
    expect(q.messageCode).toBe('monitor.csvQuotes');
    expect(q.where[0]).toMatchObject({ file: 'up.csv', expected: 'balanced quotes' });
    expect(refusal(() => readCsvUpload('', 'up.csv')).messageCode).toBe('monitor.csvEmpty');
    const c = refusal(() => readCsvUpload('a,b\n1,2\n', 'up.csv').column('race'));
    expect(c.messageCode).toBe('monitor.csvNoColumn');
    expect(c.where[0]).toMatchObject({ file: 'up.csv', row: 1, field: 'race' });
    expect(c.text('ko')).toBe('up.csv에 "race" 열이 없습니다');
  });

  it('refuses malformed rows (the first 100 named) and a file without data rows', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ file: 'up.csv', row: i + 2, expected: '3 fields' }));
    const r = refusal(() => refuseBadRows('up.csv', many, 10));
    expect(r.messageCode).toBe('monitor.csvBadRows');
    expect(r.messageParams).toEqual({ file: 'up.csv', count: 150 });
    expect(r.where).toHaveLength(100);
    expect(refusal(() => refuseBadRows('up.csv', [], 0)).messageCode).toBe('monitor.csvNoRows');
    expect(() => refuseBadRows('up.csv', [], 1)).not.toThrow();
  });

  it('both audits read through it: a short row is refused naming its row', () => {
    const csv = 'pred,label,race\n1,1,a\n1,0\n';
    const e = refusal(() =>
      rowsFromCsv(csv, {
        predictedColumn: 'pred',
        labelColumn: 'label',
        groupColumns: ['race'],
        positiveValues: ['1'],
        labelPositive: ['1'],
      } as Parameters<typeof rowsFromCsv>[1]),
    );
    expect(e.messageCode).toBe('monitor.csvBadRows');
    expect(e.where[0]).toMatchObject({ row: 3, expected: '3 fields', got: '2' });
    const p = refusal(() => proxyRowsFromCsv('race,x\n', { protectedColumn: 'race', features: ['x'] } as never));
    expect(p.messageCode).toBe('monitor.csvNoRows');
  });

  it('property: any text is read or refused with an InputError, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 8 }), (text, col) => {
        try {
          readCsvUpload(text, 'up.csv').column(col);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
    );
  });
});
