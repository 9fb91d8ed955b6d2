import type { Kysely } from 'kysely';
import { autoId, type Dialect } from './util';

/** Stored backtest runs, with everything needed to reproduce them. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await autoId(db.schema.createTable('backtest_runs'), dialect)
    .addColumn('system_id', 'text')
    .addColumn('version', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('data_snapshot_hash', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('code_version', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('log_index', 'integer', (c) => c.notNull())
    .execute();
}
