import type { Kysely } from 'kysely';

/**
 * Accepted public consultation comments per system per UTC day. A counter row in the database, not
 * in process memory, so several servers behind one address share the cap; it is taken with one
 * atomic upsert (see registry/comment-quota.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('comment_quota')
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_quota_pk', ['system_id', 'day'])
    .execute();
}
