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
import { publishAreaLayer } from '../maps/area-layers';
import { registerBundledSources, requirePurpose } from '../privacy/sources';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { buildSeoulLayers, SEOUL_LAYERS } from './seoul-demo';

export const DEMO_CSV = 'demo/chicago/chicago_crimes_sample_2017_2019.csv';
export const DEMO_AREAS = 'demo/chicago/chicago_community_areas.geojson';

/** The bundled demos (`serve --demo NAME`); Chicago is the default. */
export const DEMOS = ['chicago', 'seoul'] as const;
export type DemoName = (typeof DEMOS)[number];

export function parseDemoName(name: string): DemoName {
  if ((DEMOS as readonly string[]).includes(name)) return name as DemoName;
  throw new InputError(msg('demo.unknown', { name: name.slice(0, 40), known: DEMOS.join(', ') }), [
    { field: '--demo', expected: `one of ${DEMOS.join(', ')}`, got: name.slice(0, 40) },
  ]);
}

/** The taxonomy a demo's data is written in (what `serve` uses unless --taxonomy is given). */
export const DEMO_TAXONOMY: Record<DemoName, string> = {
  chicago: 'config/taxonomy.json',
  seoul: 'config/taxonomy.ko.json',
};

/**
 * First start: load the named demo. Runs once; a marker in `settings` records it (and which demo, for the
 * web app's indicator). A database that holds one demo keeps it: another --demo later changes nothing.
 */
export async function loadDemoIfFirstStart(
  store: Store,
  taxonomyFile: string,
  onProgress?: (b: number, t: number) => void,
  ledger?: Ledger,
  demo: DemoName = 'chicago',
): Promise<string | undefined> {
  if (await getSetting(store.db, 'demo.loaded')) return undefined;
  if (demo === 'seoul') return loadSeoulDemo(store, ledger);
  return loadChicagoDemo(store, taxonomyFile, onProgress, ledger);
}

/**
 * The Chicago sample (25,000 crimes, 2017–2019) and its 77 community areas, plus the city boundary as
 * their union.
 */
async function loadChicagoDemo(
  store: Store,
  taxonomyFile: string,
  onProgress?: (b: number, t: number) => void,
  ledger?: Ledger,
): Promise<string> {
  const areas = readAreaLayer(DEMO_AREAS, { codeField: 'community_area', nameField: 'name' });
  const actor = 'system:counterweight-demo';
  if (ledger) {
    await registerBundledSources(store, ledger);
    await requirePurpose(store, ledger, actor, 'chicago-data-portal', 'crime-analysis', 'demo import');
  }
  const a = await saveAreaLayer(store, 'chicago-community-areas', 'areas', areas, {
    demographics: 'chicago-community-areas-2014',
  });
  const city = unionLayer(areas, 'chicago', 'City of Chicago');
  const j = await saveAreaLayer(store, 'chicago', 'jurisdiction', city);
  const r = await importIncidentFile(store, DEMO_CSV, resolveProfile('chicago'), loadTaxonomy(taxonomyFile), {
    onProgress,
  });
  if (ledger) {
    await recordAreaLayer(ledger, actor, {
      layerId: a.layerId,
      name: 'chicago-community-areas',
      kind: 'areas',
      sha256: areas.sha256,
      areas: a.areas,
    });
    await recordAreaLayer(ledger, actor, {
      layerId: j.layerId,
      name: 'chicago',
      kind: 'jurisdiction',
      sha256: areas.sha256,
      areas: 1,
    });
    await recordImport(ledger, actor, {
      datasetId: r.datasetId,
      source: r.source,
      profile: 'chicago',
      sha256: r.sha256,
      rowsRead: r.rowsRead,
      imported: r.imported,
      duplicates: r.duplicates,
      rejected: r.errorCount,
    });
  }
  // The forecaster computes in Illinois East (US feet), so cells are the 250–600 ft squares analysts expect.
  await setSetting(store.db, 'forecast.jurisdiction', 'chicago');
  await setSetting(store.db, 'forecast.areasLayer', 'chicago-community-areas');
  await setSetting(store.db, 'forecast.crs', 'EPSG:3435');
  await setSetting(store.db, 'demo.name', 'chicago');
  await setSetting(store.db, 'demo.loaded', new Date().toISOString());
  return `demo data: ${r.imported} Chicago incidents (2017–2019), 77 community areas with 2014 demographics, city boundary`;
}

