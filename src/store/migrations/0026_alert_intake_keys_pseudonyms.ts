import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * Honest intake and pseudonymous subjects.
 * - alert_intake_keys: an idempotency key is reserved with the canonical hash of the alert it was
 *   first used for, before anything is logged, so a reuse with another body is refused and never
 *   logged. Alerts from before this migration keep their keys with an unknown hash (NULL).
 * - subject_pseudonyms: the only place a sender's raw subject reference is kept, beside the pseudonym
 *   the server minted for it (access-controlled; erasure deletes the row).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('alert_intake_keys')
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('body_sha256', 'text')
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('reserved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_intake_keys_pk', ['system_id', 'idempotency_key'])
    .execute();
  await sql`INSERT INTO alert_intake_keys (system_id, idempotency_key, body_sha256, alert_id, reserved_at) SELECT system_id, idempotency_key, NULL, id, received_at FROM alerts`.execute(
    db,
  );
  await db.schema
    .createTable('subject_pseudonyms')
    .addColumn('pseudonym', 'text', (c) => c.primaryKey())
    .addColumn('raw_ref', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
