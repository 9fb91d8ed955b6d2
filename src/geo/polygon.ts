/**
 * Polygons in a projected CRS: reading GeoJSON (Polygon / MultiPolygon / Feature / FeatureCollection),
 * union (polygon-clipping), exact shoelace areas, bounding boxes and point-in-polygon.
 * Coordinates are plain [x, y] pairs in the data's own CRS units.
 */
import polygonClipping from 'polygon-clipping';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';

export type Point = [number, number];
/** A closed or open ring of [x, y]. */
export type Ring = Point[];
/** Outer ring first, then holes. */
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];

/** Signed shoelace area of a ring (positive when counter-clockwise). O(vertices). */
export function ringArea(r: Ring): number {
  let s = 0;
  const n = r.length;
  for (let i = 0; i < n; i++) {
    const a = r[i];
    const b = r[(i + 1) % n];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Area of a polygon: |outer| − Σ|holes|. */
export function polygonArea(p: Polygon): number {
  let s = 0;
  p.forEach((r, i) => (s += (i === 0 ? 1 : -1) * Math.abs(ringArea(r))));
  return s;
}

/** Area of a multipolygon whose parts do not overlap (e.g. the output of `unionPolygons`). */
export function multiPolygonArea(mp: MultiPolygon): number {
  let s = 0;
  for (const p of mp) s += polygonArea(p);
  return s;
}

export function bbox(mp: MultiPolygon): [number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const p of mp)
    for (const r of p)
      for (const [x, y] of r) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
  return [minX, minY, maxX, maxY];
}

/** Even–odd point-in-ring test (ray casting). Points exactly on an edge may go either way. O(vertices). */
export function pointInRing(r: Ring, x: number, y: number): boolean {
  let inside = false;
  const n = r.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = r[i][0],
      yi = r[i][1],
      xj = r[j][0],
      yj = r[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside a polygon: inside its outer ring and in none of its holes. */
export function pointInPolygon(p: Polygon, x: number, y: number): boolean {
  if (p.length === 0 || !pointInRing(p[0], x, y)) return false;
  for (let i = 1; i < p.length; i++) if (pointInRing(p[i], x, y)) return false;
  return true;
}

export function pointInMultiPolygon(mp: MultiPolygon, x: number, y: number): boolean {
  for (const p of mp) if (pointInPolygon(p, x, y)) return true;
  return false;
}

/** Union of polygons (overlaps and shared edges dissolved) with polygon-clipping. O((V + K) log V). */
export function unionPolygons(polys: MultiPolygon): MultiPolygon {
  if (polys.length === 0) return [];
  const [first, ...rest] = polys as unknown as polygonClipping.Polygon[];
  return polygonClipping.union(first, ...rest) as unknown as MultiPolygon;
}

export function intersectPolygons(a: MultiPolygon, b: MultiPolygon): MultiPolygon {
  if (a.length === 0 || b.length === 0) return [];
  return polygonClipping.intersection(
    a as unknown as polygonClipping.MultiPolygon,
    b as unknown as polygonClipping.MultiPolygon,
  ) as unknown as MultiPolygon;
}

function checkPosition(v: unknown, field: string, file?: string): Point {
  if (
    !Array.isArray(v) ||
    v.length < 2 ||
    typeof v[0] !== 'number' ||
    typeof v[1] !== 'number' ||
    !Number.isFinite(v[0]) ||
    !Number.isFinite(v[1])
  ) {
    throw new InputError(msg('geo.badCoordinate', { field }), [
      { file, field, expected: 'a position [x, y] of finite numbers', got: JSON.stringify(v)?.slice(0, 80) },
    ]);
  }
  return [v[0], v[1]];
}

function readPolygonCoords(c: unknown, field: string, file?: string): Polygon {
  if (!Array.isArray(c) || c.length === 0)
    throw new InputError(msg('geo.badPolygon', { field }), [{ file, field, expected: 'an array of linear rings' }]);
  return c.map((ring, ri) => {
    const f = `${field}[${ri}]`;
    if (!Array.isArray(ring) || ring.length < 4)
      throw new InputError(msg('geo.badRing', { field: f }), [
        { file, field: f, expected: 'a closed linear ring of at least 4 positions' },
      ]);
    return ring.map((pos, pi) => checkPosition(pos, `${f}[${pi}]`, file));
  });
}

/**
 * Read every Polygon / MultiPolygon in a GeoJSON object (FeatureCollection, Feature, or bare geometry)
 * as one list of polygons. Other geometry types are refused with the feature path named.
 */
export function readGeoJsonPolygons(geojson: unknown, file?: string): MultiPolygon {
  const out: MultiPolygon = [];
  const geometry = (g: unknown, field: string) => {
    const o = g as { type?: unknown; coordinates?: unknown } | null;
    if (!o || typeof o !== 'object')
      throw new InputError(msg('geo.missingGeometry', { field }), [
        { file, field, expected: 'a Polygon or MultiPolygon geometry' },
      ]);
    if (o.type === 'Polygon') out.push(readPolygonCoords(o.coordinates, `${field}.coordinates`, file));
    else if (o.type === 'MultiPolygon') {
      if (!Array.isArray(o.coordinates))
        throw new InputError(msg('geo.badMultiPolygon', { field }), [
          { file, field: `${field}.coordinates`, expected: 'an array of polygons' },
        ]);
      o.coordinates.forEach((p, i) => out.push(readPolygonCoords(p, `${field}.coordinates[${i}]`, file)));
    } else
      throw new InputError(msg('geo.unsupportedGeometry', { field }), [
        { file, field: `${field}.type`, expected: 'Polygon or MultiPolygon', got: String(o.type) },
      ]);
  };
  const o = geojson as { type?: unknown; features?: unknown; geometry?: unknown } | null;
  if (!o || typeof o !== 'object')
    throw new InputError(msg('geo.notGeoJson'), [{ file, expected: 'a GeoJSON object' }]);
  if (o.type === 'FeatureCollection') {
    if (!Array.isArray(o.features))
      throw new InputError(msg('geo.noFeatures'), [{ file, field: 'features', expected: 'an array' }]);
    o.features.forEach((f, i) => geometry((f as { geometry?: unknown })?.geometry, `features[${i}].geometry`));
  } else if (o.type === 'Feature') geometry(o.geometry, 'geometry');
  else geometry(o, '$');
  return out;
}

/** The jurisdiction: union of all polygons in a GeoJSON document (e.g. the 60 Portland districts). */
export function jurisdictionFromGeoJson(geojson: unknown, file?: string): MultiPolygon {
  return unionPolygons(readGeoJsonPolygons(geojson, file));
}

/** Make outer rings counter-clockwise and holes clockwise (RFC 7946), rings closed. */
export function orientRfc7946(mp: MultiPolygon): MultiPolygon {
  return mp.map((p) =>
    p.map((r, i) => {
      const closed = r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r : [...r, r[0]];
      const ccw = ringArea(closed) > 0;
      return (i === 0) === ccw ? closed : [...closed].reverse();
    }),
  );
}
