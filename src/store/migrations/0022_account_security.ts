import type { Kysely } from 'kysely';

/**
 * Account security: sign-in throttling kept in the database (so it holds across restarts and servers),
 * session epochs (changing a user's epoch ends every session at once), the log index of each account
 * record, and a numbered history of account changes whose unique sequence serialises concurrent changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('session_epoch', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('users').addColumn('log_index', 'integer').execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('epoch', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('log_index', 'integer').execute();
  await db.schema
    .createTable('account_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_events_subject').on('account_events').columns(['subject', 'seq']).execute();
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .execute();
}
