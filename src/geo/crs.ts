/**
 * Projections over proj4. The bundled definitions (src/geo/epsg.ts) are registered on import:
 * EPSG:2913 NAD83(HARN) / Oregon North in INTERNATIONAL feet (+units=ft, 0.3048 m; false easting
 * 2,500,000.0001424 m = 8,202,099.7375 ft), EPSG:3435 NAD83 / Illinois East in US survey feet
 * (+units=us-ft), EPSG:2278 Texas South Central (US ft), and the Korean systems EPSG:5179 (UTM-K),
 * 5186 (central belt 2010, GRS80) and 5174 (modified central belt, Bessel with its datum shift). Lon/lat data is projected into its local
 * UTM zone (metres) for computation.
 */
import proj4 from 'proj4';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { defineCrs, isKnownCrs } from './epsg';

/** Linear unit of a registered CRS in metres (0.3048 for EPSG:2913, 1200/3937 for EPSG:3435). */
export function crsUnitMetres(code: string): number {
  if (!isKnownCrs(code))
    throw new InputError(msg('geo.unknownCrs', { crs: code }), [{ field: 'crs', expected: 'a registered EPSG code' }]);
  const d = proj4.defs(code) as unknown as { to_meter?: number; units?: string };
  if (d.to_meter) return d.to_meter;
  if (d.units === 'ft') return 0.3048;
  if (d.units === 'us-ft') return 1200 / 3937;
  return 1;
}

/** The WGS84 UTM zone holding a lon/lat point, as an EPSG code (326zz north, 327zz south). */
export function utmZoneCode(lon: number, lat: number): string {
  if (!(lon >= -180 && lon <= 180 && lat >= -80 && lat <= 84))
    throw new InputError(msg('geo.outsideUtm'), [
      { field: 'lon/lat', expected: 'lon in [-180,180], lat in [-80,84]', got: `${lon},${lat}` },
    ]);
  const zone = Math.min(60, Math.floor((lon + 180) / 6) + 1);
  const code = `EPSG:${lat >= 0 ? 326 : 327}${String(zone).padStart(2, '0')}`;
  if (!isKnownCrs(code))
    defineCrs(code, `+proj=utm +zone=${zone}${lat < 0 ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`);
  return code;
}

/** A converter between two registered CRSs; identity when they are equal. */
export function projector(from: string, to: string): (x: number, y: number) => Point2 {
  for (const c of [from, to])
    if (!isKnownCrs(c))
      throw new InputError(msg('geo.unknownCrs', { crs: c }), [
        { field: 'crs', expected: 'a registered EPSG code (see defineCrs)' },
      ]);
  if (from === to) return (x, y) => [x, y];
  const conv = proj4(from, to);
  return (x, y) => conv.forward([x, y]) as Point2;
}
type Point2 = [number, number];

/**
 * Project lon/lat incidents into the UTM zone of their median point (metres). Returns the CRS code used
 * and the projected coordinates. O(n log n) for the median.
 */
export function projectToLocalUtm(lonlat: { lon: number; lat: number }[]): { crs: string; xy: Point2[] } {
  if (lonlat.length === 0) throw new InputError(msg('geo.noPoints'), [{ expected: 'at least one lon/lat point' }]);
  const mid = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
  const crs = utmZoneCode(mid(lonlat.map((p) => p.lon)), mid(lonlat.map((p) => p.lat)));
  const f = projector('EPSG:4326', crs);
  return { crs, xy: lonlat.map((p) => f(p.lon, p.lat)) };
}
