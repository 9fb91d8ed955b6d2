import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * Stored forecast runs (the run record reproduces them; hotspots and explanations are kept as shown)
 * and the patrol missions planned from them, with the supervisor's decision and the alert they became.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('forecast_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('window', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('include_officer_initiated', 'integer', (c) => c.notNull())
    .addColumn('run', 'text', (c) => c.notNull())
    .addColumn('hotspots', 'text', (c) => c.notNull())
    .addColumn('explanations', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('forecast_runs_created').on('forecast_runs').column('created_at').execute();

  await db.schema
    .createTable('missions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('forecast_run_id', 'text', (c) => c.notNull().references('forecast_runs.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('shift_start', 'text', (c) => c.notNull())
    .addColumn('shift_end', 'text', (c) => c.notNull())
    .addColumn('cells', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('proposed', 'rejected', 'released', 'withdrawn')`),
    )
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('alert_id', 'text')
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('missions_unit_shift').on('missions').columns(['unit', 'shift_start']).execute();
}
