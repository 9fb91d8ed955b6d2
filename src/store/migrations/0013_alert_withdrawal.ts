import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/** An alert withdrawn because its system was paused: it leaves the queue and cannot be decided. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('withdrawn_at', 'text').execute();
}
