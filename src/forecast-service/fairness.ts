/**
 * Fairness-aware missions for a stored forecast: residents of each candidate cell by group (the cell's
 * share of its community area's area × the area's residents, 2014 ACS counts), then the pure planner
 * (src/fairness/fair-missions.ts) keeps exposure disparity within a bound, and the trade-off curve
 * (PAI kept against disparity) shows what each bound costs. O(cells × areas) to attribute residents.
 */
import { InputError } from '../domain/errors';
import { chicagoDemographics } from '../fairness/place-audit';
import { fairnessTradeoff, planFairMissions, type FairMissionInput } from '../fairness/fair-missions';
import { bbox, multiPolygonArea, pointInMultiPolygon, projector, readGeoJsonPolygons, type MultiPolygon } from '../geo';
import { layerGeoJson } from '../store/areas';
import type { Executor } from '../store/db';
import { getSetting } from '../store/settings';
import type { StoredCell } from './forecasts';

/** Residents per candidate cell by group, in the forecast's CRS. */
export async function cellResidents(db: Executor, cells: StoredCell[], crs: string): Promise<FairMissionInput['residents']> {
  const name = (await getSetting(db, 'forecast.areasLayer')) ?? 'chicago-community-areas';
  const layer = await layerGeoJson(db, name);
  if (!layer || layer.kind !== 'areas') throw new InputError(`no areas layer "${name}" with demographics`, [{ field: 'areasLayer', expected: 'an imported areas layer (e.g. the Chicago community areas)' }]);
  const demo = chicagoDemographics(layer.features);
  const project = projector('EPSG:4326', crs);
  const shapes = layer.features.map((f, i) => {
    const mp: MultiPolygon = readGeoJsonPolygons(f.geometry, `${name} feature ${i}`);
    const projected = mp.map((poly) => poly.map((ring) => ring.map(([x, y]) => project(x, y))));
    return { mp, box: bbox(mp), size: multiPolygonArea(projected) };
  });
  const groups = Object.keys(demo[0]?.residents ?? {});
  const out: Record<string, Float64Array> = Object.fromEntries(groups.map((g) => [g, new Float64Array(cells.length)]));
  cells.forEach((c, k) => {
    const ring = c.ring.slice(0, -1);
    const [lon, lat] = [ring.reduce((s, q) => s + q[0], 0) / ring.length, ring.reduce((s, q) => s + q[1], 0) / ring.length];
    const a = shapes.findIndex((s) => lon >= s.box[0] && lon <= s.box[2] && lat >= s.box[1] && lat <= s.box[3] && pointInMultiPolygon(s.mp, lon, lat));
    if (a < 0 || !(shapes[a].size > 0)) return;
    const share = Math.min(1, c.area / shapes[a].size);
    for (const g of groups) out[g][k] = demo[a].residents[g] * share;
  });
  return out;
}

export function fairInput(cells: StoredCell[], residents: FairMissionInput['residents'], budget: number): FairMissionInput {
  return { risk: Float64Array.from(cells, (c) => c.risk), residents, budget, area: Float64Array.from(cells, (c) => c.area), minResidents: 1000 };
}

export { fairnessTradeoff, planFairMissions };
