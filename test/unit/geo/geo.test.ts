import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { crsUnitMetres, projector, projectToLocalUtm, utmZoneCode } from '../../../src/geo/crs';
import { buildGrid, cellOf, cellPolygon, toLocal } from '../../../src/geo/grid';
import {
  jurisdictionFromGeoJson,
  multiPolygonArea,
  pointInMultiPolygon,
  polygonArea,
  readGeoJsonPolygons,
  unionPolygons,
  type MultiPolygon,
} from '../../../src/geo/polygon';

const PORTLAND = 'test/fixtures/portland-nij/portland_police_districts.epsg2913.geojson';

describe('projections', () => {
  it('EPSG:2913 is in international feet: a district vertex in lon/lat lands on its EPSG:2913 twin', () => {
    // First vertex of district 510 in the two released files (WGS84 and EPSG:2913).
    const [x, y] = projector('EPSG:4326', 'EPSG:2913')(-122.8017294, 45.6196694);
    // 1e-7 degrees ≈ 0.03 ft of rounding in the WGS84 file; US survey feet would be off by ~16 ft in x.
    expect(Math.abs(x - 7613256.0020747)).toBeLessThan(0.5);
    expect(Math.abs(y - 720408.3868598)).toBeLessThan(0.5);
    expect(crsUnitMetres('EPSG:2913')).toBe(0.3048);
  });

  it("EPSG:3435 is Illinois East in US survey feet: a Chicago record's lat/lon matches its x/y", () => {
    const [x, y] = projector('EPSG:4326', 'EPSG:3435')(-87.68497621, 41.7683084);
    expect(Math.abs(x - 1161120)).toBeLessThan(2); // the city rounds to whole feet
    expect(Math.abs(y - 1858829)).toBeLessThan(2);
    expect(crsUnitMetres('EPSG:3435')).toBeCloseTo(1200 / 3937, 12);
  });

  it('local UTM: zone from lon/lat, central meridian at easting 500 km', () => {
    expect(utmZoneCode(-122.6, 45.5)).toBe('EPSG:32610');
    expect(utmZoneCode(-95.4, 29.7)).toBe('EPSG:32615');
    expect(utmZoneCode(151.2, -33.9)).toBe('EPSG:32756');
    const [x, y] = projector('EPSG:4326', 'EPSG:32610')(-123, 0);
    expect(x).toBeCloseTo(500000, 3);
    expect(y).toBeCloseTo(0, 3);
    const r = projectToLocalUtm([
      { lon: -95.44, lat: 29.68 },
      { lon: -95.3, lat: 29.69 },
      { lon: -95.35, lat: 29.7 },
    ]);
    expect(r.crs).toBe('EPSG:32615');
    expect(r.xy[0][0]).toBeGreaterThan(100_000);
    expect(() => projector('EPSG:999999', 'EPSG:4326')).toThrow(InputError);
  });
});

describe('polygons', () => {
  const sq = (x: number, y: number, s: number) =>
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ] as [number, number][];
  it('shoelace areas with holes, union of overlapping squares, point in polygon', () => {
    expect(polygonArea([sq(0, 0, 10), sq(4, 4, 2)])).toBe(96);
    const u = unionPolygons([[sq(0, 0, 2)], [sq(1, 1, 2)]]);
    expect(multiPolygonArea(u)).toBeCloseTo(7, 12); // 4 + 4 − 1
    expect(pointInMultiPolygon([[sq(0, 0, 10), sq(4, 4, 2)]], 5, 5)).toBe(false); // in the hole
    expect(pointInMultiPolygon([[sq(0, 0, 10), sq(4, 4, 2)]], 1, 5)).toBe(true);
  });

  it('reads GeoJSON and names the path of bad input', () => {
    const fcol = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [sq(0, 0, 1)] } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] } },
      ],
    };
    try {
      readGeoJsonPolygons(fcol, 'b.geojson');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where[0]).toMatchObject({
        file: 'b.geojson',
        field: 'features[1].geometry.type',
        got: 'Point',
      });
    }
    expect(() =>
      readGeoJsonPolygons({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 'x'],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    ).toThrow(/coordinates\[0\]\[1\]/);
  });

  it('the Portland jurisdiction (union of the 60 districts) measures about 4.1177e9 sq ft', () => {
    const j = jurisdictionFromGeoJson(JSON.parse(readFileSync(PORTLAND, 'utf8')));
    expect(readGeoJsonPolygons(JSON.parse(readFileSync(PORTLAND, 'utf8'))).length).toBeGreaterThanOrEqual(60);
    expect(multiPolygonArea(j) / 4.1177e9).toBeCloseTo(1, 4);
  });
});

