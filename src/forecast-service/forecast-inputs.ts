/**
 * The incidents a forecast, backtest or reproduction learns from, as the forecaster takes them (projected
 * to the computation CRS). For an SQLite file they are read on the forecast thread itself, from the compiled
 * query the service hands it (`IncidentRead`), on a read-only connection: on the serving thread reading and
 * projecting them held every request, alert intake included, for 2.5 s at 240,000 incidents and 5 s at
 * 500,000 (test/integration/read-availability.test.ts), and the copy to the thread cost as much again.
 */
import { projector } from '../geo';
import type { ForecastIncident } from '../forecast';
import { openSqliteReadOnly } from '../store/db';

/** A row of the incidents query (forecasts.ts `incidentQuery`). */
export interface InputRow {
  source: string;
  source_id: string;
  type: string;
  origin: string;
  occurred_at: string;
  time_precision: string;
  lon: number;
  lat: number;
}

/** Where a forecast thread reads its incidents: the SQLite file, the compiled query, the CRS to project to. */
export interface IncidentRead {
  file: string;
  sql: string;
  parameters: readonly unknown[];
  crs: string;
}

/** Rows in the forecaster's form, in the order read. O(rows). */
export function toForecastIncidents(rows: readonly InputRow[], crs: string): ForecastIncident[] {
  const project = projector('EPSG:4326', crs);
  return rows.map((r) => {
    const [x, y] = project(r.lon, r.lat);
    return {
      id: `${r.source}:${r.source_id}`,
      type: r.type,
      origin: r.origin as ForecastIncident['origin'],
      t: Date.parse(r.occurred_at),
      timePrecision: r.time_precision as ForecastIncident['timePrecision'],
      x,
      y,
    };
  });
}

/** Read and project the incidents on this thread (a forecast thread), on a read-only connection of its own. */
export function readForecastIncidents(read: IncidentRead): ForecastIncident[] {
  const db = openSqliteReadOnly(read.file);
  try {
    return toForecastIncidents(db.prepare(read.sql).all(...read.parameters) as InputRow[], read.crs);
  } finally {
    db.close();
  }
}
