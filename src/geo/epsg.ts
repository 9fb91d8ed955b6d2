import proj4 from 'proj4';

/**
 * The coordinate reference systems the bundled profiles use, as proj4 strings (from the EPSG registry).
 * Units matter: EPSG:2913 is in INTERNATIONAL feet (0.3048 m), EPSG:3435 and 2278 in US survey feet.
 */
const DEFINITIONS: Record<string, string> = {
  'EPSG:2913':
    '+proj=lcc +lat_0=43.6666666666667 +lon_0=-120.5 +lat_1=46 +lat_2=44.3333333333333 +x_0=2500000.0001424 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs',
  'EPSG:3435':
    '+proj=tmerc +lat_0=36.6666666666667 +lon_0=-88.3333333333333 +k=0.999975 +x_0=300000.0000000001 +y_0=0 +datum=NAD83 +units=us-ft +no_defs',
  'EPSG:2278':
    '+proj=lcc +lat_0=27.8333333333333 +lon_0=-99 +lat_1=30.2833333333333 +lat_2=28.3833333333333 +x_0=600000 +y_0=3999999.9998984 +datum=NAD83 +units=us-ft +no_defs',
  // Korea. 5179 Korea 2000 / Unified CS (UTM-K: road-name address maps, KOSTAT boundaries);
  // 5186 Korea 2000 / Central Belt 2010 (cadastre since 2010). Korea 2000 is GRS80 and ITRF-based: no shift.
  'EPSG:5179':
    '+proj=tmerc +lat_0=38 +lon_0=127.5 +k=0.9996 +x_0=1000000 +y_0=2000000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  'EPSG:5186':
    '+proj=tmerc +lat_0=38 +lon_0=127 +k=1 +x_0=200000 +y_0=600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  // 5174 Korean 1985 / Modified Central Belt: Bessel 1841, the meridian moved 10.405" east (127°00'10.405");
  // without the 7-parameter shift to WGS84 (NGII, coordinate-frame rotation) points land ~300 m off.
  'EPSG:5174':
    '+proj=tmerc +lat_0=38 +lon_0=127.0028902777778 +k=1 +x_0=200000 +y_0=500000 +ellps=bessel +towgs84=-145.907,505.034,685.756,-1.162,2.347,1.592,6.342 +units=m +no_defs',
};
for (const [code, def] of Object.entries(DEFINITIONS)) proj4.defs(code, def);

export function isKnownCrs(code: string): boolean {
  try {
    return proj4.defs(code) !== undefined;
  } catch {
    return false;
  }
}

/** Register an extra CRS (e.g. from a generic import mapping file) given its proj4 string. */
export function defineCrs(code: string, proj4String: string): void {
  proj4.defs(code, proj4String);
}

/** A function from source coordinates to WGS84 [lon, lat]; the identity for EPSG:4326. */
export function toWgs84(code: string): (x: number, y: number) => [number, number] {
  if (code === 'EPSG:4326') return (x, y) => [x, y];
  const conv = proj4(code, 'EPSG:4326');
  return (x, y) => conv.forward([x, y]) as [number, number];
}

export function fromWgs84(code: string): (lon: number, lat: number) => [number, number] {
  if (code === 'EPSG:4326') return (x, y) => [x, y];
  const conv = proj4('EPSG:4326', code);
  return (lon, lat) => conv.forward([lon, lat]) as [number, number];
}
