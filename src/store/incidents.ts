import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { BUILTIN_PROFILES, type Profile } from '../ingest/profiles';
import { readIncidents, type IncidentRow, type ReadOptions, type ReadSummary } from '../ingest/read-incidents';
import type { Taxonomy } from '../ingest/taxonomy';
import { insertMany, nowIso, type Store } from './db';
import { runOnImportThread, type ThreadJob, type ThreadMode } from './import-thread';

/** Must match the indexes migration 0001 creates on `incidents`. */
export const SECONDARY_INDEXES = [
  { name: 'incidents_time', columns: ['occurred_at'] },
  { name: 'incidents_type', columns: ['type', 'origin'] },
];

export interface ImportOptions extends ReadOptions {
  /** Source name; defaults to the profile's. Re-importing the same source ids adds nothing. */
  source?: string;
  importedBy?: string | null;
  /** Import the valid rows and report the bad ones, instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Files estimated above this many rows (and above the table's size) load in bulk mode. */
  bulkThresholdRows?: number;
  /** Run the import thread at a lower CPU priority, so a server's own requests come first (the HTTP import). */
  background?: boolean;
  /** SQLite file: rows published so far of those staged (after reading; see import-sqlite.ts). */
  onPublish?(rows: number, of: number): void;
}

export interface ImportResult extends ReadSummary {
  datasetId: string;
  source: string;
  imported: number;
  duplicates: number;
}

/** Raised when a file has bad rows and skipInvalid is off: the transaction is rolled back, nothing written. */
export class ImportRejected extends InputError {
  constructor(public readonly summary: ReadSummary) {
    const counts = { file: summary.file, bad: summary.errorCount, rows: summary.rowsRead };
    const types = Object.keys(summary.unknownTypes).slice(0, 10).join(', ');
    super(
      types ? msg('imports.rejectedUnknownTypes', { ...counts, types }) : msg('imports.rejected', counts),
      summary.errors,
    );
  }
}

/**
 * Import a CSV incident file: streamed in batches, idempotent on (source, source_id), all-or-nothing —
 * any bad row (unless skipInvalid) or failure leaves the incidents as they were.
 *
 * Parsing and validation run on an import thread (import.worker.ts), never on the caller's thread, so a
 * server keeps answering during a large import. Writing depends on the database:
 * - PostgreSQL: one transaction on the thread's own connection (other writers are not held up).
 * - SQLite file: the thread stages the valid rows in a temporary table, then publishes them in short
 *   transactions (import-sqlite.ts): SQLite has one writer, and one long transaction would stop alert
 *   intake and the log for its whole length.
 * - In-memory SQLite (tests): no other connection can see the database, so the thread sends the rows
 *   back and this thread writes them in one transaction.
 * A profile the thread cannot rebuild (not built in, nor generic with a mapping file) is read here.
 */
