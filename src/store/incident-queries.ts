import { sql } from 'kysely';
import type { Executor } from './db';

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

function filtered(db: Executor, f: IncidentFilter) {
  let q = db.selectFrom('incidents');
  if (f.types?.length) q = q.where('type', 'in', f.types);
  if (f.origin) q = q.where('origin', '=', f.origin);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<', f.to);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.sources) q = f.sources.length ? q.where('source', 'in', f.sources) : q.where(sql<boolean>`1 = 0`);
  return q;
}

export async function countIncidents(db: Executor, f: IncidentFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Incidents as GeoJSON points (WGS84), newest first, at most `limit`. Uses the time index. */
export async function incidentFeatures(db: Executor, f: IncidentFilter, limit: number) {
  const rows = await filtered(db, f)
    .select([
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
    ])
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: 'Feature' as const,
    id: r.id,
    geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] as [number, number] },
    properties: {
      source: r.source,
      sourceId: r.source_id,
      type: r.type,
      subtype: r.subtype,
      origin: r.origin,
      occurredAt: r.occurred_at,
      timePrecision: r.time_precision,
      area: r.area,
    },
  }));
}

/** Counts by type and origin, and the time span: what a person needs to choose filters. */
export async function incidentSummary(db: Executor, source?: string) {
  let q = db.selectFrom('incidents');
  if (source) q = q.where('source', '=', source);
  const byType = await q
    .select(['type', 'origin', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['type', 'origin'])
    .orderBy('type')
    .execute();
  const span = await q
    .select((eb) => [
      eb.fn.min('occurred_at').as('first'),
      eb.fn.max('occurred_at').as('last'),
      eb.fn.countAll<number>().as('total'),
    ])
    .executeTakeFirstOrThrow();
  return {
    total: Number(span.total),
    first: (span.first as string | null) ?? null,
    last: (span.last as string | null) ?? null,
    types: byType.map((t) => ({ type: t.type, origin: t.origin as 'citizen' | 'officer', count: Number(t.n) })),
  };
}

/** Imported files: source, hash, counts, who imported them and when; newest first. */
export async function listDatasets(db: Executor) {
  return db.selectFrom('datasets').selectAll().orderBy('started_at', 'desc').execute();
}
