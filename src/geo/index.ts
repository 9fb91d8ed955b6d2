/**
 * Geometry in the data's projected CRS: projections, polygons, the square grid. The public surface,
 * by name (test/unit/architecture/library-surfaces.test.ts pins it).
 */
export {
  bbox,
  jurisdictionFromGeoJson,
  type MultiPolygon,
  orientRfc7946,
  pointInMultiPolygon,
  pointInRing,
  readGeoJsonPolygons,
  type Ring,
  ringArea,
} from './polygon';
export { buildGrid, cellOf, cellPolygon, type Grid, type GridSpec, spread, stencil } from './grid';
export { crsUnitMetres, projector, utmZoneCode } from './crs';
export { isKnownCrs, toWgs84 } from './epsg';
