/**
 * The Korean coordinate systems against known points.
 *
 * Sources of the expected values:
 * - Natural origins from the EPSG registry's parameters (EPSG:5179 Korea 2000 / Unified CS: 38°N 127.5°E →
 *   E 1,000,000 N 2,000,000, k0 0.9996; EPSG:5186 Korea 2000 / Central Belt 2010: 38°N 127°E → E 200,000
 *   N 600,000, k0 1; EPSG:5174 Korean 1985 / Modified Central Belt: 38°N 127°00'10.405"E on Bessel 1841 →
 *   E 200,000 N 500,000, k0 1).
 * - Other points are computed here independently of proj4: the transverse Mercator series of EPSG Guidance
 *   Note 7-2 §3.5.3 (USGS formulas, Snyder 1987 eqs. 8-9/8-10: sub-millimetre within 1° of the meridian) and,
 *   for 5174, the 7-parameter Helmert shift (position-vector form, as PROJ reads +towgs84) from WGS84 to
 *   Bessel 1841, then Bowring's geocentric-to-geodetic iteration.
 */
import { describe, expect, it } from 'vitest';
import { crsUnitMetres, isKnownCrs, projector } from '../../../src/geo';

const GRS80 = { a: 6378137, f: 1 / 298.257222101 };
const WGS84 = { a: 6378137, f: 1 / 298.257223563 };
const BESSEL = { a: 6377397.155, f: 1 / 299.1528128 };
const RAD = Math.PI / 180;

type Ellipsoid = { a: number; f: number };
type Tm = { lat0: number; lon0: number; k0: number; fe: number; fn: number; ell: Ellipsoid };

function meridianArc(phi: number, { a, f }: Ellipsoid): number {
  const e2 = f * (2 - f),
    e4 = e2 * e2,
    e6 = e4 * e2;
  return (
    a *
    ((1 - e2 / 4 - (3 * e4) / 64 - (5 * e6) / 256) * phi -
      ((3 * e2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024) * Math.sin(2 * phi) +
      ((15 * e4) / 256 + (45 * e6) / 1024) * Math.sin(4 * phi) -
      ((35 * e6) / 3072) * Math.sin(6 * phi))
  );
}

/** EPSG GN 7-2 §3.5.3 transverse Mercator forward (USGS series). */
function tmForward(lon: number, lat: number, p: Tm): [number, number] {
  const { a, f } = p.ell;
  const e2 = f * (2 - f),
    ep2 = e2 / (1 - e2);
  const phi = lat * RAD;
  const T = Math.tan(phi) ** 2,
    C = ep2 * Math.cos(phi) ** 2,
    A = (lon - p.lon0) * RAD * Math.cos(phi);
  const nu = a / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const E =
    p.fe + p.k0 * nu * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * ep2) * A ** 5) / 120);
  const N =
    p.fn +
    p.k0 *
      (meridianArc(phi, p.ell) -
        meridianArc(p.lat0 * RAD, p.ell) +
        nu *
          Math.tan(phi) *
          ((A * A) / 2 +
            ((5 - T + 9 * C + 4 * C * C) * A ** 4) / 24 +
            ((61 - 58 * T + T * T + 600 * C - 330 * ep2) * A ** 6) / 720));
  return [E, N];
}

function toGeocentric(lon: number, lat: number, { a, f }: Ellipsoid): [number, number, number] {
  const e2 = f * (2 - f),
    phi = lat * RAD,
    lam = lon * RAD;
  const nu = a / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  return [nu * Math.cos(phi) * Math.cos(lam), nu * Math.cos(phi) * Math.sin(lam), nu * (1 - e2) * Math.sin(phi)];
}

function fromGeocentric([x, y, z]: number[], { a, f }: Ellipsoid): [number, number] {
  const e2 = f * (2 - f),
    p = Math.hypot(x, y);
  let phi = Math.atan2(z, p * (1 - e2));
  for (let i = 0; i < 10; i++) {
    const nu = a / Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
    phi = Math.atan2(z + e2 * nu * Math.sin(phi), p);
  }
  return [Math.atan2(y, x) / RAD, phi / RAD];
}

/** WGS84 lon/lat → Bessel lon/lat by inverting X_wgs = T + (1 + s) R X_bessel (position vector, arc-seconds, ppm). */
function wgs84ToBessel(lon: number, lat: number, t: number[]): [number, number] {
  const [tx, ty, tz, rxs, rys, rzs, ppm] = t;
  const sec = RAD / 3600,
    rx = rxs * sec,
    ry = rys * sec,
    rz = rzs * sec,
    m = 1 + ppm * 1e-6;
  const R = [
    [1, -rz, ry],
    [rz, 1, -rx],
    [-ry, rx, 1],
  ].map((row) => row.map((v) => v * m));
  const [X, Y, Z] = toGeocentric(lon, lat, WGS84);
  const b = [X - tx, Y - ty, Z - tz];
  // Solve R·x = b exactly (Cramer's rule): the small-angle transpose would err by ~1 mm.
  const det = (M: number[][]) =>
    M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) -
    M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
    M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
  const d = det(R);
  const col = (k: number) => det(R.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)))) / d;
  return fromGeocentric([col(0), col(1), col(2)], BESSEL);
}

