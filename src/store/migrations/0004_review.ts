import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/** Human review of AI alerts: intake, the queue, decisions with their reasons, and the duty roster. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('subject_ref', 'text')
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('confidence', 'double precision')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('input_refs', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'decided', 'expired')`))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addUniqueConstraint('alerts_idempotency', ['system_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('alerts_queue').on('alerts').columns(['unit', 'status', 'expires_at']).execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().unique().references('alerts.id'))
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('acted', 'not-acted', 'escalated', 'false-positive', 'expired')`),
    )
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('enforcement_action', 'text')
    .addColumn('corroboration', 'text')
    .addColumn('reviewer_id', 'text')
    .addColumn('supervisor_id', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('seconds_to_decide', 'double precision', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('duty_roster')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('supervisor_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('duty_roster_pk', ['unit', 'starts_at'])
    .execute();
}
