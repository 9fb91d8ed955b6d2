import { sql, type Kysely } from 'kysely';
import { autoId, type Dialect } from './util';

/** Oversight of citizen data: the access log, legal holds, and retention runs. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await autoId(db.schema.createTable('access_log'), dialect)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_unit', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('records', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_log_actor').on('access_log').columns(['actor_id', 'at']).execute();

  await autoId(db.schema.createTable('legal_holds'), dialect)
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .execute();

  await autoId(db.schema.createTable('retention_runs'), dialect)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('purged', 'integer', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull().check(sql`log_index >= 0`))
    .execute();
}
