import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * One counter that every change to what intake checks moves, whichever server or thread makes it: API
 * keys (not their last-use time), a user's disabled flag, system versions, data sources and settings.
 * A server may keep what it read from those tables while the counter stands still (one read per request
 * instead of five), and it sees another server's revocation or pause at its next read of the counter.
 * Triggers, not application code, move it: no write path can forget.
 */
const WATCHED: { table: string; update?: string[] }[] = [
  { table: 'api_keys', update: ['key_hash', 'roles', 'system_id', 'revoked_at', 'created_by', 'name'] },
  { table: 'users', update: ['disabled'] },
  { table: 'system_versions' },
  { table: 'data_sources' },
  { table: 'settings' },
];

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('change_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO change_generation (id, n) VALUES (1, 0)`.execute(db);
  if (dialect === 'postgres') {
    await sql`CREATE FUNCTION cw_bump_change_generation() RETURNS trigger AS $$
      BEGIN UPDATE change_generation SET n = n + 1 WHERE id = 1; RETURN NULL; END $$ LANGUAGE plpgsql`.execute(db);
    for (const w of WATCHED) {
      const update = w.update ? `UPDATE OF ${w.update.join(', ')}` : 'UPDATE';
      await sql
        .raw(
          `CREATE TRIGGER ${w.table}_change_generation AFTER INSERT OR DELETE OR ${update} ON ${w.table} FOR EACH STATEMENT EXECUTE FUNCTION cw_bump_change_generation()`,
        )
        .execute(db);
    }
    return;
  }
  for (const w of WATCHED)
    for (const [event, name] of [
      ['INSERT', 'ins'],
      ['DELETE', 'del'],
      [w.update ? `UPDATE OF ${w.update.join(', ')}` : 'UPDATE', 'upd'],
    ])
      await sql
        .raw(
          `CREATE TRIGGER ${w.table}_change_generation_${name} AFTER ${event} ON ${w.table} BEGIN UPDATE change_generation SET n = n + 1 WHERE id = 1; END`,
        )
        .execute(db);
}
