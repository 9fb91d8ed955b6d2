import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { InputError, preview, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import { isKnownCrs, toWgs84 } from '../geo';

export type Ring = [number, number][];
export type AreaGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

export interface AreaRecord {
  code: string;
  name: string;
  /** WGS84 lon/lat. */
  geometry: AreaGeometry;
  bbox: [number, number, number, number];
  /** Numeric and short text attributes, e.g. population by group. */
  attrs: Record<string, string | number | null>;
}

export interface AreaLayer {
  file: string;
  sha256: string;
  srcCrs: string;
  areas: AreaRecord[];
}

export interface AreaOptions {
  /** Property holding the area's code; default: the first of code, id, community_area, DISTRICT, OBJECTID. */
  codeField?: string;
  nameField?: string;
  /** Source CRS when the file does not say (GeoJSON is WGS84 by RFC 7946; older files carry a `crs` member). */
  crs?: string;
  maxBytes?: number;
}

const CODE_FIELDS = ['code', 'id', 'community_area', 'DISTRICT', 'district', 'OBJECTID'];
const NAME_FIELDS = ['name', 'NAME', 'community', 'DISTRICT', 'district'];

function crsOf(json: any): string | undefined {
  const name: unknown = json?.crs?.properties?.name;
  if (typeof name !== 'string') return undefined;
  const m = /EPSG:+(\d+)/i.exec(name);
  if (m) return `EPSG:${m[1]}`;
  if (/CRS84/i.test(name)) return 'EPSG:4326';
  return name;
}

/**
 * Read a GeoJSON FeatureCollection of Polygon/MultiPolygon areas, validate every ring and project it to
 * WGS84. Errors name the feature index and the property or coordinate path. O(vertices).
 */
export function readAreaLayer(file: string, opts: AreaOptions = {}): AreaLayer {
  const maxBytes = opts.maxBytes ?? 200 * 1024 * 1024;
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new InputError(msg('ingest.cannotRead', { file, reason: (e as Error).message }), [
      { file, expected: 'a readable GeoJSON file' },
    ]);
  }
  if (size > maxBytes)
    throw new InputError(msg('ingest.tooLarge', { file, size, max: maxBytes }), [
      { file, expected: `at most ${maxBytes} bytes` },
    ]);
  const buf = readFileSync(file);
  let json: any;
  try {
    json = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, '')); // a BOM is not JSON
  } catch (e) {
    throw new InputError(msg('ingest.notJson', { file, reason: (e as Error).message }), [
      { file, expected: 'a GeoJSON FeatureCollection' },
    ]);
  }
  return parseAreaLayer(json, file, createHash('sha256').update(buf).digest('hex'), opts);
}

export function parseAreaLayer(json: any, file: string, sha256: string, opts: AreaOptions = {}): AreaLayer {
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new InputError(msg('ingest.notFeatureCollection', { file }), [
      { file, field: 'type', expected: '"FeatureCollection" with a features array', got: preview(json?.type) },
    ]);
  }
  const declared = crsOf(json);
  if (declared && opts.crs && declared !== opts.crs) {
    throw new InputError(msg('ingest.crsConflict', { file, declared, given: opts.crs }), [
      { file, field: 'crs', expected: opts.crs, got: declared },
    ]);
  }
  const srcCrs = opts.crs ?? declared ?? 'EPSG:4326';
  if (!isKnownCrs(srcCrs))
    throw new InputError(msg('geo.unknownCrs', { crs: preview(srcCrs) }), [
      { file, field: 'crs', expected: 'EPSG:4326, 3857, 2913, 3435, 2278, 5179, 5186 or 5174' },
    ]);
  const project = toWgs84(srcCrs);
  const errors: Where[] = [];
  const areas: AreaRecord[] = [];
  const codes = new Set<string>();

  json.features.forEach((f: any, i: number) => {
    const at = (field: string, expected: string, got?: unknown) =>
      errors.push({
        file,
        row: i + 1,
        field: `features[${i}].${field}`,
        expected,
        got: got === undefined ? undefined : preview(got),
      });
    const props = f?.properties ?? {};
    const codeField = opts.codeField ?? CODE_FIELDS.find((k) => props[k] !== undefined && props[k] !== null);
    const nameField = opts.nameField ?? NAME_FIELDS.find((k) => typeof props[k] === 'string') ?? codeField;
    const code = codeField ? String(props[codeField] ?? '').trim() : '';
    if (!code || code.length > 64 || /[\u0000-\u001f]/.test(code))
      return at(
        `properties.${codeField ?? 'code'}`,
        'an area code of 1–64 printable characters',
        props[codeField ?? 'code'],
      );
    if (codes.has(code)) return at(`properties.${codeField}`, 'a unique area code', code);
    codes.add(code);
    const geom = f?.geometry;
    if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon'))
      return at('geometry.type', 'Polygon or MultiPolygon', geom?.type);
    const polys: any[] = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
    if (!Array.isArray(polys) || polys.length === 0) return at('geometry.coordinates', 'at least one polygon');
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    const out: Ring[][] = [];
    for (let p = 0; p < polys.length; p++) {
      const rings = polys[p];
      if (!Array.isArray(rings) || rings.length === 0)
        return at(`geometry.coordinates[${p}]`, 'a polygon with at least one ring');
      const outRings: Ring[] = [];
      for (let r = 0; r < rings.length; r++) {
        const ring = rings[r];
        if (!Array.isArray(ring) || ring.length < 4)
          return at(`geometry.coordinates[${p}][${r}]`, 'a ring of at least 4 positions');
        const projected: Ring = [];
        for (let k = 0; k < ring.length; k++) {
          const pos = ring[k];
          if (!Array.isArray(pos) || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1]))
            return at(`geometry.coordinates[${p}][${r}][${k}]`, 'a position [x, y] of finite numbers', pos);
          const [lon, lat] = project(pos[0], pos[1]);
          if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
            return at(
              `geometry.coordinates[${p}][${r}][${k}]`,
              `coordinates in ${srcCrs} (they project outside lon/lat; is the file in another CRS? pass --crs)`,
              pos,
            );
          }
          projected.push([lon, lat]);
          if (lon < bbox[0]) bbox[0] = lon;
          if (lat < bbox[1]) bbox[1] = lat;
          if (lon > bbox[2]) bbox[2] = lon;
          if (lat > bbox[3]) bbox[3] = lat;
        }
        const [a, b] = [ring[0], ring[ring.length - 1]];
        if (a[0] !== b[0] || a[1] !== b[1])
          return at(`geometry.coordinates[${p}][${r}]`, 'a closed ring (first position equals last)');
        outRings.push(projected);
      }
      out.push(outRings);
    }
    const attrs: AreaRecord['attrs'] = {};
    for (const [k, v] of Object.entries(props)) {
      if (typeof v === 'number' && Number.isFinite(v)) attrs[k] = v;
      else if (typeof v === 'string' && v.length <= 200) attrs[k] = v;
    }
    const name = String(props[nameField ?? ''] ?? code).slice(0, 200);
    areas.push({
      code,
      name,
      bbox,
      attrs,
      geometry:
        geom.type === 'Polygon' ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out },
    });
  });
  if (errors.length) throw new InputError(msg('ingest.badFeatures', { file, count: errors.length }), errors);
  if (areas.length === 0)
    throw new InputError(msg('ingest.noFeatures', { file }), [
      { file, expected: 'at least one Polygon or MultiPolygon feature' },
    ]);
  return { file, sha256, srcCrs, areas };
}