const KOREA_5174_TOWGS84 = [-145.907, 505.034, 685.756, -1.162, 2.347, 1.592, 6.342];
const UTMK: Tm = { lat0: 38, lon0: 127.5, k0: 0.9996, fe: 1_000_000, fn: 2_000_000, ell: GRS80 };
const CENTRAL_2010: Tm = { lat0: 38, lon0: 127, k0: 1, fe: 200_000, fn: 600_000, ell: GRS80 };
const MODIFIED_CENTRAL: Tm = { lat0: 38, lon0: 127 + 10.405 / 3600, k0: 1, fe: 200_000, fn: 500_000, ell: BESSEL };

// Seoul City Hall, N Seoul Tower, Gimpo airport, Jamsil stadium (WGS84 lon/lat).
const POINTS: [number, number][] = [
  [126.9779692, 37.5662952],
  [126.98822, 37.55117],
  [126.7906, 37.5586],
  [127.0719, 37.5121],
];

describe('Korean coordinate systems', () => {
  it('are registered and metric', () => {
    for (const c of ['EPSG:5179', 'EPSG:5186', 'EPSG:5174']) {
      expect(isKnownCrs(c)).toBe(true);
      expect(crsUnitMetres(c)).toBe(1);
    }
  });

  it('EPSG:5179 (UTM-K): the natural origin and Seoul points match the EPSG parameters within 1 cm', () => {
    const f = projector('EPSG:4326', 'EPSG:5179');
    const [x0, y0] = f(127.5, 38);
    expect(Math.abs(x0 - 1_000_000)).toBeLessThan(1e-6);
    expect(Math.abs(y0 - 2_000_000)).toBeLessThan(1e-6);
    for (const [lon, lat] of POINTS) {
      const [x, y] = f(lon, lat),
        [ex, ey] = tmForward(lon, lat, UTMK);
      expect(Math.abs(x - ex)).toBeLessThan(0.01);
      expect(Math.abs(y - ey)).toBeLessThan(0.01);
    }
    // City Hall lies ~46 km west and ~48 km south of the origin: the order of magnitude every UTM-K map shows.
    const [x, y] = f(...POINTS[0]);
    expect(x).toBeGreaterThan(953_000);
    expect(x).toBeLessThan(954_500);
    expect(y).toBeGreaterThan(1_951_000);
    expect(y).toBeLessThan(1_953_000);
  });

  it('EPSG:5186 (central belt 2010, GRS80): origin and points within 1 cm; 5179 and 5186 agree on the ground', () => {
    const f = projector('EPSG:4326', 'EPSG:5186');
    const [x0, y0] = f(127, 38);
    expect(Math.abs(x0 - 200_000)).toBeLessThan(1e-6);
    expect(Math.abs(y0 - 600_000)).toBeLessThan(1e-6);
    for (const [lon, lat] of POINTS) {
      const [x, y] = f(lon, lat),
        [ex, ey] = tmForward(lon, lat, CENTRAL_2010);
      expect(Math.abs(x - ex)).toBeLessThan(0.01);
      expect(Math.abs(y - ey)).toBeLessThan(0.01);
      // Same datum: 5186 → 5179 equals lon/lat → 5179.
      const [ux, uy] = projector('EPSG:5186', 'EPSG:5179')(x, y),
        [vx, vy] = projector('EPSG:4326', 'EPSG:5179')(lon, lat);
      expect(Math.abs(ux - vx)).toBeLessThan(0.001);
      expect(Math.abs(uy - vy)).toBeLessThan(0.001);
    }
  });

  it('EPSG:5174 (Bessel, modified central belt) applies the datum shift: within 2 cm of an independent Helmert + TM', () => {
    const f = projector('EPSG:4326', 'EPSG:5174');
    for (const [lon, lat] of POINTS) {
      const [blon, blat] = wgs84ToBessel(lon, lat, KOREA_5174_TOWGS84);
      const [ex, ey] = tmForward(blon, blat, MODIFIED_CENTRAL);
      const [x, y] = f(lon, lat);
      expect(Math.abs(x - ex)).toBeLessThan(0.02);
      expect(Math.abs(y - ey)).toBeLessThan(0.02);
      // Without the shift the same numbers would sit hundreds of metres away (the Tokyo-datum offset).
      const [nx, ny] = tmForward(lon, lat, MODIFIED_CENTRAL);
      expect(Math.hypot(x - nx, y - ny)).toBeGreaterThan(250);
      // And back.
      const [rlon, rlat] = projector('EPSG:5174', 'EPSG:4326')(x, y);
      expect(Math.abs(rlon - lon)).toBeLessThan(1e-7);
      expect(Math.abs(rlat - lat)).toBeLessThan(1e-7);
    }
  });
});
