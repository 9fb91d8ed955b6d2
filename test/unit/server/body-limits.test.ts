import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../../../src/server/body-limits';
import { parseTrustProxy } from '../../../src/server/trust-proxy';

/** Nesting depth of a parsed JSON value, computed the obvious recursive way (the reference). */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('jsonNestingExceeds', () => {
  it('agrees with the recursive depth of any JSON value, for every limit (strings full of brackets and escapes included)', () => {
    const bracketyString = fc.stringMatching(/^[[\]{}"\\a]{0,12}$/);
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.integer(),
        bracketyString,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(bracketyString, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 8 }), (v, max) => {
        expect(jsonNestingExceeds(JSON.stringify(v), max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 2000 },
    );
  });

  it('hand-checked cases', () => {
    expect(jsonNestingExceeds('[[1]]', 2)).toBe(false);
    expect(jsonNestingExceeds('[[[1]]]', 2)).toBe(true);
    expect(jsonNestingExceeds('{"a":"[[[[\\"[[["}', 1)).toBe(false);
    expect(jsonNestingExceeds('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestingExceeds('['.repeat(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    // Depth 8: a GeoJSON MultiPolygon feature collection must pass.
    expect(
      jsonNestingExceeds(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              geometry: {
                type: 'MultiPolygon',
                coordinates: [
                  [
                    [
                      [0, 0],
                      [1, 0],
                      [0, 1],
                      [0, 0],
                    ],
                  ],
                ],
              },
            },
          ],
        }),
        MAX_JSON_DEPTH,
      ),
    ).toBe(false);
  });
});

describe('parseTrustProxy (serve --trust-proxy, CW_TRUST_PROXY)', () => {
  it('off unless set', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
  });
  it('addresses, CIDRs and named ranges', () => {
    expect(parseTrustProxy('10.0.0.5, 192.168.1.0/24,::1,fd00::/8,loopback')).toEqual([
      '10.0.0.5',
      '192.168.1.0/24',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });
  it.each(['1', '2', 'yes', '10.0.0.300', '10.0.0.0/33', '::1/129', 'proxy.example.org', '10.0.0.1/8/1'])(
    'refuses %j, naming the option and the bad item',
    (v) => {
      let err: unknown;
      try {
        parseTrustProxy(v);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ name: 'InputError' });
      expect((err as { where: { field: string; got: string }[] }).where[0]).toMatchObject({
        field: '--trust-proxy',
        got: v,
      });
    },
  );
});
