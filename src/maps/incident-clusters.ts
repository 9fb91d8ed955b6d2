/**
 * Incident clusters for the map (issue 17 item 7): the map asks for the incidents in its view at its zoom
 * and gets clusters (count, centroid) and, zoomed in, single points, so a million incidents draw as a few
 * hundred features and nothing is silently capped.
 *
 * Counts add up exactly: the clusters' and points' counts sum to the number of matching incidents inside
 * the box. A cluster is the incidents of one cell of a 64-px grid (a quadtree level per zoom); cells wholly
 * inside the box are counted whole, and a cell across an edge is counted by descending its quadtree to the
 * incidents near the edge, tested on their exact stored coordinates.
 *
 * Speed (1M incidents, bench/map-clusters.ts): the incidents are sorted once along a Z-order curve into typed
 * arrays, so a cell is a run of rows found by binary search and counted, with its centre, from prefix sums;
 * a view costs a few hundred binary searches plus the work along its edges, instead of supercluster's tree
 * walks and the splitting of clusters across the edges into their children (p99 0.4–0.8 s at zooms 11–13).
 *
 * Indexes are built per (sources allowed for the purpose, filter) and cached, keyed also on
 * `incidentsVersion`, which changes when an import publishes or retention coarsens points.
 */
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import { requirePurpose, sourcesAllowing, type Purpose } from '../privacy/sources';
import type { Store } from '../store/db';
import {
  incidentGridCounts,
  incidentPointDetails,
  incidentsVersion,
  type IncidentFilter,
} from '../store/incident-queries';
import { latY, lngX, MAX_ZOOM, queryClusters, type BBox, type ClusterHit, type ClusterIndex } from './cluster-index';
import { buildClusterIndexFor } from './cluster-index-thread';

/** Indexes kept built, by filter (each 48 bytes a row). */
const CACHED_INDEXES = 4;

/** Parse `west,south,east,north` (WGS84 degrees); a clear problem naming `bbox` otherwise. */
export function parseBbox(text: string | undefined): BBox {
  const expected = 'west,south,east,north in degrees: −180 ≤ west ≤ east ≤ 180, −90 ≤ south ≤ north ≤ 90';
  const bad = (got?: string): never => {
    throw new InputError(msg('maps.badBbox'), [{ field: 'bbox', expected, ...(got ? { got: got.slice(0, 80) } : {}) }]);
  };
  if (!text) return bad();
  const parts = text.split(',');
  if (parts.length !== 4 || parts.some((p) => !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(p.trim()))) return bad(text);
  const [w, s, e, n] = parts.map(Number);
  if (!(w >= -180 && e <= 180 && w <= e && s >= -90 && n <= 90 && s <= n)) return bad(text);
  return [w, s, e, n];
}

export function parseZoom(text: string | undefined): number {
  const z = text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(z >= 0 && z <= MAX_ZOOM))
    throw new InputError(msg('maps.badZoom', { max: MAX_ZOOM }), [
      { field: 'zoom', expected: `a map zoom from 0 to ${MAX_ZOOM}`, ...(text ? { got: text.slice(0, 40) } : {}) },
    ]);
  return z;
}

/**
 * While an index is being built (after the server starts or an import publishes), a view waits for it only
 * when the incidents are few (the build takes well under a second); otherwise it waits `waitMs` and then gets
 * a coarse answer counted by the database, marked `coarse: true` (`waitMs` ≤ 0: at once).
 */
export const clusterBuildPolicy = { waitBelowRows: 100_000, waitMs: 250, rebuildQuietMs: 2_000 };

/** The purposes the map reads under (the route's): the indexes built ahead, one per distinct set of sources. */
const MAP_PURPOSES: Purpose[] = ['crime-analysis', 'patrol-forecasting', 'fairness-audit', 'research'];

interface Entry {
  version: string;
  built: Promise<ClusterIndex>;
  ready?: ClusterIndex;
}
/** Built (or building) indexes by filter, least recently used first; a build is shared by its callers. */
const cache = new Map<string, Entry>();

/**
 * Which database a store reads: its file or server, or for in-memory SQLite the store itself (every
 * in-memory database is called ':memory:', and two of them in one process must not share an index).
 */
const memoryStores = new WeakMap<Store, number>();
let memoryStoresSeen = 0;
function databaseKey(store: Store): string {
  if (store.location !== ':memory:') return store.location;
  let id = memoryStores.get(store);
  if (id === undefined) memoryStores.set(store, (id = ++memoryStoresSeen));
  return `:memory:${id}`;
}

function entryFor(store: Store, f: IncidentFilter, version: string): Entry {
  const key = JSON.stringify([databaseKey(store), f.source, f.sources, f.types, f.origin, f.from, f.to]);
  const hit = cache.get(key);
  cache.delete(key);
  if (hit && hit.version === version) {
    cache.set(key, hit);
    return hit;
  }
  // The version is read before the rows, so an import that lands during the build causes a rebuild next time.
  const entry: Entry = { version, built: buildClusterIndexFor(store, f) };
  entry.built.then(
    (ci) => (entry.ready = ci),
    () => cache.get(key) === entry && cache.delete(key),
  );
  cache.set(key, entry);
  while (cache.size > CACHED_INDEXES) cache.delete(cache.keys().next().value!);
  return entry;
}

