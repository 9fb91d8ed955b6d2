/**
 * Where an alert is, for the reviewer's map (issue 17 item 4): a mission's cells, a vendor alert's point
 * or named area, the areas of every areas layer that hold them, and the jurisdiction layers to draw as the
 * patrol boundary. Places only, never the subject: nothing here is personal beyond the alert's own place,
 * which the same (purposed, access-logged) read already returns.
 * O(candidate areas × places × vertices); candidates are found by bounding box in SQL.
 */
import { pointInMultiPolygon, readGeoJsonPolygons } from '../geo';
import type { Executor } from '../store/db';

export interface WhereFeature {
  type: 'Feature';
  properties: { kind: 'cell'; cellId: number; rank: number } | { kind: 'point' } | { kind: 'area'; code: string };
  geometry: { type: string; coordinates: unknown };
}
export interface AlertWhere {
  /** WGS84 features to draw: cells (polygons), a point, or the named area's polygon. */
  features: WhereFeature[];
  /** Areas holding the places (a cell counts by its centre), most places first. */
  areas: { layer: string; code: string; name: string; places: number }[];
  /** Those areas' outlines (WGS84), so the map shows what the names refer to. */
  outlines: { type: 'Feature'; properties: { layer: string; code: string }; geometry: unknown }[];
  /** Jurisdiction layers whose extent meets the places: the patrol boundary, drawn from GET /api/layers/NAME. */
  boundaries: string[];
}

type Box = [number, number, number, number];
const lonLat = (p: unknown): p is [number, number] =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === 'number' &&
  typeof p[1] === 'number' &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90;

/** The cells of a patrol-mission output (the release contract in src/forecast-service/missions.ts); others are skipped. */
function missionCells(output: Record<string, unknown>) {
  if (!Array.isArray(output.cells)) return [];
  return output.cells.flatMap((c: unknown) => {
    const cell = c as { cellId?: unknown; rank?: unknown; ring?: unknown };
    const ring = cell?.ring;
    if (!Array.isArray(ring) || ring.length < 4 || !ring.every(lonLat)) return [];
    return [{ cellId: Number(cell.cellId), rank: Number(cell.rank), ring: ring as [number, number][] }];
  });
}

/** The centre of a closed ring (its vertices but the closing one), as src/forecast-service/fairness.ts places cells. */
const centre = (ring: [number, number][]): [number, number] => {
  const open = ring.slice(0, -1);
  return [open.reduce((s, p) => s + p[0], 0) / open.length, open.reduce((s, p) => s + p[1], 0) / open.length];
};

function overlapping(db: Executor, kind: 'areas' | 'jurisdiction', b: Box) {
  return db
    .selectFrom('areas')
    .innerJoin('area_layers', 'area_layers.id', 'areas.layer_id')
    .where('area_layers.kind', '=', kind)
    .where('areas.min_lon', '<=', b[2])
    .where('areas.max_lon', '>=', b[0])
    .where('areas.min_lat', '<=', b[3])
    .where('areas.max_lat', '>=', b[1]);
}

/** Where `alert` is, or null when it carries no place (then the page shows no map). */
export async function alertWhere(
  db: Executor,
  alert: { place: unknown; output: Record<string, unknown> },
): Promise<AlertWhere | null> {
  const features: WhereFeature[] = [];
  const points: [number, number][] = [];
  for (const c of missionCells(alert.output)) {
    features.push({
      type: 'Feature',
      properties: { kind: 'cell', cellId: c.cellId, rank: c.rank },
      geometry: { type: 'Polygon', coordinates: [c.ring] },
    });
    points.push(centre(c.ring));
  }
  const place = alert.place as { lon?: unknown; lat?: unknown; area?: unknown } | null;
  const areas: AlertWhere['areas'] = [];
  const outlines: AlertWhere['outlines'] = [];
  let extent: Box | null = null;
  if (place && lonLat([place.lon, place.lat])) {
    const p: [number, number] = [place.lon as number, place.lat as number];
    features.push({ type: 'Feature', properties: { kind: 'point' }, geometry: { type: 'Point', coordinates: p } });
    points.push(p);
  } else if (place && typeof place.area === 'string') {
    // A named area (its code in any areas layer): drawn as itself.
    const rows = await db
      .selectFrom('areas')
      .innerJoin('area_layers', 'area_layers.id', 'areas.layer_id')
      .select([
        'area_layers.name as layer',
        'areas.code',
        'areas.name',
        'areas.geometry',
        'areas.min_lon',
        'areas.min_lat',
        'areas.max_lon',
        'areas.max_lat',
      ])
      .where('area_layers.kind', '=', 'areas')
      .where('areas.code', '=', place.area)
      .orderBy('area_layers.name')
      .execute();
    for (const r of rows) {
      features.push({ type: 'Feature', properties: { kind: 'area', code: r.code }, geometry: JSON.parse(r.geometry) });
      areas.push({ layer: r.layer, code: r.code, name: r.name, places: 1 });
      extent = extent
        ? [
            Math.min(extent[0], r.min_lon),
            Math.min(extent[1], r.min_lat),
            Math.max(extent[2], r.max_lon),
            Math.max(extent[3], r.max_lat),
          ]
        : [r.min_lon, r.min_lat, r.max_lon, r.max_lat];
    }
  }
  if (points.length > 0) {
    extent = [
      Math.min(...points.map((p) => p[0])),
      Math.min(...points.map((p) => p[1])),
      Math.max(...points.map((p) => p[0])),
      Math.max(...points.map((p) => p[1])),
    ];
    const candidates = await overlapping(db, 'areas', extent)
      .select(['area_layers.name as layer', 'areas.code', 'areas.name', 'areas.geometry'])
      .orderBy('area_layers.name')
      .orderBy('areas.code')
      .execute();
    for (const a of candidates) {
      const mp = readGeoJsonPolygons(JSON.parse(a.geometry), `areas layer ${a.layer}, area ${a.code}`);
      const places = points.filter((p) => pointInMultiPolygon(mp, p[0], p[1])).length;
      if (places === 0) continue;
      areas.push({ layer: a.layer, code: a.code, name: a.name, places });
      outlines.push({
        type: 'Feature',
        properties: { layer: a.layer, code: a.code },
        geometry: JSON.parse(a.geometry),
      });
    }
    areas.sort((a, b) => b.places - a.places || a.layer.localeCompare(b.layer) || a.name.localeCompare(b.name));
  }
  if (!extent) return null;
  const boundaries = await overlapping(db, 'jurisdiction', extent)
    .select('area_layers.name as layer')
    .distinct()
    .orderBy('area_layers.name')
    .execute();
  return { features, areas, outlines, boundaries: boundaries.map((b) => b.layer) };
}