describe('square grid', () => {
  const sq = (x: number, y: number, s: number) =>
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ] as [number, number][];
  const holed: MultiPolygon = [[sq(0, 0, 10), sq(4, 4, 2)]];

  it('10×10 with a 2×2 hole on 3-unit cells: exact clipped areas, outside cells dropped', () => {
    const g = buildGrid(holed, { cellSize: 3 });
    expect(g.totalArea).toBeCloseTo(96, 9);
    expect(g.n).toBe(16); // 4×4 lattice over [0,12]², all touch the square
    expect(g.areas[cellOf(g, 3.5, 3.5)]).toBeCloseTo(9 - 4, 9); // [3,6]² loses the hole
    expect(g.areas[cellOf(g, 9.5, 9.5)]).toBeCloseTo(1, 9); // [9,12]² keeps [9,10]²
    expect(g.boundary[cellOf(g, 9.5, 9.5)]).toBe(1);
    expect(g.boundary[cellOf(g, 1, 1)]).toBe(0);
    expect(cellOf(g, 11, 11)).toBe(-1); // in the lattice square, outside the jurisdiction
    expect(cellOf(g, 5, 5)).toBe(-1); // in the hole
    expect(cellOf(g, 13, 13)).toBe(-1); // off the lattice
    // an L-shape: the lattice cell in the notch is dropped entirely
    const l = buildGrid(
      [
        [
          [
            [0, 0],
            [6, 0],
            [6, 3],
            [3, 3],
            [3, 6],
            [0, 6],
            [0, 0],
          ],
        ],
      ],
      { cellSize: 3 },
    );
    expect(l.n).toBe(3);
    expect(l.totalArea).toBe(27);
  });

  it('rotated grids keep the exact total area and map points to the cell that contains them', () => {
    for (const angleDeg of [0, 17, 45, -30]) {
      const g = buildGrid(holed, { cellSize: 2.5, angleDeg, origin: [1, 2] });
      expect(g.totalArea).toBeCloseTo(96, 8);
      const coord = fc.integer({ min: -200_000, max: 1_200_000 }).map((i) => i / 100_000 + 3.7e-7);
      fc.assert(
        fc.property(coord, coord, (x, y) => {
          // points on an edge (of the jurisdiction or a cell) may go either way: keep away from them
          const near = (v: number, s: number) => Math.abs(v / s - Math.round(v / s)) * s < 1e-6;
          fc.pre(![0, 4, 6, 10].some((e) => Math.abs(x - e) < 1e-6 || Math.abs(y - e) < 1e-6));
          const [u, v] = toLocal(g, x, y);
          fc.pre(!near(u, 2.5) && !near(v, 2.5));
          const k = cellOf(g, x, y);
          const inside = pointInMultiPolygon(holed, x, y);
          if (!inside) return k === -1;
          if (k < 0) return false;
          return pointInMultiPolygon(cellPolygon(g, k), x, y);
        }),
        { numRuns: 300, seed: 7 },
      );
      // the lattice passes through the origin: (1, 2) is a cell corner
      const [u, v] = toLocal(g, 1, 2);
      expect(Math.abs(u / 2.5 - Math.round(u / 2.5))).toBeLessThan(1e-9);
      expect(Math.abs(v / 2.5 - Math.round(v / 2.5))).toBeLessThan(1e-9);
    }
  });

  it('Portland: same jurisdiction area at every cell size and angle; ~66k cells at 250 ft', () => {
    const j = jurisdictionFromGeoJson(JSON.parse(readFileSync(PORTLAND, 'utf8')));
    const g250 = buildGrid(j, { cellSize: 250 });
    expect(g250.n).toBeGreaterThan(60_000);
    expect(g250.n).toBeLessThan(70_000);
    expect(g250.totalArea / 4.1177e9).toBeCloseTo(1, 4);
    const g600r = buildGrid(j, { cellSize: 600, angleDeg: 30 });
    expect(g600r.totalArea).toBeCloseTo(g250.totalArea, -1);
    for (let k = 0; k < g250.n; k++) if (!g250.boundary[k]) expect(g250.areas[k]).toBe(62_500);
  });
});
