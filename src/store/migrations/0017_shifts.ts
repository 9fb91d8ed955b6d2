import type { Kysely } from 'kysely';

/** Reviewers' shifts: a reviewer sees and decides their unit's alerts only while on shift there. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shifts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shifts_user').on('shifts').columns(['user_id', 'unit', 'starts_at']).execute();
  await db.schema.createIndex('shifts_unit').on('shifts').columns(['unit', 'starts_at']).execute();
}
