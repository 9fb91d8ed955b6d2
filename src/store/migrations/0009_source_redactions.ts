import { autoId, type Dialect } from './util';
import type { Kysely } from 'kysely';

/** Structured redaction of public data-source records (field, legal reason, who decided, expiry). */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await autoId(db.schema.createTable('source_redactions'), dialect)
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('legal_reason', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
