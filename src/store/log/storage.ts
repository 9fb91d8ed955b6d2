/**
 * The transparency log's storage on one database, chosen once when the store opens (db.ts): how a
 * batch of entries is committed and how the whole log is read back. The ledger service holds only
 * this interface and never asks which database it is on.
 *   SQLite file: a writer thread with its own connection; whole-log reads in batches of tiles.
 *   SQLite in memory: commits on the calling thread (another connection could not see the database).
 *   PostgreSQL: commits on a pooled connection; whole-log reads as binary COPY streams.
 */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { DB } from '../schema';
import { PostgresBatchWriter } from './postgres-commit';
import { wholeLogTilesPostgres } from './postgres-tiles';
import { SqliteBatchCommitter } from './sqlite-commit';
import { sequentialTileReader, type WholeLogTiles } from './tile-reads';
import { InlineWriter, ThreadWriter, type BatchWriter } from './writers';

export interface WriterOptions {
  /** SQLite file: commit on a writer thread (default) or on the calling thread. */
  writerThread?: boolean;
  /** SQLite file, writer thread: entries appended between restarts of the WAL (default 65,536; see sqlite-writer.worker.ts). */
  walRestartEntries?: number;
  /** SQLite file, writer thread: milliseconds between the checkpointer thread's WAL copies (default 100). */
  walCheckpointMs?: number;
}

export interface LogStorage {
  /** Where the log's batches are committed, signed with `signerKeys` under `origin`. */
  openWriter(origin: string, signerKeys: string[], opts?: WriterOptions): BatchWriter;
  /** A reader for one whole-log pass (audit, export); close() it when done. */
  wholeLogTiles(): WholeLogTiles;
}

export function sqliteLogStorage(
  sqlite: Database.Database,
  file: string,
  db: Kysely<DB>,
  turns: SharedArrayBuffer | undefined,
): LogStorage {
  return {
    openWriter: (origin, signerKeys, opts = {}) =>
      file !== ':memory:' && opts.writerThread !== false
        ? new ThreadWriter({
            file,
            origin,
            signerKeys,
            walRestartEntries: opts.walRestartEntries ?? 65_536,
            walCheckpointMs: opts.walCheckpointMs ?? 100,
            turns,
          })
        : new InlineWriter(new SqliteBatchCommitter(sqlite, origin, signerKeys)),
    wholeLogTiles: () => ({ read: sequentialTileReader(db), close: async () => undefined }),
  };
}

export function postgresLogStorage(pool: pg.Pool, db: Kysely<DB>): LogStorage {
  return {
    openWriter: (origin, signerKeys) => new PostgresBatchWriter(pool, origin, signerKeys),
    wholeLogTiles: () => wholeLogTilesPostgres(pool, db),
  };
}
