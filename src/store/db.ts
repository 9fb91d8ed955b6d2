import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  sql,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type Migration,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { StateError } from '../domain/errors';
import { msg } from '../domain/messages';
import { MIGRATIONS } from './migrations/index';
import type { Dialect } from './migrations/util';
import type { DB } from './schema';
import { postgresLogStorage, sqliteLogStorage, type LogStorage } from './log/storage';
import { insertRowsSqlite } from './sqlite-rows';
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
  /** How the transparency log is committed and read back on this database (log/storage.ts). */
  log: LogStorage;
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
  /** SQLite: open the existing file read-only (never create it); for a thread that only reads. */
  readOnly?: boolean;
}

export function openStore(opts: StoreOptions = {}): Store {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      location: redactUrl(url),
      pg: pool,
      log: postgresLogStorage(pool, db),
      close: () => db.destroy(),
    };
  }
  if (url) throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${redactUrl(url)}"`);
  const file = opts.sqliteFile ?? './data/counterweight.db';
  if (file !== ':memory:' && !opts.readOnly) mkdirSync(dirname(file), { recursive: true });
  const sqlite = opts.readOnly ? openSqliteReadOnly(file) : openSqlite(file);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  const writeTurns = file === ':memory:' || opts.readOnly ? undefined : writeTurnsFor(file);
  return {
    db,
    dialect: 'sqlite',
    location: file,
    sqlite,
    writeTurns,
    log: sqliteLogStorage(sqlite, file, db, writeTurns),
    close: () => db.destroy(),
  };
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
 * How another thread of this process reaches the same database (its openStore options), or undefined when
 * none can: an in-memory SQLite database belongs to its one connection.
 */
export function sameDatabaseFor(store: Store): StoreOptions | undefined {
  if (store.pg) return { databaseUrl: store.pg.options.connectionString! };
  return store.location === ':memory:' ? undefined : { sqliteFile: store.location };
}

/** An existing SQLite file, read-only: it is never created, and nothing is written through this connection. */
export function openSqliteReadOnly(file: string): Database.Database {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
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
    return insertRowsSqlite(
      store.sqlite,
      table,
      columns,
      conflictColumns,
      rows.length,
      (r, c) => rows[r][columns[c]] ?? null,
    );
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
 * Make erasures final on disk. SQLite: copy the WAL (which holds the old page images) into the file and cut
 * it to zero bytes. Another connection can stand in the way: a checkpoint running on the log's checkpointer
 * thread, or a reader on an older snapshot; SQLite then answers "busy" and the purged bytes stay in the WAL.
 * So each attempt runs with no busy wait (a wait would block this thread: better-sqlite3 is synchronous) and
 * is retried, backing off, until it succeeds; if it has not within `timeoutMs`, a StateError says so rather
 * than returning as if the bytes were gone. PostgreSQL: VACUUM the tables (dead tuples hold old values).
 */
export async function flushErasures(store: Store, tables: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  const sqlite = store.sqlite;
  if (sqlite) {
    const until = Date.now() + (opts.timeoutMs ?? 10_000);
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma('busy_timeout = 0');
      let busy: number;
      try {
        [{ busy }] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      } finally {
        sqlite.pragma(`busy_timeout = ${timeout}`);
      }
      if (busy === 0) return;
      if (Date.now() >= until)
        throw new StateError(msg('store.erasureNotFlushed', { seconds: (opts.timeoutMs ?? 10_000) / 1000 }));
      await new Promise((r) => setTimeout(r, wait));
    }
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
