/**
 * Tables about areas (residents per district, cameras per district, crimes per police station) and their
 * join onto a boundary layer. Korean statistics come as boundaries plus a table keyed by a code or a name,
 * in CP949 or UTF-8, with Korean headers and "1,395"-style numbers; a mapping file names the columns in
 * the file's own language. Everything is checked before anything is returned: a bad value or a key that
 * matches no area stops the whole join, naming file, row and column. O(rows + areas).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { z } from 'zod';
import { InputError, preview, type Where } from '../domain/errors';
import { msg } from '../domain/messages';
import { decodeText, resolveEncoding, type Encoding, type EncodingChoice } from './encoding';
import { parseNumber } from './encoding';
import type { AreaLayer } from './read-areas';

export interface Table {
  file: string;
  sha256: string;
  encoding: Encoding;
  header: string[];
  /** Data rows; row i is line i + 2 of the file (the header is row 1). */
  rows: string[][];
}

const MAX_TABLE_BYTES = 50 * 1024 * 1024;

/** Read a whole CSV table (decoded, BOM stripped, headers trimmed). For small aggregate tables. */
export function readTable(file: string, opts: { encoding?: EncodingChoice } = {}): Table {
  let buf: Buffer;
  try {
    if (statSync(file).size > MAX_TABLE_BYTES) throw new Error(`over ${MAX_TABLE_BYTES} bytes`);
    buf = readFileSync(file);
  } catch (e) {
    throw new InputError(msg('table.cannotRead', { file, reason: (e as Error).message }), [
      { file, expected: `a readable CSV file of at most ${MAX_TABLE_BYTES} bytes` },
    ]);
  }
  const encoding = resolveEncoding(opts.encoding, file);
  const parsed = Papa.parse<string[]>(decodeText(buf, encoding), { header: false, skipEmptyLines: 'greedy' });
  const quote = parsed.errors.find((e) => e.type === 'Quotes');
  if (quote)
    throw new InputError(msg('table.cannotRead', { file, reason: quote.message }), [
      { file, row: (quote.row ?? 0) + 1, expected: 'well-formed CSV (balanced quotes)' },
    ]);
  const [head, ...rows] = parsed.data;
  if (!head || rows.length === 0)
    throw new InputError(msg('table.cannotRead', { file, reason: 'no data rows' }), [
      { file, expected: 'a header and at least one data row' },
    ]);
  return {
    file,
    sha256: createHash('sha256').update(buf).digest('hex'),
    encoding,
    header: head.map((h) => h.trim()),
    rows,
  };
}

/**
 * How to read a table: which column is the key and which columns become which attributes. Column names
 * are the file's own (Korean headers stay Korean); attribute names are what the product uses.
 */
export const TableMappingSchema = z.object({
  about: z.string().optional(),
  source: z.string().optional(),
  encoding: z.enum(['utf-8', 'cp949', 'euc-kr', 'auto']).default('auto'),
  /** Column holding the key (an area code or name, or e.g. a police station). */
  key: z.string().min(1),
  /** Attribute name → column name; every value must be a count (thousands separators allowed). */
  counts: z.record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'an attribute name: lower-case letters, digits, _'),
    z.string().min(1),
  ),
  /** Attribute name → column name, kept as text. */
  texts: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string().min(1)).default({}),
});
export type TableMapping = z.infer<typeof TableMappingSchema>;

export function loadTableMapping(file: string): TableMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(msg('table.cannotRead', { file, reason: (e as Error).message }), [
      { file, expected: 'a JSON table mapping' },
    ]);
  }
  const r = TableMappingSchema.safeParse(raw);
  if (!r.success)
    throw new InputError(
      msg('table.badMapping', { file }),
      r.error.issues.map((i) => ({ file, field: i.path.join('.'), expected: i.message })),
    );
  return r.data;
}

export interface KeyedRecord {
  key: string;
  /** Row in the file (header = 1). */
  row: number;
  values: Record<string, number | string>;
}

