import { sql, type Kysely } from 'kysely';
import { autoId, type Dialect } from './util';

/**
 * Officers' location pings (personal data: access-logged, purged after the retention period) and what
 * officers report on a patrol mission: tactics used and enforcement outcomes inside the mission cells.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await autoId(db.schema.createTable('location_pings'), dialect)
    .addColumn('device_ref', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('t', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('accuracy_m', 'double precision')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('location_pings_device_time', ['device_ref', 't'])
    .execute();
  await db.schema.createIndex('location_pings_unit_time').on('location_pings').columns(['unit', 't']).execute();

  await autoId(db.schema.createTable('mission_reports'), dialect)
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('officer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('tactic', 'outcome')`))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mission_reports_alert').on('mission_reports').column('alert_id').execute();
}
