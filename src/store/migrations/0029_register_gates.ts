import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * Register gates: a consultation comment's response is an answer or an acknowledgement; a version's
 * legal classification comes from the owner's answers and is confirmed by oversight (never the owner).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('consultation_comments').addColumn('response_kind', 'text').execute();
  await db.schema
    .createTable('system_classifications')
    .addColumn('system_id', 'text', (c) => c.notNull().references('ai_systems.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('record_sha256', 'text', (c) => c.notNull())
    .addColumn('answered_by', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('confirm_reason', 'text')
    .addColumn('log_index', 'integer')
    .addPrimaryKeyConstraint('system_classifications_pk', ['system_id', 'version'])
    .execute();
}
