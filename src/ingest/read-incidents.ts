import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InputError, preview, type Where } from '../domain/errors';
import { toWgs84 } from '../geo/epsg';
import type { Profile } from './profiles';
import type { Taxonomy } from './taxonomy';

/** An incident ready for the store (column names as in the `incidents` table). */
export interface IncidentRow {
  source_id: string;
  type: string;
  subtype: string | null;
  origin: 'citizen' | 'officer';
  occurred_at: string;
  time_precision: string;
  lon: number;
  lat: number;
  x: number;
  y: number;
  src_crs: string;
  area: string | null;
  attrs: string;
}

export interface ReadSummary {
  file: string;
  sha256: string;
  rowsRead: number;
  rowsValid: number;
  /** Every bad row counts here; the first `maxErrors` are kept with full detail. */
  errorCount: number;
  errors: Where[];
  /** Types not in the taxonomy, with how many rows had them: reported, never guessed. */
  unknownTypes: Record<string, number>;
}

export interface ReadOptions {
  batchSize?: number;
  maxErrors?: number;
  /** Hard cap on one CSV record, so a missing quote cannot swallow the whole file into memory. */
  maxRecordBytes?: number;
  onProgress?(bytesRead: number, totalBytes: number, rows: number): void;
}

/**
 * Stream a CSV file through a profile: parse, map, tag origin, project to WGS84, validate.
 * Valid rows go to `onBatch` in batches; bad rows are collected as errors naming file, row, field and
 * what was expected. Memory is bounded by the batch size (plus, for files without an id column, one
 * small counter per distinct row content, which gives identical rows stable distinct ids).
 * O(rows) time.
 */
export async function readIncidents(
  file: string,
  profile: Profile,
  taxonomy: Taxonomy,
  onBatch: (rows: IncidentRow[]) => Promise<void> | void,
  opts: ReadOptions = {},
): Promise<ReadSummary> {
  const batchSize = opts.batchSize ?? 5000;
  const maxErrors = opts.maxErrors ?? 1000;
  let total: number;
  try {
    total = statSync(file).size;
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`, [{ file, expected: 'a readable CSV file' }]);
  }
  const summary: ReadSummary = { file, sha256: '', rowsRead: 0, rowsValid: 0, errorCount: 0, errors: [], unknownTypes: {} };
  const fail = (w: Where) => {
    summary.errorCount++;
    if (summary.errors.length < maxErrors) summary.errors.push(w);
  };
  const project = toWgs84(profile.crs);
  const bbox = profile.bbox;
  const seen = new Map<string, number>();
  const hash = createHash('sha256');
  let bytes = 0;

  const input = createReadStream(file);
  input.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytes += chunk.length;
  });
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        const trimmed = header.map((h) => h.trim());
        const missing = profile.requiredColumns.filter((c) => !trimmed.includes(c));
        if (missing.length) {
          throw new InputError(`${file} lacks columns the ${profile.name} profile needs`, missing.map((c) => ({ file, row: 1, field: c, expected: `a column named "${c}"` })));
        }
        const dup = trimmed.find((h, i) => trimmed.indexOf(h) !== i && profile.requiredColumns.includes(h));
        if (dup) throw new InputError(`${file} has the column "${dup}" twice`, [{ file, row: 1, field: dup, expected: 'each column once' }]);
        return trimmed;
      },
      info: true,
      max_record_size: opts.maxRecordBytes ?? 65_536,
      skip_empty_lines: true,
    }),
  );

  let batch: IncidentRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      summary.rowsRead++;
      const row = info.lines;
      const mapped = profile.map(record, file);
      if (Array.isArray(mapped)) {
        for (const p of mapped) fail({ file, row, ...p });
        continue;
      }
      const origin = taxonomy.originOf(mapped.type);
      if (!origin) {
        summary.unknownTypes[mapped.type] = (summary.unknownTypes[mapped.type] ?? 0) + 1;
        fail({ file, row, field: 'type', expected: 'a type listed in the taxonomy (add it to the taxonomy file with its origin)', got: preview(mapped.type) });
        continue;
      }
      const [lon, lat] = project(mapped.x, mapped.y);
      if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90 ||
          (bbox && (lon < bbox[0] || lat < bbox[1] || lon > bbox[2] || lat > bbox[3]))) {
        fail({
          file, row, field: 'x/y',
          expected: `coordinates in ${profile.crs} that fall inside ${bbox ? `lon ${bbox[0]}..${bbox[2]}, lat ${bbox[1]}..${bbox[3]}` : 'the valid lon/lat range'} (is the file in another CRS?)`,
          got: `${preview(mapped.x, 20)}, ${preview(mapped.y, 20)}`,
        });
        continue;
      }
      let sourceId = mapped.sourceId;
      if (!sourceId) {
        // No id column: identical rows are distinct calls (the NIJ counted them), so number them by occurrence.
        const key = createHash('sha256').update(Object.values(record).join('\u001f')).digest('base64url').slice(0, 22);
        const k = (seen.get(key) ?? 0) + 1;
        seen.set(key, k);
        sourceId = `${key}.${k}`;
      }
      summary.rowsValid++;
      batch.push({
        source_id: sourceId, type: mapped.type.trim().toUpperCase(), subtype: mapped.subtype, origin,
        occurred_at: mapped.iso, time_precision: mapped.precision, lon, lat, x: mapped.x, y: mapped.y,
        src_crs: profile.crs, area: mapped.area, attrs: JSON.stringify(mapped.attrs),
      });
      if (batch.length >= batchSize) {
        await onBatch(batch);
        batch = [];
        opts.onProgress?.(bytes, total, summary.rowsRead);
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof CsvError) {
      const lines = (e as CsvError & { lines?: number }).lines;
      throw new InputError(`${file} is not valid CSV: ${e.message}`, [{ file, row: lines, expected: 'well-formed CSV (balanced quotes, same column count on every row)' }]);
    }
    throw e;
  } finally {
    input.destroy();
  }
  if (batch.length) await onBatch(batch);
  opts.onProgress?.(total, total, summary.rowsRead);
  summary.sha256 = hash.digest('hex');
  if (summary.rowsRead === 0) fail({ file, expected: 'at least one data row after the header' });
  return summary;
}
