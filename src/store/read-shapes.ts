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

/** Each shape turns one row into one element of the reply's JSON array. */
export const READ_SHAPES = {
  'incident-features': (row: unknown) => incidentFeature(row as IncidentPointRow),
} satisfies Record<string, (row: unknown) => unknown>;

/** Rows a serving thread shapes and serialises between turns of the event loop (~10 ms of work). */
const JSON_STEP = 2_000;

/**
 * The JSON array of `rows` in `shape`. On a reader thread in one piece; on a serving thread (PostgreSQL,
 * in-memory SQLite) with `yieldEvery` set, `JSON_STEP` rows at a time with a turn of the event loop between,
 * so a 50,000-point list never holds other requests for the whole of its 0.2-0.5 s. O(rows).
 */
export async function shapedJson(rows: readonly unknown[], shape: ReadShape, yieldEvery = false): Promise<string> {
  const f = READ_SHAPES[shape];
  if (!yieldEvery) return JSON.stringify(rows.map(f));
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i += JSON_STEP) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(JSON.stringify(rows.slice(i, i + JSON_STEP).map(f)).slice(1, -1));
  }
  return `[${parts.join(',')}]`;
}

export type ReadShape = keyof typeof READ_SHAPES;
