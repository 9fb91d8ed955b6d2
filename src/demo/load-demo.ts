import polygonClipping from 'polygon-clipping';
import { resolveProfile } from '../ingest/profiles';
import { readAreaLayer, type AreaLayer } from '../ingest/read-areas';
import { loadTaxonomy } from '../ingest/taxonomy';
import { saveAreaLayer } from '../store/areas';
import type { Store } from '../store/db';
import { importIncidentFile } from '../store/incidents';
import { getSetting, setSetting } from '../store/settings';
import type { Ledger } from '../ledger-service/ledger';
import { recordAreaLayer, recordImport } from '../ledger-service/events';
import { registerBundledSources, requirePurpose } from '../privacy/sources';

export const DEMO_CSV = 'demo/chicago/chicago_crimes_sample_2017_2019.csv';
export const DEMO_AREAS = 'demo/chicago/chicago_community_areas.geojson';

/**
 * First start: load the bundled Chicago sample (25,000 crimes, 2017–2019) and its 77 community areas,
 * plus the city boundary as their union. Runs once; a marker in `settings` records it.
 */
export async function loadDemoIfFirstStart(store: Store, taxonomyFile: string, onProgress?: (b: number, t: number) => void, ledger?: Ledger): Promise<string | undefined> {
  if (await getSetting(store.db, 'demo.loaded')) return undefined;
  const areas = readAreaLayer(DEMO_AREAS, { codeField: 'community_area', nameField: 'name' });
  const actor = 'system:counterweight-demo';
  if (ledger) {
    await registerBundledSources(store, ledger);
    await requirePurpose(store, ledger, actor, 'chicago-data-portal', 'crime-analysis', 'demo import');
  }
  const a = await saveAreaLayer(store, 'chicago-community-areas', 'areas', areas, { demographics: 'chicago-community-areas-2014' });
  const city = unionLayer(areas, 'chicago', 'City of Chicago');
  const j = await saveAreaLayer(store, 'chicago', 'jurisdiction', city);
  const r = await importIncidentFile(store, DEMO_CSV, resolveProfile('chicago'), loadTaxonomy(taxonomyFile), { onProgress });
  if (ledger) {
    await recordAreaLayer(ledger, actor, { layerId: a.layerId, name: 'chicago-community-areas', kind: 'areas', sha256: areas.sha256, areas: a.areas });
    await recordAreaLayer(ledger, actor, { layerId: j.layerId, name: 'chicago', kind: 'jurisdiction', sha256: areas.sha256, areas: 1 });
    await recordImport(ledger, actor, { datasetId: r.datasetId, source: r.source, profile: 'chicago', sha256: r.sha256, rowsRead: r.rowsRead, imported: r.imported, duplicates: r.duplicates, rejected: r.errorCount });
  }
  // The forecaster computes in Illinois East (US feet), so cells are the 250–600 ft squares analysts expect.
  await setSetting(store.db, 'forecast.jurisdiction', 'chicago');
  await setSetting(store.db, 'forecast.areasLayer', 'chicago-community-areas');
  await setSetting(store.db, 'forecast.crs', 'EPSG:3435');
  await setSetting(store.db, 'demo.loaded', new Date().toISOString());
  return `demo data: ${r.imported} Chicago incidents (2017–2019), 77 community areas with 2014 demographics, city boundary`;
}

/** The union of a layer's polygons, as a one-feature jurisdiction layer. */
export function unionLayer(layer: AreaLayer, code: string, name: string): AreaLayer {
  const polys = layer.areas.map((a) => (a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates));
  const merged = polygonClipping.union(...(polys as [polygonClipping.MultiPolygon, ...polygonClipping.MultiPolygon[]]));
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of merged) for (const [lon, lat] of poly[0]) {
    bbox[0] = Math.min(bbox[0], lon); bbox[1] = Math.min(bbox[1], lat); bbox[2] = Math.max(bbox[2], lon); bbox[3] = Math.max(bbox[3], lat);
  }
  return {
    file: layer.file, sha256: layer.sha256, srcCrs: layer.srcCrs,
    areas: [{ code, name, bbox, attrs: {}, geometry: { type: 'MultiPolygon', coordinates: merged as [number, number][][][] } }],
  };
}
