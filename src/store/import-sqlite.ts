/**
 * Import into an SQLite file from an import thread, on the thread's own connection.
 *
 * SQLite allows one writer at a time, and a waiting writer (the server's connection taking an alert, the
 * log's writer thread) sleeps in SQLite's busy handler, blocking its thread. Measured on the 25,000-row
 * demo file: one transaction for the whole import held the lock for seconds; publishing from a staged
 * table in one go still ~0.1–0.5 s, growing with the file. So:
 * 1. Stage: parse, validate and insert every valid row into a TEMP table. Temporary tables live in the
 *    connection's own temp database (a file, so memory stays flat): the main database is not locked at all.
 * 2. A bad row (unless skipInvalid) stops here: nothing was written to the database.
 * 3. Publish: copy the staged rows into `incidents` in short BEGIN IMMEDIATE transactions (sized to hold
 *    the lock about PUBLISH_TARGET_MS each). The log's writer thread gets the lock between any two chunks
 *    through write-turns.ts; other writers (the serving thread's sessions, access log) poll in SQLite's busy
 *    handler, so after every PUBLISH_GAP_MS / PUBLISH_DUTY ms of lock hold the import leaves a gap of
 *    PUBLISH_GAP_MS (publishPacer). Until 2026-12-03 it paused after every chunk as long as the chunk took,
 *    which halved the publish rate.
 *    The dataset is 'importing' meanwhile; its rows are removed if publishing fails, and a dataset a crash
 *    left 'importing' (no progress for STALE_MS) is removed by the next import. Chunks commit with
 *    synchronous=NORMAL; the last commit (state 'done') with FULL, which makes the whole WAL durable. The
 *    WAL is checkpointed between chunks (CHECKPOINT_EVERY_MS), outside the lock, not inside a COMMIT.
 * Readers may see a dataset's rows while it is still 'importing' (for the length of the publish step).
 */
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Profile } from '../ingest/profiles';
import { readIncidents, type IncidentRow, type ReadOptions } from '../ingest/read-incidents';
import type { Taxonomy } from '../ingest/taxonomy';
import { nowIso, openSqlite } from './db';
import { insertRowsSqlite } from './sqlite-rows';
import { asImportChunk } from './write-turns';
import type { ThreadOutcome } from './import-thread';
import { ImportRejected, type WriteSpec } from './incidents';

const COLUMNS = [
  'source_id',
  'type',
  'subtype',
  'origin',
  'occurred_at',
  'time_precision',
  'lon',
  'lat',
  'x',
  'y',
  'src_crs',
  'area',
  'attrs',
] as const;
const PUBLISH_TARGET_MS = 5;
/** Share of lock-hold time given back as gaps, and the length of one gap (longer than the busy handler's early sleeps). */
export const PUBLISH_DUTY = 0.25;
export const PUBLISH_GAP_MS = 5;

/**
 * Pauses between publish chunks: a gap of `gapMs` once `gapMs / duty` ms of lock hold have accrued, so
 * pauses total at most `duty` of the hold (plus one gap). The debt is capped at one gap: a long chunk on
 * a busy machine earns one gap, not a sleep as long as it. O(1) per chunk.
 */
export function publishPacer(duty = PUBLISH_DUTY, gapMs = PUBLISH_GAP_MS): (holdMs: number) => number {
  let owed = 0;
  return (holdMs) => {
    owed = Math.min(owed + holdMs * duty, gapMs);
    if (owed < gapMs) return 0;
    owed = 0;
    return gapMs;
  };
}
export const STALE_MS = 10 * 60_000;
/**
 * How often the publish copies the WAL into the database file, between chunks. SQLite's automatic
 * checkpoint (every 1,000 WAL pages) ran inside a chunk's COMMIT, so the log's writer waited behind it
 * (write-turns.ts); and random dates dirty about one time-index page per row, so it ran every few chunks,
 * each copying pages the next chunks dirtied again. WAL growth between checkpoints: publish rate × this.
 */
const CHECKPOINT_EVERY_MS = 500;

