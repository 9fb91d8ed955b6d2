/**
 * How a reader thread turns rows into a reply's JSON text (read-thread.ts `readJson`), by name: a large answer
 * is built and serialised there, so the serving thread only sends the text (50,000 incident points: 16 MB,
 * 0.2-0.5 s of mapping and JSON.stringify that would otherwise stall every request).
 */
import type { Selectable } from 'kysely';
import type { DB } from './schema';

/** An incident row as the point list reads it (incident-queries.ts `incidentFeatures`). */
export type IncidentPointRow = Pick<
  Selectable<DB['incidents']>,
  | 'id'
  | 'source'
  | 'source_id'
  | 'type'
  | 'subtype'
  | 'origin'
  | 'occurred_at'
  | 'time_precision'
  | 'lon'
  | 'lat'
  | 'area'
>;

/** A GeoJSON point feature (WGS84) of one incident. */
export const incidentFeature = (r: IncidentPointRow) => ({
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
});

export const READ_SHAPES = {
  'incident-features': (rows: unknown[]) => (rows as IncidentPointRow[]).map(incidentFeature),
} satisfies Record<string, (rows: unknown[]) => unknown>;

export type ReadShape = keyof typeof READ_SHAPES;
