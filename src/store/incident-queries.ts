import { sql } from 'kysely';
import type { Executor, Store } from './db';
import { readJson, readRows } from './read-thread';

export interface IncidentFilter {
  types?: string[];
  origin?: 'citizen' | 'officer';
  /** Inclusive lower bound, UTC ISO. */
  from?: string;
  /** Exclusive upper bound, UTC ISO. */
  to?: string;
  source?: string;
  /** Only these sources (purpose limitation: the sources that allow the read's purpose). */
  sources?: string[];
}

/**
 * `scan`: for reads of most of the table (the map's positions and grid counts), the source is compared as
 * `source || ''`, which no index serves: through the (source, source_id) index SQLite fetched each of a million
 * rows by a random lookup (read 200,000 positions: 3.0 s, by a scan 0.3 s; bench/map-clusters.ts).
 */
function filtered(db: Executor, f: IncidentFilter, scan = false) {
  let q = db.selectFrom('incidents');
  const source = scan ? sql<string>`(source || '')` : sql.ref<string>('source');
  if (f.types?.length) q = q.where('type', 'in', f.types);
  if (f.origin) q = q.where('origin', '=', f.origin);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<', f.to);
  if (f.source) q = q.where(source, '=', f.source);
  if (f.sources) q = f.sources.length ? q.where(source, 'in', f.sources) : q.where(sql<boolean>`1 = 0`);
  return q;
}

const featureColumns = [
  'id',
  'source',
  'source_id',
  'type',
  'subtype',
  'origin',
  'occurred_at',
  'time_precision',
  'lon',
  'lat',
  'area',
] as const;

/**
 * Incidents as GeoJSON points (WGS84), newest first, at most `limit`: the features' JSON (UTF-8), their number,
 * and how many match in all, in one snapshot, built on a reader thread (read-thread.ts `readJson`). The points
 * are read down the time index (the `scan` form of the source filter keeps SQLite off the source index,
 * through which it sorted every matching row: 500,000 incidents, 10,000 newest: 6.9 s instead of 0.2 s),
 * O(limit / share of rows matching); the count uses the source index.
 */
export async function incidentFeatures(store: Store, f: IncidentFilter, limit: number) {
  const {
    json,
    count,
    others: [[total]],
  } = await readJson(
    store,
    'incident-features',
    filtered(store.db, f, true)
      .select(featureColumns)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit),
    filtered(store.db, f).select((eb) => eb.fn.countAll<number>().as('n')),
  );
  return { featuresJson: json, returned: count, matched: Number(total.n) };
}

/**
 * Counts by type and origin, the time span, and every source's count and bounds: what a person needs to choose
 * filters (the incident map loads it on every visit). Three scans of the table, O(n), in one snapshot on a
 * reader thread: on the serving thread they held every request for 2.4 s at 500,000 incidents.
 */
