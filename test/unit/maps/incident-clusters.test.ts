/**
 * The map's cluster index (issue 17 item 7) against a brute-force count: for random incidents (clumped, with
 * repeated positions and points exactly on the box's edges) and random boxes and zooms, the clusters' and
 * points' counts sum to the incidents inside the box; every feature lies inside it; past the last clustering
 * zoom the answer is exactly the incidents inside, one by one; and a view is a bounded number of cells.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClusterIndex, queryClusters, type BBox } from '../../../src/maps/cluster-index';

type Pt = [number, number];
const inside = (b: BBox, [x, y]: Pt) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

function index(pts: Pt[]) {
  return buildClusterIndex({ ids: pts.map((_, k) => 1000 + k), lon: pts.map((p) => p[0]), lat: pts.map((p) => p[1]) });
}

function check(pts: Pt[], b: BBox, zoom: number) {
  const ci = index(pts);
  const hits = queryClusters(ci, b, zoom);
  const want = pts.filter((p) => inside(b, p)).length;
  expect(hits.reduce((n, h) => n + h.count, 0)).toBe(want);
  for (const h of hits) {
    expect(inside(b, [h.lon, h.lat]), `feature ${h.lon},${h.lat} outside ${b}`).toBe(true);
    expect(h.count).toBeGreaterThan(0);
    if (h.row !== undefined) {
      expect(h.count).toBe(1);
      expect([ci.lon[h.row], ci.lat[h.row]]).toEqual([h.lon, h.lat]);
    }
  }
  if (zoom >= 17) {
    // Every incident inside, once, by its id.
    const ids = hits.map((h) => ci.ids[h.row!]).sort((x, y) => x - y);
    const expected = pts.flatMap((p, k) => (inside(b, p) ? [1000 + k] : []));
    expect(ids).toEqual(expected);
  }
  return hits;
}

describe('incident cluster index', () => {
  it('counts a hand-made case: two clumps, one across the east edge, one point on the edge itself', () => {
    const pts: Pt[] = [
      [-87.63, 41.88],
      [-87.63, 41.88],
      [-87.6301, 41.8801],
      [-87.5, 41.9], // exactly on the east edge
      [-87.4999, 41.9], // just outside it
      [-87.5001, 41.9001],
      [-87.7, 41.5], // south of the box
    ];
    const b: BBox = [-87.7, 41.8, -87.5, 42];
    for (const z of [0, 5, 10, 12, 16, 17, 20]) check(pts, b, z);
    // At zoom 5 the box is a fraction of one cell: one cluster of the 5 inside at their mean.
    const five = check(pts, b, 5);
    expect(five).toHaveLength(1);
    expect(five[0].count).toBe(5);
    expect(five[0].lon).toBeCloseTo((3 * -87.63 - 0.0001 - 87.5 - 87.5001) / 5, 9);
    // At zoom 17 each incident is its own point, the two at the same place included.
    expect(check(pts, b, 17)).toHaveLength(5);
  });

  it('property: counts add up for random clumped incidents, boxes and zooms', () => {
    const coord = fc.record({
      cx: fc.integer({ min: 0, max: 3 }),
      dx: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      dy: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    });
    const centres: Pt[] = [
      [-87.65, 41.85],
      [-122.65, 45.5],
      [179.99, -0.01],
      [0, 0],
    ];
    fc.assert(
      fc.property(
        fc.array(coord, { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0.0001, max: 0.2, noNaN: true }),
        fc.double({ min: 0.0001, max: 0.2, noNaN: true }),
        fc.integer({ min: 0, max: 22 }),
        fc.boolean(),
        (raw, c, hw, hh, zoom, edgeOnPoint) => {
          const pts: Pt[] = raw.map((r) => [
            Math.max(-180, Math.min(180, centres[r.cx][0] + r.dx)),
            centres[r.cx][1] + r.dy,
          ]);
          // Repeat some positions, as block-level addresses do.
          for (let k = 0; k < pts.length; k += 7) pts.push([...pts[k]] as Pt);
          const [x, y] = centres[c];
          let b: BBox = [Math.max(-180, x - hw), y - hh, Math.min(180, x + hw), y + hh];
          // Put the box's edges exactly on incidents sometimes.
          if (edgeOnPoint && pts.length > 2) {
            const [p, q] = [pts[0], pts[pts.length - 1]];
            b = [Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1])];
          }
          check(pts, b, zoom);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a view is at most a screen of 64-px cells, however many incidents it holds', () => {
    // 20,000 incidents spread over a city: a 1280 × 900 px view at zoom 11 is about 21 × 15 cells.
    const pts: Pt[] = Array.from({ length: 20_000 }, (_, k) => [
      -87.9 + ((k * 7919) % 20_000) / 40_000,
      41.65 + ((k * 104_729) % 20_000) / 50_000,
    ]);
    // 1280 px at zoom 11 is 1280 / (512 · 2^11) of 360° = 0.4395°; 900 px of Mercator at 41.9° N is 0.230°.
    const hits = check(pts, [-87.8, 41.75, -87.8 + 0.4395, 41.75 + 0.23], 11);
    expect(hits.length).toBeLessThanOrEqual(22 * 16);
    expect(hits.length).toBeGreaterThan(50);
  });

  it('builds from no incidents and answers an empty view', () => {
    expect(queryClusters(index([]), [-180, -85, 180, 85], 3)).toEqual([]);
  });
});

describe('the index does not depend on the order the rows arrive in', () => {
  // PostgreSQL returns a table's rows in no fixed order (a scan may start anywhere): the cluster-index thread
  // and the serving thread must still build the very same index. Many points share a spot on purpose.
  it('a shuffled input builds the same index, ties at one spot in id order', () => {
    const spot = fc.record({ s: fc.integer({ min: 0, max: 5 }), d: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(
        fc.array(spot, { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (spots, swaps) => {
          const rows = spots.map((p, k) => ({
            id: 10 + k * 3,
            lon: -87.6 + p.s * 0.01 + p.d * 1e-9,
            lat: 41.8 + p.s * 0.01,
          }));
          const shuffled = rows.slice();
          // Swap i with a pseudo-random earlier row: any permutation can come out.
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (swaps[i % Math.max(1, swaps.length)] ?? 0) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          const build = (r: typeof rows) =>
            buildClusterIndex({ ids: r.map((x) => x.id), lon: r.map((x) => x.lon), lat: r.map((x) => x.lat) });
          const a = build(rows);
          const b = build(shuffled);
          expect([...b.ids]).toEqual([...a.ids]);
          expect([...b.code]).toEqual([...a.code]);
          expect([...b.sumLon]).toEqual([...a.sumLon]);
          // Within one spot, ids ascend.
          for (let i = 1; i < a.ids.length; i++)
            if (a.code[i] === a.code[i - 1]) expect(a.ids[i]).toBeGreaterThan(a.ids[i - 1]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
