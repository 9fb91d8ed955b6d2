import type { Kysely } from 'kysely';
import { autoId, type Dialect } from './util';

/**
 * Retention by age and state, and legal holds that two people place and lift:
 * - `purged_at` on alerts, decisions and mission reports marks a record whose personal data is gone
 *   (the purge no longer guesses from an empty output, which left `output: {}` alerts forever);
 * - a legal hold is `pending` until a second oversight officer confirms it, and a lift is requested by
 *   one and confirmed by another.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Widening what a source may be used for waits here for a second person.
  await autoId(db.schema.createTable('source_proposals'), dialect)
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  for (const table of ['alerts', 'decisions', 'mission_reports'])
    await db.schema.alterTable(table).addColumn('purged_at', 'text').execute();
  await db.schema
    .alterTable('legal_holds')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();
  await db.schema.alterTable('legal_holds').addColumn('confirmed_by', 'text').execute();
  await db.schema.alterTable('legal_holds').addColumn('confirmed_at', 'text').execute();
  await db.schema.alterTable('legal_holds').addColumn('lift_requested_by', 'text').execute();
  await db.schema.alterTable('legal_holds').addColumn('lift_reason', 'text').execute();
  await db.schema.alterTable('legal_holds').addColumn('lifted_by', 'text').execute();
  // Holds placed before this migration stay in force, as they were: one person placed them.
  await db.updateTable('legal_holds').set({ status: 'lifted' }).where('lifted_at', 'is not', null).execute();
  // The data sources a stored forecast learned from: a purpose withdrawn later stops its missions.
  await db.schema
    .alterTable('forecast_runs')
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('alerts_unpurged_received').on('alerts').columns(['purged_at', 'received_at']).execute();
}