/**
 * Build, in the background, the indexes the map's first view will ask for (no filter, the sources each map
 * purpose allows): at server start and when an import publishes. Resolves when they are built.
 */
export async function warmClusterIndexes(store: Store): Promise<ClusterIndex[]> {
  const version = await incidentsVersion(store.db);
  const sets = new Map<string, string[]>();
  for (const p of MAP_PURPOSES) {
    const sources = (await sourcesAllowing(store.db, p)).sort();
    sets.set(JSON.stringify(sources), sources);
  }
  return Promise.all([...sets.values()].map((sources) => entryFor(store, { sources }, version.key).built));
}

/**
 * Run imports, and rebuild the map's indexes ahead once no import has run for `rebuildQuietMs`: a rebuild
 * reads every position, and back-to-back imports (a batch of monthly files, or uploads waiting their turn)
 * each started one, taking CPU from alert intake while the next file imported (bench/import-under-load.ts).
 * Nothing goes stale meanwhile: a view compares the incidents' version with its index's and builds on
 * demand (entryFor), answering coarse counts while it builds. O(1) per import.
 */
export function rebuildAfterImports(store: Store): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  return async (work) => {
    running++;
    clearTimeout(timer);
    try {
      return await work();
    } finally {
      if (--running === 0) {
        timer = setTimeout(
          () => void warmClusterIndexes(store).catch(() => undefined),
          clusterBuildPolicy.rebuildQuietMs,
        );
        timer.unref();
      }
    }
  };
}

/**
 * The coarse answer while the index builds: the view cut into 64-px cells (at most 32 × 32), counted by the
 * database in one scan. Counts are exact (the database's own); a cell's cluster sits at its members' mean and
 * a cell of one is that incident.
 */
export async function coarseClusters(store: Store, f: IncidentFilter, bbox: BBox, zoom: number) {
  const [w, s, e, n] = bbox;
  const px = 512 * 2 ** Math.floor(zoom);
  const cells = (mercatorSpan: number) => Math.max(1, Math.min(32, Math.ceil((mercatorSpan * px) / 64)));
  const grid = await incidentGridCounts(store, f, bbox, cells(lngX(e) - lngX(w)), cells(latY(s) - latY(n)));
  return grid.map((c): ClusterHit & { id?: number } =>
    c.count === 1
      ? { lon: c.sumLon, lat: c.sumLat, count: 1, id: c.firstId }
      : {
          lon: Math.min(e, Math.max(w, c.sumLon / c.count)),
          lat: Math.min(n, Math.max(s, c.sumLat / c.count)),
          count: c.count,
        },
  );
}

export interface ClusterQuery extends Omit<IncidentFilter, 'sources'> {
  bbox?: string;
  zoom?: string;
}

/**
 * GET /api/incidents/clusters: the incidents in view as clusters and points (GeoJSON, WGS84), only from
 * sources that allow `purpose` (naming one that does not is refused and logged, as for the points). A point
 * carries its id, source, type, origin and time, no more than GET /api/incidents gives. `coarse: true` when
 * the index was still being built: the counts are exact, the clusters a coarser grid; ask again shortly.
 */
export async function incidentClusters(store: Store, ledger: Ledger, p: Principal, purpose: Purpose, q: ClusterQuery) {
  const bbox = parseBbox(q.bbox);
  const zoom = parseZoom(q.zoom);
  const { bbox: _b, zoom: _z, ...rest } = q;
  if (rest.source) await requirePurpose(store, ledger, userRef(p.id), rest.source, purpose, 'read incident clusters');
  const filter = { ...rest, sources: (await sourcesAllowing(store.db, purpose)).sort() };
  const version = await incidentsVersion(store.db);
  const entry = entryFor(store, filter, version.key);
  const ci =
    entry.ready ??
    (version.rows < clusterBuildPolicy.waitBelowRows
      ? await entry.built
      : clusterBuildPolicy.waitMs <= 0
        ? undefined
        : await Promise.race([
            entry.built,
            new Promise<undefined>((resolve) => setTimeout(resolve, clusterBuildPolicy.waitMs)),
          ]));
  const hits: (ClusterHit & { id?: number })[] = ci
    ? queryClusters(ci, bbox, zoom).map((h) => (h.row === undefined ? h : { ...h, id: ci.ids[h.row] }))
    : await coarseClusters(store, filter, bbox, zoom);
  const rows = hits.flatMap((h) => (h.id === undefined ? [] : [h.id]));
  const details = new Map((await incidentPointDetails(store.db, rows)).map((r) => [r.id, r]));
  let total = 0;
  const features = hits.map((h) => {
    total += h.count;
    const d = h.id === undefined ? undefined : details.get(h.id);
    return {
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [h.lon, h.lat] as [number, number] },
      properties: d
        ? {
            cluster: false,
            count: 1,
            id: d.id,
            source: d.source,
            type: d.type,
            origin: d.origin,
            occurredAt: d.occurred_at,
          }
        : { cluster: true, count: h.count },
    };
  });
  return {
    type: 'FeatureCollection' as const,
    purpose,
    bbox,
    zoom,
    coarse: !ci,
    total,
    points: rows.length,
    features,
  };
}
