import type Database from 'better-sqlite3';

/**
 * Grow an SQLite store's incident table to `target` rows with copies of the incidents it holds: each copy
 * under new source ids (`<id>-r<k>`), its position jittered by up to ~1 km. With `olderEvery: n`, every n-th
 * copy is dated 11 years earlier (past a ten-year retention). For benches and tests at a city's scale; one
 * transaction, O(target).
 */
export function growIncidents(db: Database.Database, target: number, opts: { olderEvery?: number } = {}): void {
  const base = Number((db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n);
  const maxBaseId = Number((db.prepare('SELECT max(id) AS m FROM incidents').get() as { m: number }).m);
  const older = opts.olderEvery ?? 0;
  const copy = db.prepare(`INSERT INTO incidents (source, source_id, dataset_id, type, subtype, origin, occurred_at,
      time_precision, lon, lat, x, y, src_crs, area, attrs)
    SELECT source, source_id || '-r' || @k, dataset_id, type, subtype, origin,
      CASE WHEN @older > 0 AND @k % @older = 0
        THEN CAST(substr(occurred_at, 1, 4) - 11 AS TEXT) || substr(occurred_at, 5) ELSE occurred_at END,
      time_precision, lon + (abs(random()) % 20001 - 10000) / 1e6, lat + (abs(random()) % 20001 - 10000) / 1e6,
      NULL, NULL, src_crs, area, attrs
    FROM incidents WHERE id <= @maxBaseId LIMIT @limit`);
  db.transaction(() => {
    let n = base;
    for (let k = 1; n < target; k++) n += copy.run({ k, older, maxBaseId, limit: Math.min(base, target - n) }).changes;
  })();
}
