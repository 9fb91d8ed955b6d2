import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/** Monitors may also watch drift of a forecaster's realized hit rate against its approved backtest. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE monitors DROP CONSTRAINT monitors_kind_check`.execute(db);
    await sql`ALTER TABLE monitors ADD CONSTRAINT monitors_kind_check CHECK (kind in ('disparity', 'override-rate', 'drift'))`.execute(
      db,
    );
    return;
  }
  // SQLite cannot alter a CHECK: rebuild the table with the same columns.
  await sql`CREATE TABLE monitors_new (id text PRIMARY KEY, system_id text NOT NULL, kind text NOT NULL CHECK (kind in ('disparity', 'override-rate', 'drift')), config text NOT NULL, created_by text NOT NULL, created_at text NOT NULL, active integer NOT NULL)`.execute(
    db,
  );
  await sql`INSERT INTO monitors_new (id, system_id, kind, config, created_by, created_at, active) SELECT id, system_id, kind, config, created_by, created_at, active FROM monitors`.execute(
    db,
  );
  await sql`DROP TABLE monitors`.execute(db);
  await sql`ALTER TABLE monitors_new RENAME TO monitors`.execute(db);
}
