import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/** Published differentially private statistics: each release with its privacy budget. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('statistics_releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('epsilon_total', 'double precision', (c) => c.notNull())
    .addColumn('tables', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
}
