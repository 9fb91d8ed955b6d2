import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * The bias-audit gate and the monitor's data (gates issue 15.2, 15.3):
 *  - audit datasets: the exact file an audit read (sha256, period, population) tied to a registered data
 *    source and to one system version; audits record it, the policy they were judged against, whether they
 *    count for the gate, and who published them;
 *  - the audit that opened a version's gate, shown on the public register;
 *  - outcome feeds: which API key may report outcomes for a system, for which registered source;
 *  - outcome rows carry their source and a stable record id per source (unique: a resend is a no-op);
 *  - monitors observe from a point in time (reset when oversight resumes a paused system).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_version', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('population', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_datasets_system').on('audit_datasets').columns(['system_id', 'version']).execute();

  await db.schema.alterTable('audits').addColumn('dataset_id', 'text').execute();
  await db.schema.alterTable('audits').addColumn('policy_version', 'text').execute();
  await db.schema
    .alterTable('audits')
    .addColumn('counts_for_gate', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('audits').addColumn('published_by', 'text').execute();
  await db.schema.alterTable('audits').addColumn('published_at', 'text').execute();

  await db.schema.alterTable('system_versions').addColumn('gate_audit_id', 'integer').execute();

  await db.schema
    .createTable('outcome_feeds')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('authorised_by', 'text', (c) => c.notNull())
    .addColumn('authorised_at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outcome_feeds_pk', ['key_id', 'system_id'])
    .execute();

  await db.schema.alterTable('outcomes').addColumn('source_id', 'text').execute();
  await db.schema.alterTable('outcomes').addColumn('record_id', 'text').execute();
  await db.schema.alterTable('outcomes').addColumn('received_at', 'text').execute();
  // Rows reported before this migration have no source/record id (NULLs are distinct on both databases).
  await db.schema
    .createIndex('outcomes_record_unique')
    .on('outcomes')
    .columns(['system_id', 'source_id', 'record_id'])
    .unique()
    .execute();

  await db.schema.alterTable('monitors').addColumn('observe_from', 'text').execute();
}
