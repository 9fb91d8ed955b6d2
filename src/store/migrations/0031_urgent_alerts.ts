import { sql, type Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * Time-critical alerts (issue 24): each alert carries its urgency, response-time targets and the
 * deadline of its current escalation step, so escalation needs no open page and survives a restart
 * (a sweep reads the deadlines at start-up and on an interval). Escalation steps and the actions
 * taken on an alert (protective or coercive) are rows beside their log entries.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const [name, type, notNull, dflt] of [
    ['urgency', 'text', true, 'routine'],
    ['ack_target_s', 'integer', false, null],
    ['act_target_s', 'integer', false, null],
    ['ack_due_at', 'text', false, null],
    ['escalation_step', 'integer', true, 0],
    // 'none' (nothing to acknowledge: routine), 'awaiting', 'acknowledged'; the guard of every change.
    ['ack_state', 'text', true, 'none'],
    ['acknowledged_at', 'text', false, null],
    ['acknowledged_by', 'text', false, null],
    ['first_action_at', 'text', false, null],
  ] as const) {
    await db.schema
      .alterTable('alerts')
      .addColumn(name, type, (c) => {
        let col = dflt === null ? c : c.defaultTo(dflt);
        if (notNull) col = col.notNull();
        return col;
      })
      .execute();
  }
  // The sweep's query: awaiting alerts whose deadline has passed.
  await db.schema.createIndex('alerts_ack_due').on('alerts').columns(['ack_state', 'ack_due_at']).execute();
  // Replay after a reconnect (Last-Event-ID is a log index): a unit's alerts after it.
  await db.schema.createIndex('alerts_unit_log').on('alerts').columns(['unit', 'log_index']).execute();

  await db.schema
    .createTable('alert_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('to_kind', 'text', (c) => c.notNull())
    .addColumn('target_unit', 'text')
    .addColumn('target_user', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_escalations_alert')
    .on('alert_escalations')
    .columns(['alert_id', 'step'])
    .unique()
    .execute();
  await db.schema
    .createIndex('alert_escalations_target')
    .on('alert_escalations')
    .columns(['target_unit', 'log_index'])
    .execute();

  await db.schema
    .createTable('alert_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('corroboration', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .addColumn('purged_at', 'text')
    .execute();
  await db.schema.createIndex('alert_actions_alert').on('alert_actions').columns(['alert_id', 'at']).execute();

  // Monitors may also watch a kind's response times (the share acknowledged within target).
  const kinds = sql`kind in ('disparity', 'override-rate', 'drift', 'response-time')`;
  if (dialect === 'postgres') {
    await sql`ALTER TABLE monitors DROP CONSTRAINT monitors_kind_check`.execute(db);
    await sql`ALTER TABLE monitors ADD CONSTRAINT monitors_kind_check CHECK (${kinds})`.execute(db);
    return;
  }
  // SQLite cannot alter a CHECK: rebuild the table with the same columns (as 0015 did).
  await sql`CREATE TABLE monitors_new (id text PRIMARY KEY, system_id text NOT NULL, kind text NOT NULL CHECK (${kinds}), config text NOT NULL, created_by text NOT NULL, created_at text NOT NULL, active integer NOT NULL, observe_from text)`.execute(
    db,
  );
  await sql`INSERT INTO monitors_new (id, system_id, kind, config, created_by, created_at, active, observe_from) SELECT id, system_id, kind, config, created_by, created_at, active, observe_from FROM monitors`.execute(
    db,
  );
  await sql`DROP TABLE monitors`.execute(db);
  await sql`ALTER TABLE monitors_new RENAME TO monitors`.execute(db);
}
