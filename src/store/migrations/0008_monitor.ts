import { sql, type Kysely } from 'kysely';
import { autoId, type Dialect } from './util';

/** Outcomes reported for a system, the monitors watching them, what they found, and who was told. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await autoId(db.schema.createTable('outcomes'), dialect)
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('stop', 'search', 'arrest', 'use-of-force', 'complaint')`),
    )
    .addColumn('area', 'text')
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('denominator', 'integer', (c) => c.notNull())
    .addColumn('reported_by', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outcomes_system')
    .on('outcomes')
    .columns(['system_id', 'kind', 'period_start'])
    .execute();

  await db.schema
    .createTable('monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('disparity', 'override-rate')`))
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await autoId(db.schema.createTable('monitor_events'), dialect)
    .addColumn('monitor_id', 'text', (c) => c.notNull())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('breached', 'integer', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();

  await autoId(db.schema.createTable('incident_notes'), dialect)
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();

  await autoId(db.schema.createTable('notifications'), dialect)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
}