export async function stagedSqliteImport(
  dbFile: string,
  file: string,
  profile: Profile,
  taxonomy: Taxonomy,
  w: WriteSpec,
  readOpts: ReadOptions,
  publish: {
    targetMs?: number;
    pauseAfterChunk?: boolean;
    failAfterChunks?: number;
    turns?: SharedArrayBuffer;
    onPublish?(rows: number, of: number): void;
    onChunk?(holdMs: number, pauseMs: number): void;
    /** Tests: called just before each chunk asks for the write lock. */
    beforeChunk?(): void;
  } = {},
): Promise<ThreadOutcome> {
  const db = openSqlite(dbFile);
  try {
    db.pragma('temp_store = FILE');
    db.exec(`CREATE TEMP TABLE import_rows (${COLUMNS.map((c) => `"${c}"`).join(', ')})`);
    // Staging touches only the temp database: a deferred transaction that never reads or writes the main one takes no lock on it.
    const stage = db.transaction((rows: IncidentRow[]) =>
      insertRowsSqlite(db, 'import_rows', [...COLUMNS], [], rows.length, (r, c) => rows[r][COLUMNS[c]] ?? null),
    );
    const summary = await readIncidents(file, profile, taxonomy, (rows) => void stage(rows), readOpts);
    if (summary.errorCount > 0 && !w.skipInvalid) throw new ImportRejected(summary);
    const staged = summary.rowsValid;

    const startedAt = nowIso();
    db.pragma('synchronous = NORMAL');
    // The WAL is copied into the file between chunks (checkpointBetweenChunks), never inside a chunk's COMMIT.
    db.pragma('wal_autocheckpoint = 0');
    db.transaction(() => {
      removeStaleImports(db);
      db.prepare(
        `INSERT INTO datasets (id, source, file_name, file_sha256, profile, src_crs, rows_read, rows_imported, rows_duplicate, imported_by, started_at, finished_at, state)
        VALUES (?, ?, ?, '', ?, ?, 0, 0, 0, ?, ?, ?, 'importing')`,
      ).run(w.datasetId, w.source, basename(file), profile.name, profile.crs, w.importedBy, startedAt, startedAt);
    }).immediate();

    let imported = 0;
    try {
      const copy = db.prepare(`INSERT INTO main.incidents (source, dataset_id, ${COLUMNS.join(', ')})
        SELECT ?, ?, ${COLUMNS.join(', ')} FROM temp.import_rows WHERE rowid BETWEEN ? AND ? ORDER BY rowid
        ON CONFLICT (source, source_id) DO NOTHING`);
      const touch = db.prepare("UPDATE datasets SET finished_at = ? WHERE id = ? AND state = 'importing'");
      let lockedAt = 0; // when BEGIN IMMEDIATE got the lock: the chunk is sized by how long it holds it, not by waits for it
      const chunk = db.transaction((from: number, to: number) => {
        lockedAt = performance.now();
        if (touch.run(nowIso(), w.datasetId).changes !== 1)
          throw new Error('the import was rolled back by another import (no progress for 10 minutes)');
        return copy.run(w.source, w.datasetId, from, to).changes;
      });
      const pace = publishPacer();
      let checkpointedAt = performance.now();
      const checkpointBetweenChunks = (last: boolean) => {
        if (!last && performance.now() - checkpointedAt < CHECKPOINT_EVERY_MS) return;
        db.pragma('wal_checkpoint(PASSIVE)'); // copies what no reader still needs; never waits for the write lock
        checkpointedAt = performance.now();
      };
      const targetMs = publish.targetMs ?? PUBLISH_TARGET_MS;
      let size = 1024; // rows per transaction, adapted so one takes about targetMs: O(rows) in all, each lock hold bounded
      let chunks = 0;
      publish.onPublish?.(0, staged);
      for (let from = 1; from <= staged;) {
        const to = Math.min(staged, from + size - 1);
        publish.beforeChunk?.();
        // After any log commit waiting in this process (write-turns.ts): an alert waits at most one chunk.
        imported += asImportChunk(publish.turns, () => chunk.immediate(from, to));
        const ms = performance.now() - lockedAt; // through COMMIT
        if (publish.failAfterChunks !== undefined && ++chunks >= publish.failAfterChunks)
          throw new Error('publish failed (test)');
        // At least 256 rows: on a busy machine wall time overstates the work, and tiny chunks would crawl.
        size = Math.max(256, Math.min(50_000, Math.round(size * Math.sqrt(targetMs / Math.max(ms, 0.05)))));
        from = to + 1;
        publish.onPublish?.(to, staged);
        // SQLite's busy handler polls (1, 2, 5, 10 … ms) rather than queueing: other writers need gaps, a few long ones.
        const pause = publish.pauseAfterChunk === false ? 0 : pace(ms);
        publish.onChunk?.(ms, pause);
        checkpointBetweenChunks(false);
        if (pause > 0) await sleep(pause);
      }
      db.pragma('synchronous = FULL');
      db.transaction(() => {
        const done = db
          .prepare(
            `UPDATE datasets SET state = 'done', file_sha256 = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?, finished_at = ?
          WHERE id = ? AND state = 'importing'`,
          )
          .run(summary.sha256, summary.rowsRead, imported, staged - imported, nowIso(), w.datasetId);
        if (done.changes !== 1)
          throw new Error('the import was rolled back by another import (no progress for 10 minutes)');
      }).immediate();
      checkpointBetweenChunks(true);
    } catch (e) {
      // Undo what was published; should this fail too, the next import removes it once it is stale.
      try {
        db.transaction(() => removeDataset(db, w.datasetId)).immediate();
      } catch {
        /* left 'importing': removed later */
      }
      throw e;
    }
    return { summary, imported, duplicates: staged - imported };
  } finally {
    db.close();
  }
}

function removeDataset(db: ReturnType<typeof openSqlite>, id: string): void {
  db.prepare('DELETE FROM incidents WHERE dataset_id = ?').run(id);
  db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
}

/** Datasets an interrupted import left 'importing' (no progress for STALE_MS): their rows go. */
function removeStaleImports(db: ReturnType<typeof openSqlite>): void {
  const cutoff = nowIso(new Date(Date.now() - STALE_MS));
  const stale = db
    .prepare(`SELECT id FROM datasets WHERE state = 'importing' AND finished_at < ?`)
    .pluck()
    .all(cutoff) as string[];
  for (const id of stale) removeDataset(db, id);
}
