/**
 * An uploaded audit CSV (person-level audit, proxy audit): parsed once, its header trimmed, columns found by
 * name (first occurrence: some published files repeat a name), and every refusal a coded message naming
 * the file, row and column. O(bytes).
 */
import Papa from 'papaparse';
import { InputError, type Where } from '../domain/errors';
import { msg } from '../domain/messages';

export interface CsvUpload {
  header: string[];
  /** Data rows, the header's row 1 not included (data[i] is the file's row i + 2). */
  data: string[][];
  /** The index of a named column; refused naming the column when the file has none. */
  column(name: string): number;
}

export function readCsvUpload(csv: string, file: string): CsvUpload {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: 'greedy', delimiter: ',' });
  const quotes = parsed.errors.find((e) => e.type === 'Quotes');
  if (quotes)
    throw new InputError(msg('monitor.csvQuotes', { file }), [
      { file, row: (quotes.row ?? 0) + 1, expected: 'balanced quotes' },
    ]);
  const [header, ...data] = parsed.data;
  if (!header)
    throw new InputError(msg('monitor.csvEmpty', { file }), [{ file, expected: 'a header row and data rows' }]);
  const names = header.map((h) => h.trim());
  return {
    header,
    data,
    column(name) {
      const i = names.indexOf(name);
      if (i < 0)
        throw new InputError(msg('monitor.csvNoColumn', { file, column: name }), [
          { file, row: 1, field: name, expected: `a column named ${name}` },
        ]);
      return i;
    },
  };
}

/** Refuse the file when any row was malformed (the first 100 named), or when it had no data rows. */
export function refuseBadRows(file: string, problems: Where[], rows: number): void {
  if (problems.length)
    throw new InputError(msg('monitor.csvBadRows', { file, count: problems.length }), problems.slice(0, 100));
  if (rows === 0) throw new InputError(msg('monitor.csvNoRows', { file }), [{ file, expected: 'at least one row' }]);
}
