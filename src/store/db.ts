import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, sql, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type Migration, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations/index';
import type { Dialect } from './migrations/util';
import type { DB } from './schema';
import { writeTurnsFor } from './write-turns';

export type { Dialect };
export type Executor = Kysely<DB> | Transaction<DB>;

/** An open database: Kysely for ordinary queries, and the raw driver for the few hot paths that need it. */
export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where it lives, with any password removed (safe to print). */
  location: string;
  sqlite?: Database.Database;
  /** SQLite file: the write-lock turns this process's threads take (write-turns.ts). */
  writeTurns?: SharedArrayBuffer;
  /** PostgreSQL's connection pool (the log audit streams tiles with COPY through it). */
  pg?: pg.Pool;
  close(): Promise<void>;
}

// PostgreSQL returns int8 and numeric as strings by default; our ids and counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

export interface StoreOptions {
  /** postgres://… to use PostgreSQL; otherwise SQLite. */
  databaseUrl?: string;
  /** SQLite file (default ./data/counterweight.db); ':memory:' for tests. */
  sqliteFile?: string;
}

export function openStore(opts: StoreOptions = {}): Store {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', location: redactUrl(url), pg: pool, close: () => db.destroy() };
  }
  if (url) throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${redactUrl(url)}"`);
  const file = opts.sqliteFile ?? './data/counterweight.db';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = openSqlite(file);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, sqlite, writeTurns: file === ':memory:' ? undefined : writeTurnsFor(file), close: () => db.destroy() };
}

/** A better-sqlite3 connection with the project's settings (also used by the log's writer thread). */
export function openSqlite(file: string): Database.Database {
  const sqlite = new Database(file);
  // WAL: readers never block the writer. synchronous=FULL fsyncs the WAL at every commit, so an
  // acknowledged log entry survives power loss, not only a process crash; batching keeps it cheap.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536'); // 64 MiB page cache: index pages stay hot during bulk imports
  sqlite.pragma('busy_timeout = 5000');
  // Erased means gone from the file: deleted and overwritten content is zeroed, not left in free pages
  // (the retention job then checkpoints and truncates the WAL, which holds the old page images).
  sqlite.pragma('secure_delete = ON');
  cachePreparedStatements(sqlite);
  return sqlite;
}

/**
 * Kysely's SQLite transactions with BEGIN IMMEDIATE instead of BEGIN: the log's writer thread holds a
 * second connection, and a deferred transaction that reads before it writes would fail with
 * SQLITE_BUSY when that connection committed in between; IMMEDIATE takes the write lock up front
 * (waiting up to busy_timeout) so it cannot.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query anew; on the hot paths (alert intake, the log's batch commit) preparing
 * cost as much as running. Reuse prepared statements by SQL text (bounded, least recently added out
 * first); a statement still busy iterating a streamed result is never handed out twice.
 */
function cachePreparedStatements(sqlite: Database.Database, max = 512): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  (sqlite as { prepare: (source: string) => Database.Statement }).prepare = (source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) return hit;
    const stmt = prepare(source);
    if (!hit) {
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(source, stmt);
    }
    return stmt;
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Bring the schema up to date (or only up to migration `upTo`: how tests make an older installation).
 * Idempotent; every migration runs in its own transaction.
 */
export async function migrate(store: Store, opts: { upTo?: string } = {}): Promise<string[]> {
  const migrations: Record<string, Migration> = {};
  for (const [name, mod] of MIGRATIONS) migrations[name] = { up: (db) => mod.up(db, store.dialect) };
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await (opts.upTo ? migrator.migrateTo(opts.upTo) : migrator.migrateToLatest());
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Insert many rows, skipping rows that collide on `conflictColumns`; returns how many were inserted.
 * Must be called inside `store.db.transaction()` (pass the transaction) so a failure writes nothing.
 * SQLite: cached prepared multi-row statements (better-sqlite3 is synchronous).
 * PostgreSQL: multi-row INSERTs within the 65,535-parameter limit. Both O(rows).
 */
export async function insertMany<T extends keyof DB & string>(
  store: Store,
  trx: Executor,
  table: T,
  rows: Record<string, unknown>[],
  conflictColumns: string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]);
  if (store.dialect === 'sqlite' && store.sqlite) {
    return insertRowsSqlite(store.sqlite, table, columns, conflictColumns, rows.length, (r, c) => rows[r][columns[c]] ?? null);
  }
  const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
  let inserted = 0;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const r = await (trx as Kysely<any>)
      .insertInto(table)
      .values(chunk)
      .onConflict((oc) => oc.columns(conflictColumns as any).doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/**
 * SQLite, synchronous: insert `count` rows of `columns`, the value of row r, column c being `value(r, c)`,
 * skipping rows that collide on `conflict` (none: a collision throws). Multi-row statements of
 * ROWS_PER_STATEMENT rows cut the per-statement overhead ~3x; the tail goes row by row. Returns rows
 * inserted. O(rows · columns).
 */
export function insertRowsSqlite(
  sqlite: Database.Database, table: string, columns: string[], conflict: string[], count: number, value: (row: number, column: number) => unknown,
  placeholders: string[] = columns.map(() => '?'),
): number {
  const many = preparedInsert(sqlite, table, columns, conflict, ROWS_PER_STATEMENT, placeholders);
  const one = preparedInsert(sqlite, table, columns, conflict, 1, placeholders);
  const params: unknown[] = new Array(columns.length * ROWS_PER_STATEMENT);
  const single: unknown[] = new Array(columns.length);
  let inserted = 0;
  let r = 0;
  for (; r + ROWS_PER_STATEMENT <= count; r += ROWS_PER_STATEMENT) {
    let k = 0;
    for (let i = r; i < r + ROWS_PER_STATEMENT; i++) for (let c = 0; c < columns.length; c++) params[k++] = value(i, c);
    inserted += many.run(params).changes;
  }
  for (; r < count; r++) {
    for (let c = 0; c < columns.length; c++) single[c] = value(r, c);
    inserted += one.run(single).changes;
  }
  return inserted;
}

const ROWS_PER_STATEMENT = 64;
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** `placeholders`: the SQL of each column's value, one '?' in each (e.g. 'CAST(? AS TEXT)'); trusted, never from input. */
function preparedInsert(sqlite: Database.Database, table: string, columns: string[], conflict: string[], rowCount: number, placeholders: string[]): Database.Statement {
  let cache = statementCache.get(sqlite);
  if (!cache) statementCache.set(sqlite, (cache = new Map()));
  const key = `${table}|${columns.join(',')}|${conflict.join(',')}|${rowCount}|${placeholders.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    stmt = sqlite.prepare(
      `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ` +
        Array.from({ length: rowCount }, () => `(${placeholders.join(', ')})`).join(', ') +
        (conflict.length ? ` ON CONFLICT (${conflict.map(q).join(', ')}) DO NOTHING` : ''),
    );
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * After a purge: make the erasure reach the disk. On SQLite the WAL still holds the pages as they were
 * before the purge, so copy it into the file (secure_delete zeroes the freed content there) and truncate
 * it. PostgreSQL keeps old row versions until VACUUM marks their space reusable; VACUUM does not zero it
 * either, so the docs ask operators for encrypted storage and backups that follow erasures.
 */
export async function flushErasures(store: Store, tables: string[]): Promise<void> {
  if (store.sqlite) {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return;
  }
  if (store.pg) for (const t of tables) await store.pg.query(`VACUUM ${t.replace(/[^a-z_]/g, '')}`);
}

/** Whether the database answers (for the liveness probe). */
export async function pingDatabase(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

export function nowIso(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
