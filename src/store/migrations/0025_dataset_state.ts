import type { Kysely } from 'kysely';

/**
 * A dataset's state: 'done', or 'importing' while an import publishes its rows. On an SQLite file an
 * import publishes in short transactions (one writer at a time: a single long one would stop alert intake
 * for its whole length), so a dataset left 'importing' by a crash is rolled back by the next import.
 * Existing datasets were imported in one transaction: 'done'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('datasets')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('done'))
    .execute();
}
