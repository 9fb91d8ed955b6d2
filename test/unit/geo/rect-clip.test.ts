/**
 * The grid builder cuts the jurisdiction with a rectangle clipper (issue 18: grid build time) and keeps
 * the exact clipper only for boundary cells whose cut is not already a clean polygon. These tests hold
 * the fast path to the exact one: same areas, same cells, and published cell geometry that is valid.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import polygonClipping from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import { buildGrid, cellOf, cellPolygon, cellSquare } from '../../../src/geo/grid';
import {
  intersectPolygons,
  jurisdictionFromGeoJson,
  multiPolygonArea,
  type MultiPolygon,
  type Ring,
} from '../../../src/geo/polygon';
import { clipToRect, isCleanClip } from '../../../src/geo/rect-clip';

const rectPoly = (x0: number, y0: number, x1: number, y1: number): MultiPolygon => [
  [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
];

/** A star-shaped (so simple, often concave) counter-clockwise ring around (50, 50). */
const starRing = fc.array(fc.integer({ min: 5, max: 60 }), { minLength: 3, maxLength: 24 }).map((radii): Ring => {
  const ring: Ring = radii.map((r, i) => {
    const a = (2 * Math.PI * i) / radii.length;
    return [50 + r * Math.cos(a), 50 + r * Math.sin(a)];
  });
  return [...ring, ring[0]];
});
const rect = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 60 }))
  .map(([x, y, w]) => [x, y, x + w, y + w * 0.75] as const);

describe('rectangle clipping', () => {
  it('property: the cut has the exact clipper’s area, and a piece called clean is a valid polygon of that area', () => {
    fc.assert(
      fc.property(starRing, rect, (ring, [x0, y0, x1, y1]) => {
        const mp: MultiPolygon = [[ring]];
        const exact = multiPolygonArea(intersectPolygons(mp, rectPoly(x0, y0, x1, y1)));
        const cut = clipToRect(mp, x0, y0, x1, y1);
        expect(multiPolygonArea(cut)).toBeCloseTo(exact, 6);
        if (cut.length && isCleanClip(cut, x0, y0, x1, y1)) {
          const closed = [[[...cut[0][0], cut[0][0][0]]]] as unknown as polygonClipping.MultiPolygon;
          // A clean piece is unchanged in area and in parts by the exact clipper's own union.
          const redone = polygonClipping.union(closed);
          expect(redone.length).toBe(1);
          expect(redone[0].length).toBe(1);
          expect(multiPolygonArea(redone as unknown as MultiPolygon)).toBeCloseTo(exact, 6);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('calls a cut with a zero-width bridge, or with a hole, not clean', () => {
    // A U open to the right whose notch crosses the whole rectangle: its two arms inside are joined along the left side.
    const u: MultiPolygon = [
      [
        [
          [0, 0],
          [20, 0],
          [20, 4],
          [1, 4],
          [1, 6],
          [20, 6],
          [20, 10],
          [0, 10],
          [0, 0],
        ],
      ],
    ];
    const cut = clipToRect(u, 2, 2, 10, 8);
    expect(multiPolygonArea(cut)).toBeCloseTo(multiPolygonArea(intersectPolygons(u, rectPoly(2, 2, 10, 8))), 9);
    expect(isCleanClip(cut, 2, 2, 10, 8)).toBe(false);
    const holed: MultiPolygon = [[...rectPoly(0, 0, 10, 10)[0], rectPoly(4, 4, 6, 6)[0][0].slice().reverse()]];
    expect(isCleanClip(clipToRect(holed, 3, 3, 7, 7), 3, 3, 7, 7)).toBe(false);
  });

  it('Portland at 250 ft: every boundary cell has the exact clipper’s area and a valid published polygon', () => {
    const j = jurisdictionFromGeoJson(
      JSON.parse(readFileSync('test/fixtures/portland-nij/portland_police_districts.epsg2913.geojson', 'utf8')),
    );
    const g = buildGrid(j, { cellSize: 250, angleDeg: 15, origin: [7_650_000, 680_000] });
    let checked = 0;
    for (let k = 0; k < g.n; k++) {
      if (!g.boundary[k]) continue;
      if (k % 41 !== 0) continue; // one in 41 (about 75 of the ~3,000 boundary cells): each exact clip of the city is slow
      const exact = multiPolygonArea(intersectPolygons(j, [[cellSquare(g, k)]]));
      expect(Math.abs(g.areas[k] - exact)).toBeLessThan(1e-6 * 62_500);
      const published = cellPolygon(g, k);
      const redone = polygonClipping.union(published as unknown as polygonClipping.MultiPolygon);
      expect(redone.length).toBe(published.length);
      expect(Math.abs(multiPolygonArea(redone as unknown as MultiPolygon) - g.areas[k])).toBeLessThan(1e-6 * 62_500);
      // The cell's own centre point, when it lies in the jurisdiction, maps back to this cell.
      const [x, y] = [g.cx[k], g.cy[k]];
      if (multiPolygonArea(intersectPolygons(j, rectPoly(x - 0.01, y - 0.01, x + 0.01, y + 0.01))) > 0.0003)
        expect(cellOf(g, x, y)).toBe(k);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  }, 120_000);
});
