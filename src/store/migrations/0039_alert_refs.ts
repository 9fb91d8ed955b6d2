import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * Every ref an unpurged alert carries (its subject and its inputs), one row each, keyed by ref: retention,
 * erasure and legal holds ask "does any alert still carry this ref?", which was a LIKE over every alert's
 * inputs on the request-serving thread (262,144 alerts: 0.4 CPU s to list three holds, 1.8 s for a retention
 * run that purged one alert). Written with the alert at intake (the log's side rows), deleted when
 * retention purges it. SQLite: WITHOUT ROWID, clustered on (ref, alert_id); by alert through the second index.
 * Existing alerts' refs are copied in here; input_refs is always a JSON array of strings (alert-review.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`CREATE TABLE alert_refs (ref text NOT NULL, alert_id text NOT NULL REFERENCES alerts (id), PRIMARY KEY (ref, alert_id)) WITHOUT ROWID`.execute(
      db,
    );
    await sql`INSERT OR IGNORE INTO alert_refs (ref, alert_id)
      SELECT subject_ref, id FROM alerts WHERE purged_at IS NULL AND subject_ref IS NOT NULL
      UNION SELECT j.value, a.id FROM alerts a, json_each(a.input_refs) j
        WHERE a.purged_at IS NULL AND json_valid(a.input_refs) AND j.type = 'text'`.execute(db);
  } else {
    await sql`CREATE TABLE alert_refs (ref text NOT NULL, alert_id text NOT NULL REFERENCES alerts (id), PRIMARY KEY (ref, alert_id))`.execute(
      db,
    );
    await sql`INSERT INTO alert_refs (ref, alert_id)
      SELECT subject_ref, id FROM alerts WHERE purged_at IS NULL AND subject_ref IS NOT NULL
      UNION SELECT j.value, a.id FROM alerts a, jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(a.input_refs::jsonb) = 'array' THEN a.input_refs::jsonb ELSE '[]'::jsonb END) AS j(value)
        WHERE a.purged_at IS NULL
      ON CONFLICT DO NOTHING`.execute(db);
  }
  await db.schema.createIndex('alert_refs_alert').on('alert_refs').column('alert_id').execute();
}
