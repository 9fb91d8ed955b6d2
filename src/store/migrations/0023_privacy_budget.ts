import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * The privacy budget spent per statistics table and budget period (e.g. a calendar year), in integer
 * micro-ε so that sums are exact; a release's data period (months) is stored with it. A release is
 * charged with one conditional UPDATE per (table, period) in the transaction that records it, so two
 * concurrent releases cannot both fit under the last of a budget.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('privacy_budget')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('spent_micro', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('privacy_budget_pk', ['table_name', 'period'])
    .execute();
  await db.schema.alterTable('statistics_releases').addColumn('period_from', 'text').execute();
  await db.schema.alterTable('statistics_releases').addColumn('period_to', 'text').execute();
}
