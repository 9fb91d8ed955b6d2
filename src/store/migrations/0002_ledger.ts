import { sql, type Kysely } from 'kysely';
import { blobType, type Dialect } from './util';

/**
 * The transparency log. Tiles (C2SP tlog-tiles: hash tiles and entry bundles) are the log itself;
 * payloads live beside it and can be erased without touching a leaf.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  await db.schema
    .createTable('ledger_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('ledger_state').values({ id: 1, size: 0, root: '' }).execute();

  // level: '0'..'n' for hash tiles, 'entries' for entry bundles. The row holds the newest (widest) bytes.
  await db.schema
    .createTable('ledger_tiles')
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('idx', big, (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('data', blobType(dialect), (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_tiles_pk', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('ledger_payloads')
    .addColumn('idx', big, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('salt', 'text')
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('ledger_payloads_type').on('ledger_payloads').columns(['type', 'idx']).execute();

  await db.schema
    .createTable('ledger_subjects')
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('idx', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_subjects_pk', ['ref', 'idx'])
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', big, (c) => c.primaryKey())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_cosignatures')
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('witness', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_cosignatures_pk', ['size', 'witness'])
    .execute();
}