/**
 * Seoul: the 25 districts with residents, CCTV and the five major crimes reported and cleared (aggregate:
 * no incidents), the 423 neighbourhoods, and the city boundary. The agency's time zone is Asia/Seoul and
 * the forecaster computes in UTM-K (EPSG:5179).
 */
async function loadSeoulDemo(store: Store, ledger?: Ledger): Promise<string> {
  const built = buildSeoulLayers();
  const actor = 'system:counterweight-demo';
  if (ledger) {
    await registerBundledSources(store, ledger);
    await requirePurpose(store, ledger, actor, 'seoul-open-data', 'crime-analysis', 'demo import');
    await requirePurpose(store, ledger, actor, 'knpa-crime-statistics', 'crime-analysis', 'demo import');
  }
  const city = unionLayer(built.districts, 'seoul', '서울특별시');
  const layers = [
    {
      name: SEOUL_LAYERS.districts,
      kind: 'areas' as const,
      layer: built.districts,
      sha256: built.districtsSha256,
      demographics: 'seoul-districts-2017',
    },
    {
      name: SEOUL_LAYERS.neighbourhoods,
      kind: 'areas' as const,
      layer: built.neighbourhoods,
      sha256: built.neighbourhoods.sha256,
      demographics: undefined,
    },
    {
      name: SEOUL_LAYERS.city,
      kind: 'jurisdiction' as const,
      layer: city,
      sha256: built.districtsSha256,
      demographics: undefined,
    },
  ];
  for (const l of layers) {
    if (ledger)
      await publishAreaLayer(store, ledger, actor, l.name, l.kind, l.layer, {
        demographics: l.demographics,
        sha256: l.sha256,
      });
    else await saveAreaLayer(store, l.name, l.kind, l.layer, { demographics: l.demographics });
  }
  await setSetting(store.db, 'forecast.jurisdiction', SEOUL_LAYERS.city);
  await setSetting(store.db, 'forecast.crs', 'EPSG:5179');
  await setSetting(store.db, 'forecast.areasLayer', SEOUL_LAYERS.districts);
  await setSetting(store.db, 'agency.timeZone', 'Asia/Seoul');
  await setSetting(store.db, 'demo.name', 'seoul');
  await setSetting(store.db, 'demo.loaded', new Date().toISOString());
  return `demo data: Seoul, ${built.districts.areas.length} districts with residents, CCTV and five major crimes reported/cleared (aggregate, no incidents), ${built.neighbourhoods.areas.length} neighbourhoods, city boundary`;
}

/** The union of a layer's polygons, as a one-feature jurisdiction layer. */
export function unionLayer(layer: AreaLayer, code: string, name: string): AreaLayer {
  const polys = layer.areas.map((a) =>
    a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates,
  );
  const merged = polygonClipping.union(...(polys as [polygonClipping.MultiPolygon, ...polygonClipping.MultiPolygon[]]));
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of merged)
    for (const [lon, lat] of poly[0]) {
      bbox[0] = Math.min(bbox[0], lon);
      bbox[1] = Math.min(bbox[1], lat);
      bbox[2] = Math.max(bbox[2], lon);
      bbox[3] = Math.max(bbox[3], lat);
    }
  return {
    file: layer.file,
    sha256: layer.sha256,
    srcCrs: layer.srcCrs,
    areas: [
      {
        code,
        name,
        bbox,
        attrs: {},
        geometry: { type: 'MultiPolygon', coordinates: merged as [number, number][][][] },
      },
    ],
  };
}