/** Apply a mapping to a table: every count parsed, every column present, keys unique. */
export function mapTable(table: Table, mapping: Pick<TableMapping, 'key' | 'counts' | 'texts'>): KeyedRecord[] {
  const { file } = table;
  const col = new Map(table.header.map((h, i) => [h, i]));
  const wanted = [mapping.key, ...Object.values(mapping.counts), ...Object.values(mapping.texts ?? {})];
  const missing = wanted.filter((c) => !col.has(c));
  if (missing.length) {
    throw new InputError(
      msg('table.missingColumns', { file, columns: missing.join(', ') }),
      missing.map((c) => ({
        file,
        row: 1,
        field: c,
        expected: `a column named "${c}" (columns found: ${table.header.join(', ')})`,
      })),
    );
  }
  const where: Where[] = [];
  const seen = new Set<string>();
  const out = table.rows.map((r, i): KeyedRecord => {
    const row = i + 2;
    const cell = (c: string) => (r[col.get(c)!] ?? '').trim();
    const key = cell(mapping.key);
    if (!key) where.push({ file, row, field: mapping.key, expected: 'a key', got: '' });
    else if (seen.has(key)) where.push({ file, row, field: mapping.key, expected: 'each key once', got: preview(key) });
    seen.add(key);
    const values: Record<string, number | string> = {};
    for (const [attr, c] of Object.entries(mapping.counts)) {
      const v = parseNumber(cell(c));
      if (!(Number.isFinite(v) && v >= 0))
        where.push({
          file,
          row,
          field: c,
          expected: 'a count ≥ 0 (digits, optionally grouped like 1,395)',
          got: preview(cell(c)),
        });
      values[attr] = v;
    }
    for (const [attr, c] of Object.entries(mapping.texts ?? {})) values[attr] = cell(c).slice(0, 128);
    return { key, row, values };
  });
  if (where.length) throw new InputError(msg('table.badValues', { file, count: where.length }), where.slice(0, 100));
  return out;
}

/**
 * Sum records into groups (e.g. police stations into the district that holds them). `groupOf` maps a key
 * to its group; a key with no group is an error naming its row.
 */
export function sumBy(
  records: KeyedRecord[],
  groupOf: (key: string) => string | undefined,
  file: string,
  field: string,
): KeyedRecord[] {
  const where: Where[] = [];
  const groups = new Map<string, KeyedRecord>();
  for (const r of records) {
    const g = groupOf(r.key);
    if (!g) {
      where.push({ file, row: r.row, field, expected: 'a key listed in the grouping table', got: preview(r.key) });
      continue;
    }
    const acc = groups.get(g) ?? { key: g, row: r.row, values: {} };
    for (const [k, v] of Object.entries(r.values))
      if (typeof v === 'number') acc.values[k] = ((acc.values[k] as number | undefined) ?? 0) + v;
    groups.set(g, acc);
  }
  if (where.length) throw new InputError(msg('join.unmatched', { file, count: where.length }), where.slice(0, 100));
  return [...groups.values()];
}

export interface JoinOptions {
  /** Match on the area's code (default) or its name. */
  on?: 'code' | 'name';
  /** Every area must get a record (default true): a district missing from a census table is an error, not a zero. */
  requireAll?: boolean;
  file: string;
}

/**
 * A copy of `layer` with each record's values added to its area's attributes. Keys are matched after
 * trimming (and, for names, Unicode NFC normalisation, since Hangul may arrive decomposed). Keys that
 * match no area, and (unless requireAll is false) areas that get no record, stop the join.
 */
export function joinOntoLayer(layer: AreaLayer, records: KeyedRecord[], opts: JoinOptions): AreaLayer {
  const on = opts.on ?? 'code';
  const norm = (s: string) => s.trim().normalize('NFC');
  const byKey = new Map(layer.areas.map((a, i) => [norm(on === 'code' ? a.code : a.name), i]));
  const where: Where[] = [];
  const got = new Map<number, KeyedRecord>();
  for (const r of records) {
    const i = byKey.get(norm(r.key));
    if (i === undefined)
      where.push({
        file: opts.file,
        row: r.row,
        field: on,
        expected: `an area ${on} of the layer ${layer.file}`,
        got: preview(r.key),
      });
    else got.set(i, r);
  }
  if (opts.requireAll ?? true) {
    layer.areas.forEach((a, i) => {
      if (!got.has(i))
        where.push({
          file: opts.file,
          field: on,
          expected: `a row for the area ${on === 'code' ? a.code : a.name} (${a.name})`,
        });
    });
  }
  if (where.length)
    throw new InputError(msg('join.unmatched', { file: opts.file, count: where.length }), where.slice(0, 100));
  return {
    ...layer,
    areas: layer.areas.map((a, i) => ({ ...a, attrs: { ...a.attrs, ...(got.get(i)?.values ?? {}) } })),
  };
}

/**
 * Join tables onto a layer, each through its mapping file; the layer's sha256 then covers the boundary
 * file and every table, so the log entry commits to what was actually loaded.
 */
export function joinTables(
  layer: AreaLayer,
  tables: string[],
  mappings: string[],
  on: 'code' | 'name' = 'code',
): AreaLayer {
  const hash = createHash('sha256').update(layer.sha256);
  let out = layer;
  tables.forEach((file, i) => {
    const m = loadTableMapping(mappings[i]);
    const t = readTable(file, { encoding: m.encoding });
    hash.update(t.sha256);
    out = joinOntoLayer(out, mapTable(t, m), { file, on });
  });
  return tables.length ? { ...out, sha256: hash.digest('hex') } : out;
}
