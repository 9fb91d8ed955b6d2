/**
 * The place model behind fair missions, the trade-off curve and the place audit: the areas layer
 * (`forecast.areasLayer` setting or the one named), its residents by group as its demographics
 * declaration says (config/demographics/<id>.json), which area holds each cell's centre, and
 * citizen-reported victimization by area over a stated period (incidents placed by their coordinates,
 * so any place works). One model, so the planner and the audit judge a plan the same way.
 * O(areas × groups) to load; O(cells × areas) to place cells; O(incidents × areas) for victimization.
 */
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import {
  areaDemographics,
  loadDemographicsDeclaration,
  type AreaDemographics,
  type DemographicsDeclaration,
  exposureBasis,
  type ExposureBasis,
  type ExposureGroup,
} from '../fairness';
import { bbox, pointInMultiPolygon, readGeoJsonPolygons, type MultiPolygon } from '../geo';
import { layerGeoJson } from '../store/areas';
import type { Executor, Store } from '../store/db';
import { readRows } from '../store/read-thread';
import { getSetting } from '../store/settings';

export interface PlaceModel {
  layer: string;
  declaration: DemographicsDeclaration;
  areas: AreaDemographics[];
  groups: ExposureGroup[];
  /** Index of the area holding a WGS84 point, −1 outside every area. */
  areaOf(lon: number, lat: number): number;
}

/** Load an areas layer with its declared demographics; refuses a layer that declares none. */
export async function loadPlaceModel(db: Executor, layerName?: string): Promise<PlaceModel> {
  const name = layerName ?? (await getSetting(db, 'forecast.areasLayer'));
  if (!name)
    throw new InputError(msg('demographics.noLayer', { layer: '(forecast.areasLayer not set)' }), [
      { field: 'areasLayer', expected: 'the name of an imported areas layer with a demographics declaration' },
    ]);
  const layer = await layerGeoJson(db, name);
  if (!layer || layer.kind !== 'areas')
    throw new InputError(msg('demographics.noLayer', { layer: name }), [
      {
        field: 'areasLayer',
        expected: 'the name of an imported areas layer with a demographics declaration',
        got: name,
      },
    ]);
  if (!layer.demographics)
    throw new InputError(msg('demographics.noDeclaration', { layer: name }), [
      { field: 'areasLayer', expected: 'a layer imported with --demographics ID', got: name },
    ]);
  return placeModel(name, layer.features, loadDemographicsDeclaration(layer.demographics));
}

/** The place model of WGS84 area features and their declaration (no store needed). */
export function placeModel(
  name: string,
  features: { geometry: unknown; properties?: Record<string, unknown> | null }[],
  declaration: DemographicsDeclaration,
): PlaceModel {
  const areas = areaDemographics(features, declaration);
  const shapes: { mp: MultiPolygon; box: [number, number, number, number] }[] = features.map((f, i) => {
    const mp = readGeoJsonPolygons(f.geometry, `${name} feature ${i}`);
    return { mp, box: bbox(mp) };
  });
  return {
    layer: name,
    declaration,
    areas,
    groups: declaration.groups.map((g) => ({ id: g.id, label: g.label, overlapsOthers: g.overlapsOthers })),
    // O(areas) per point with a bounding-box test first.
    areaOf: (lon, lat) =>
      shapes.findIndex(
        (s) =>
          lon >= s.box[0] &&
          lon <= s.box[2] &&
          lat >= s.box[1] &&
          lat <= s.box[3] &&
          pointInMultiPolygon(s.mp, lon, lat),
      ),
  };
}

/** The area holding the centre of each cell (WGS84 exterior ring, closed). */
export function cellAreas(model: PlaceModel, rings: [number, number][][]): Int32Array {
  return Int32Array.from(rings, (r) => {
    const ring = r.slice(0, -1);
    return model.areaOf(
      ring.reduce((s, q) => s + q[0], 0) / ring.length,
      ring.reduce((s, q) => s + q[1], 0) / ring.length,
    );
  });
}

/** Incidents placed between turns of the event loop (~10 ms of point-in-polygon tests on a large layer). */
const PLACE_STEP = 5_000;

/**
 * Citizen-reported incidents by area in [from, to) (UTC ISO); refuses an empty period. The rows are read on a
 * reader thread (read-thread.ts) and placed here in steps with a turn of the event loop between them: in one
 * piece, at 500,000 incidents, a trade-off curve's victimization held every request, alert intake included,
 * for 1.6 s. O(incidents × log areas).
 */
export async function victimizationByArea(
  store: Store,
  model: PlaceModel,
  from: string,
  to: string,
): Promise<{ counts: Float64Array; total: number; outside: number }> {
  const [rows] = await readRows(
    store,
    store.db
      .selectFrom('incidents')
      .select(['lon', 'lat'])
      .where('origin', '=', 'citizen')
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<', to),
  );
  const counts = new Float64Array(model.areas.length);
  let outside = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = model.areaOf(rows[i].lon, rows[i].lat);
    if (a >= 0) counts[a]++;
    else outside++;
    if (i % PLACE_STEP === PLACE_STEP - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  const total = rows.length - outside;
  if (total === 0)
    throw new InputError(msg('fairness.emptyVictimization', { from, to, layer: model.layer }), [
      {
        field: 'victimizationPeriod',
        expected: `citizen-reported incidents inside ${model.layer} between ${from} and ${to}`,
        got: '0',
      },
    ]);
  return { counts, total, outside };
}

/** Days of citizen-reported victimization before a forecast's window that the fairness bound compares with. */
export async function victimizationDays(db: Executor): Promise<number> {
  const v = Number((await getSetting(db, 'fairness.victimizationDays')) ?? 365);
  return Number.isInteger(v) && v >= 7 && v <= 3650 ? v : 365;
}

/** The exposure model for a forecast made as of `asOf`: residents by group, victimization over the year before. */
export async function basisForForecast(
  store: Store,
  model: PlaceModel,
  asOf: string,
): Promise<{
  basis: ExposureBasis;
  period: { from: string; to: string };
  outside: number;
  victimization: Float64Array;
}> {
  const days = await victimizationDays(store.db);
  const to = new Date(Date.parse(asOf.length === 10 ? `${asOf}T00:00:00Z` : asOf));
  const from = new Date(to.getTime() - days * 86_400_000);
  const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
  const period = { from: iso(from), to: iso(to) };
  const v = await victimizationByArea(store, model, period.from, period.to);
  return {
    basis: exposureBasis({ areas: model.areas, groups: model.groups, victimization: v.counts, period }),
    period,
    outside: v.outside,
    victimization: v.counts,
  };
}
