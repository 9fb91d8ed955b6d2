/**
 * Import into PostgreSQL from an import thread, on the thread's own connection, in ONE transaction:
 * the valid rows stream into a temporary table through COPY (text format; no per-row statement and no
 * 65,535-parameter chunks as with multi-row INSERTs), then one INSERT … SELECT publishes them into
 * `incidents`, skipping source ids already stored (the first of a file's repeated ids wins, as before).
 * Memory stays flat: each parsed batch is written into the COPY stream before the next is read.
 * A bad row (unless skipInvalid) or any failure rolls the transaction back: nothing is written.
 */
import { basename } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Profile } from '../ingest/profiles';
import type { IncidentRow, ReadSummary } from '../ingest/read-incidents';
import { nowIso } from './db';
import { ImportRejected, SECONDARY_INDEXES, type ImportResult, type WriteSpec } from './incidents';

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

/** One value in COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped. */
function copyText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : v;
}

/** The rows as COPY text lines. O(rows · columns). */
export function copyLines(rows: IncidentRow[]): string {
  let out = '';
  for (const r of rows) {
    for (let c = 0; c < COLUMNS.length; c++) out += (c ? '\t' : '') + copyText(r[COLUMNS[c]]);
    out += '\n';
  }
  return out;
}

export async function copyImportPostgres(
  url: string,
  file: string,
  fileBytes: number,
  profile: Profile,
  w: WriteSpec,
  read: (onBatch: (rows: IncidentRow[]) => Promise<void>) => Promise<ReadSummary>,
): Promise<ImportResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { datasetId, source } = w;
  try {
    await client.query('BEGIN');
    const startedAt = nowIso();
    // Bulk mode as in importInTransaction: a file larger than the table rebuilds the secondary indexes once.
    const existing = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM incidents')).rows[0].n);
    const bulk = fileBytes / 200 > Math.max(existing, w.bulkThresholdRows ?? 50_000);
    if (bulk) for (const ix of SECONDARY_INDEXES) await client.query(`DROP INDEX ${ix.name}`);
    await client.query(
      `INSERT INTO datasets (id, source, file_name, file_sha256, profile, src_crs, rows_read, rows_imported, rows_duplicate, imported_by, started_at, finished_at)
       VALUES ($1, $2, $3, '', $4, $5, 0, 0, 0, $6, $7, $7)`,
      [datasetId, source, basename(file), profile.name, profile.crs, w.importedBy, startedAt],
    );
    // `n` keeps the file's order, so of two rows with one source id the first is the one kept.
    await client.query(
      `CREATE TEMP TABLE import_rows (n bigserial, ${COLUMNS.map((c) => `${c} ${c === 'lon' || c === 'lat' || c === 'x' || c === 'y' ? 'double precision' : 'text'}`).join(', ')}) ON COMMIT DROP`,
    );
    const copy = client.query(copyFrom(`COPY import_rows (${COLUMNS.join(', ')}) FROM STDIN`));
    const copied = new Promise<void>((resolve, reject) => {
      copy.on('finish', () => resolve());
      copy.on('error', reject);
    });
    copied.catch(() => undefined); // reported below, when awaited
    let offered = 0;
    let summary: ReadSummary;
    try {
      summary = await read(async (rows) => {
        offered += rows.length;
        if (!copy.write(copyLines(rows))) await Promise.race([once(copy, 'drain'), copied]);
      });
    } finally {
      copy.end();
    }
    await copied;
    if (summary.errorCount > 0 && !w.skipInvalid) throw new ImportRejected(summary);
    const ins = await client.query(
      `INSERT INTO incidents (source, dataset_id, ${COLUMNS.join(', ')}) SELECT $1, $2, ${COLUMNS.join(', ')} FROM import_rows ORDER BY n ON CONFLICT (source, source_id) DO NOTHING`,
      [source, datasetId],
    );
    const imported = ins.rowCount ?? 0;
    if (bulk)
      for (const ix of SECONDARY_INDEXES)
        await client.query(`CREATE INDEX ${ix.name} ON incidents (${ix.columns.join(', ')})`);
    await client.query(
      'UPDATE datasets SET file_sha256 = $1, rows_read = $2, rows_imported = $3, rows_duplicate = $4, finished_at = $5 WHERE id = $6',
      [summary.sha256, summary.rowsRead, imported, offered - imported, nowIso(), datasetId],
    );
    await client.query('COMMIT');
    return { ...summary, datasetId, source, imported, duplicates: offered - imported };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}