export async function incidentSummary(store: Store, source?: string) {
  let q = store.db.selectFrom('incidents');
  if (source) q = q.where(sql<string>`(source || '')`, '=', source); // a scan, not a lookup per row (see `filtered`)
  const [byType, [span], bounds] = await readRows(
    store,
    q
      .select(['type', 'origin', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['type', 'origin'])
      .orderBy('type'),
    q.select((eb) => [
      eb.fn.min('occurred_at').as('first'),
      eb.fn.max('occurred_at').as('last'),
      eb.fn.countAll<number>().as('total'),
    ]),
    sourceBoundsQuery(store.db),
  );
  return {
    total: Number(span.total),
    first: (span.first as string | null) ?? null,
    last: (span.last as string | null) ?? null,
    types: byType.map((t) => ({ type: t.type, origin: t.origin as 'citizen' | 'officer', count: Number(t.n) })),
    // Every source, whichever is selected: the map's source selector lists them and fits their bounds.
    sources: bounds.map(boundsOf),
  };
}

/** Imported files: source, hash, counts, who imported them and when; newest first. */
export async function listDatasets(db: Executor) {
  return db.selectFrom('datasets').selectAll().orderBy('started_at', 'desc').execute();
}

// --- map clusters (issue 17 item 7) ---

/**
 * Id and position of every matching incident, as columns, for the cluster index (src/maps). One pass over the
 * table, O(n), in windows of `window` ids with a turn of the event loop between them: the index is built in the
 * background while the server answers (one SQLite connection is not held for the whole scan). Windows of 4,000
 * rows keep each synchronous read to a few ms (20,000 held the event loop for tens of ms while intake waited).
 */
export async function incidentPositions(store: Store, f: IncidentFilter, window = 4_000) {
  const ids: number[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const span = await store.db
    .selectFrom('incidents')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .executeTakeFirstOrThrow();
  if (span.first === null || span.last === null) return { ids, lon, lat };
  for (let from = Number(span.first); from <= Number(span.last); from += window) {
    const q = filtered(store.db, f, true)
      .where('id', '>=', from)
      .where('id', '<', from + window)
      .select(['id', 'lon', 'lat']);
    if (store.sqlite) {
      // Rows as arrays, not objects: several times faster than through the query builder's rows.
      const c = q.compile();
      const rows = store.sqlite
        .prepare(c.sql)
        .raw(true)
        .all(...(c.parameters as unknown[])) as [number, number, number][];
      for (const r of rows) {
        ids.push(r[0]);
        lon.push(r[1]);
        lat.push(r[2]);
      }
    } else
      for (const r of await q.execute()) {
        ids.push(Number(r.id));
        lon.push(Number(r.lon));
        lat.push(Number(r.lat));
      }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ids, lon, lat };
}

/**
 * The matching incidents inside `bbox` on a cols × rows grid over it, in one scan: per non-empty cell its
 * count, the sums of lon and lat, and its smallest id (the incident itself when the count is 1). The map's
 * coarse answer while the cluster index is being built; counts are the database's own. A scan, O(n), on a
 * reader thread.
 */
export async function incidentGridCounts(
  store: Store,
  f: IncidentFilter,
  bbox: [number, number, number, number],
  cols: number,
  rows: number,
) {
  const [w, s, e, n] = bbox;
  const cw = (e - w) / cols || 1;
  const ch = (n - s) / rows || 1;
  const [r] = await readRows(
    store,
    filtered(store.db, f, true)
      .where('lon', '>=', w)
      .where('lon', '<=', e)
      .where('lat', '>=', s)
      .where('lat', '<=', n)
      .select((eb) => [
        sql<number>`floor((lon - ${w}) / ${cw})`.as('cx'),
        sql<number>`floor((lat - ${s}) / ${ch})`.as('cy'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('lon').as('sum_lon'),
        eb.fn.sum<number>('lat').as('sum_lat'),
        eb.fn.min('id').as('first_id'),
      ])
      .groupBy(['cx', 'cy']),
  );
  return r.map((c) => ({
    count: Number(c.n),
    sumLon: Number(c.sum_lon),
    sumLat: Number(c.sum_lat),
    firstId: Number(c.first_id),
  }));
}

/** What a single point on the map shows (no subtype, no area): by id, in chunks the databases accept. */
export async function incidentPointDetails(db: Executor, ids: number[]) {
  const out: { id: number; source: string; type: string; origin: string; occurred_at: string }[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('incidents')
      .select(['id', 'source', 'type', 'origin', 'occurred_at'])
      .where('id', 'in', ids.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.push({ ...r, id: Number(r.id) });
  }
  return out;
}

/**
 * Changes whenever the incidents may have changed: a dataset published, grown (SQLite publishes in steps
 * and touches `finished_at`), or removed after a failure, and a retention run (which coarsens old points).
 */
export async function incidentsVersion(db: Executor): Promise<{ key: string; rows: number }> {
  const d = await db
    .selectFrom('datasets')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('finished_at').as('last'),
      eb.fn.sum<number>('rows_imported').as('rows'),
    ])
    .executeTakeFirstOrThrow();
  const r = await db
    .selectFrom('retention_runs')
    .select((eb) => eb.fn.max('at').as('at'))
    .executeTakeFirstOrThrow();
  const rows = Number(d.rows ?? 0);
  return { key: `${Number(d.n)}|${String(d.last)}|${rows}|${String(r.at)}`, rows };
}

/** Each source's incident count and bounds [west, south, east, north] (WGS84): where to fit the map. */
// Grouped by `source || ''`, which no index serves: SQLite scans the table (500,000 incidents: 0.5 s) instead
// of walking the source index and looking up every row's position (5.4 s).
const sourceBoundsQuery = (db: Executor) =>
  db
    .selectFrom('incidents')
    .select((eb) => [
      sql<string>`source || ''`.as('source'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('lon').as('w'),
      eb.fn.min('lat').as('s'),
      eb.fn.max('lon').as('e'),
      eb.fn.max('lat').as('n2'),
    ])
    .groupBy(sql`source || ''`)
    .orderBy(sql`source || ''`);

const boundsOf = (r: { source: string; n: number; w: unknown; s: unknown; e: unknown; n2: unknown }) => ({
  source: r.source,
  count: Number(r.n),
  bbox: [Number(r.w), Number(r.s), Number(r.e), Number(r.n2)] as [number, number, number, number],
});
