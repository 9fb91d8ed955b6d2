import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { parseArea, parseLength, parseModel, parseWindow } from '../../../src/forecast/params';

const INTL_FT = 0.3048;
const US_FT = 1200 / 3937;

describe('forecast parameters as people type them', () => {
  it('lengths: feet in a foot CRS are its own feet; metres convert; bare numbers are CRS units', () => {
    expect(parseLength('250ft', INTL_FT, 'cell')).toBe(250);
    expect(parseLength('600ft', US_FT, 'cell')).toBe(600);
    expect(parseLength('100m', 1, 'cell')).toBe(100);
    expect(parseLength('250ft', 1, 'cell')).toBeCloseTo(76.2, 12); // 250 × 0.3048 m in a metre CRS
    expect(parseLength('76.2m', INTL_FT, 'cell')).toBeCloseTo(250, 9);
    expect(parseLength('42', US_FT, 'cell')).toBe(42);
  });

  it('areas: the NIJ 0.25 sq mi is 6,969,600 sq ft in a foot CRS and 647,497.0 m² in a metre CRS', () => {
    expect(parseArea('0.25sqmi', INTL_FT, 'hotspotArea')).toBe(6_969_600);
    expect(parseArea('0.25sqmi', US_FT, 'hotspotArea')).toBe(6_969_600);
    expect(parseArea('0.25sqmi', 1, 'hotspotArea')).toBeCloseTo(647_497.027584, 5);
    expect(parseArea('2sqkm', 1, 'hotspotArea')).toBe(2e6);
  });

  it('models and windows: every form, and errors that name the field', () => {
    expect(parseModel('auto', INTL_FT)).toBe('auto');
    expect(parseModel('counts:365', INTL_FT)).toEqual({ model: 'counts', days: 365 });
    expect(parseModel('prospective:500ft:8', INTL_FT)).toEqual({ model: 'prospective', bandwidth: 500, weeks: 8 });
    expect(parseModel('kde:quartic:750ft:730', INTL_FT)).toEqual({
      model: 'kde',
      kernel: 'quartic',
      bandwidth: 750,
      halfLifeDays: 730,
    });
    expect(parseModel('etas', INTL_FT)).toEqual({ model: 'etas', iterations: 40 });
    expect(parseModel('sepp:10', 1)).toEqual({ model: 'sepp', iterations: 10 });
    expect(() => parseModel('kde:box:1', 1)).toThrow(InputError);
    expect(() => parseModel('magic', 1)).toThrow(/unknown model/);
    expect(parseWindow('1mo', 'window')).toBe('1mo');
    try {
      parseWindow('5d', 'window');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).where[0]).toMatchObject({
        field: 'window',
        expected: '7d | 14d | 1mo | 2mo | 3mo',
        got: '5d',
      });
    }
  });

  it('property: any string is a length or an InputError naming the field, never a crash or a non-positive length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(INTL_FT, US_FT, 1), (s, u) => {
        try {
          expect(parseLength(s, u, 'cell')).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).where[0].field).toBe('cell');
        }
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          parseModel(s, INTL_FT);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).where[0].field).toMatch(/^model/);
        }
      }),
    );
  });
});