export async function importIncidentFile(
  store: Store,
  file: string,
  profile: Profile,
  taxonomy: Taxonomy,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const source = opts.source ?? profile.source;
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source))
    throw new InputError(msg('store.badSourceName', { source }), [
      { field: '--source', expected: 'lower-case letters, digits, . _ - (max 64)' },
    ]);
  const write = {
    datasetId: randomUUID(),
    source,
    importedBy: opts.importedBy ?? null,
    skipInvalid: !!opts.skipInvalid,
    bulkThresholdRows: opts.bulkThresholdRows,
  };
  const canThread =
    taxonomy.origins &&
    (BUILTIN_PROFILES[profile.name] === profile || (profile.name === 'generic' && profile.mappingFile));
  if (!canThread)
    return importInTransaction(store, file, profile, write, (onBatch) =>
      readIncidents(file, profile, taxonomy, onBatch, opts),
    );

  const job = (mode: ThreadMode): ThreadJob => ({
    mode,
    background: opts.background,
    file,
    profile: { name: profile.name, mappingFile: profile.mappingFile, timeZone: profile.timeZone },
    origins: { ...taxonomy.origins! },
    read: {
      batchSize: opts.batchSize,
      maxErrors: opts.maxErrors,
      maxRecordBytes: opts.maxRecordBytes,
      encoding: opts.encoding,
    },
    write,
  });
  const handlers = {
    onProgress: opts.onProgress,
    onPublish: opts.onPublish,
    rejected: (s: ReadSummary) => new ImportRejected(s),
  };
  if (store.dialect === 'sqlite' && (store.location === ':memory:' || store.location === '')) {
    return importInTransaction(
      store,
      file,
      profile,
      write,
      async (onBatch) =>
        (await runOnImportThread(job({ kind: 'read' }), { ...handlers, onBatch: async (rows) => onBatch(rows) }))
          .summary,
    );
  }
  const mode: ThreadMode =
    store.dialect === 'sqlite'
      ? { kind: 'sqlite', dbFile: store.location, turns: store.writeTurns }
      : { kind: 'postgres', url: store.pg!.options.connectionString! };
  statSync(file); // a missing file fails here, as before, not after a thread start
  const r = await runOnImportThread(job(mode), handlers);
  return { ...r.summary, datasetId: write.datasetId, source, imported: r.imported!, duplicates: r.duplicates! };
}

export interface WriteSpec {
  datasetId: string;
  source: string;
  importedBy: string | null;
  skipInvalid: boolean;
  bulkThresholdRows?: number;
}

/**
 * Write one file's rows in ONE transaction on `store` (PostgreSQL, in-memory SQLite): `read` streams the
 * valid rows to the batch writer and returns the summary; a bad row (unless skipInvalid) rolls it all back.
 */
export async function importInTransaction(
  store: Store,
  file: string,
  profile: Profile,
  w: WriteSpec,
  read: (onBatch: (rows: IncidentRow[]) => Promise<void>) => Promise<ReadSummary>,
): Promise<ImportResult> {
  const { datasetId, source } = w;
  const startedAt = nowIso();
  const fileBytes = statSync(file).size;
  return store.db.transaction().execute(async (trx) => {
    // Bulk mode: when the file is larger than the table (≈200 bytes a row), maintaining the two
    // secondary indexes row by row costs more than rebuilding them once at the end (O(n log n) either
    // way, but sequential). DDL is transactional on both databases, so a failure restores them.
    const existing = Number(
      (
        await trx
          .selectFrom('incidents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const bulk = fileBytes / 200 > Math.max(existing, w.bulkThresholdRows ?? 50_000);
    if (bulk) for (const ix of SECONDARY_INDEXES) await trx.schema.dropIndex(ix.name).execute();
    // The dataset row goes first (incidents reference it); it is rolled back with everything else on failure.
    await trx
      .insertInto('datasets')
      .values({
        id: datasetId,
        source,
        file_name: basename(file),
        file_sha256: '',
        profile: profile.name,
        src_crs: profile.crs,
        rows_read: 0,
        rows_imported: 0,
        rows_duplicate: 0,
        imported_by: w.importedBy,
        started_at: startedAt,
        finished_at: startedAt,
      })
      .execute();
    let imported = 0;
    let offered = 0;
    const summary = await read(async (rows) => {
      offered += rows.length;
      imported += await insertMany(
        store,
        trx,
        'incidents',
        rows.map((r) => ({ ...r, source, dataset_id: datasetId })),
        ['source', 'source_id'],
      );
    });
    if (summary.errorCount > 0 && !w.skipInvalid) throw new ImportRejected(summary);
    if (bulk)
      for (const ix of SECONDARY_INDEXES)
        await trx.schema.createIndex(ix.name).on('incidents').columns(ix.columns).execute();
    await trx
      .updateTable('datasets')
      .set({
        file_sha256: summary.sha256,
        rows_read: summary.rowsRead,
        rows_imported: imported,
        rows_duplicate: offered - imported,
        finished_at: nowIso(),
      })
      .where('id', '=', datasetId)
      .execute();
    return { ...summary, datasetId, source, imported, duplicates: offered - imported };
  });
}
