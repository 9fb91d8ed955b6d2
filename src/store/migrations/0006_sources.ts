import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/** The data-source register: every dataset the platform holds or an AI system uses, versioned. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('data_sources')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_sources_pk', ['id', 'version'])
    .execute();
}
