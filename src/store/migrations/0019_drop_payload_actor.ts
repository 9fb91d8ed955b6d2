import type { Kysely } from 'kysely';

/**
 * The log's payload rows no longer copy the actor: nothing reads it there (the leaf itself holds the
 * actor, and the leaf is the record), and writing it cost every append a bound string and ~20 bytes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ledger_payloads').dropColumn('actor').execute();
}
