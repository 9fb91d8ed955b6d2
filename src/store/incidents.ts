import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../domain/errors';
import type { Profile } from '../ingest/profiles';
import { readIncidents, type ReadOptions, type ReadSummary } from '../ingest/read-incidents';
import type { Taxonomy } from '../ingest/taxonomy';
import { insertMany, nowIso, type Store } from './db';

/** Must match the indexes migration 0001 creates on `incidents`. */
const SECONDARY_INDEXES = [
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
    super(
      `${summary.file}: ${summary.errorCount} bad row(s) of ${summary.rowsRead}; nothing was imported` +
        (Object.keys(summary.unknownTypes).length ? ` (unknown types: ${Object.keys(summary.unknownTypes).slice(0, 10).join(', ')})` : ''),
      summary.errors,
    );
  }
}

/**
 * Import a CSV incident file in ONE transaction: streamed in batches, idempotent on (source, source_id),
 * and all-or-nothing — any bad row (unless skipInvalid) or crash leaves the database as it was.
 */
export async function importIncidentFile(store: Store, file: string, profile: Profile, taxonomy: Taxonomy, opts: ImportOptions = {}): Promise<ImportResult> {
  const source = opts.source ?? profile.source;
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) throw new InputError(`bad source name "${source}"`, [{ field: '--source', expected: 'lower-case letters, digits, . _ - (max 64)' }]);
  const datasetId = randomUUID();
  const startedAt = nowIso();
  const fileBytes = statSync(file).size;
  return store.db.transaction().execute(async (trx) => {
    // Bulk mode: when the file is larger than the table (≈200 bytes a row), maintaining the two
    // secondary indexes row by row costs more than rebuilding them once at the end (O(n log n) either
    // way, but sequential). DDL is transactional on both databases, so a failure restores them.
    const existing = Number((await trx.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const bulk = fileBytes / 200 > Math.max(existing, opts.bulkThresholdRows ?? 50_000);
    if (bulk) for (const ix of SECONDARY_INDEXES) await trx.schema.dropIndex(ix.name).execute();
    // The dataset row goes first (incidents reference it); it is rolled back with everything else on failure.
    await trx.insertInto('datasets').values({
      id: datasetId, source, file_name: basename(file), file_sha256: '', profile: profile.name, src_crs: profile.crs,
      rows_read: 0, rows_imported: 0, rows_duplicate: 0, imported_by: opts.importedBy ?? null, started_at: startedAt, finished_at: startedAt,
    }).execute();
    let imported = 0;
    let offered = 0;
    const summary = await readIncidents(file, profile, taxonomy, async (rows) => {
      offered += rows.length;
      imported += await insertMany(store, trx, 'incidents', rows.map((r) => ({ ...r, source, dataset_id: datasetId })), ['source', 'source_id']);
    }, opts);
    if (summary.errorCount > 0 && !opts.skipInvalid) throw new ImportRejected(summary);
    if (bulk) for (const ix of SECONDARY_INDEXES) await trx.schema.createIndex(ix.name).on('incidents').columns(ix.columns).execute();
    await trx.updateTable('datasets').set({
      file_sha256: summary.sha256, rows_read: summary.rowsRead, rows_imported: imported, rows_duplicate: offered - imported, finished_at: nowIso(),
    }).where('id', '=', datasetId).execute();
    return { ...summary, datasetId, source, imported, duplicates: offered - imported };
  });
}
