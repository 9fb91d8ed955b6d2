/**
 * Reader for ProPublica's COMPAS files (`compas-scores-two-years.csv`, `…-violent.csv`), streaming,
 * with the traps handled: `decile_score` and `priors_count` appear TWICE in the header (the reader
 * checks that both copies agree on every row and names the row if they do not), and
 * `days_b_screening_arrest` is empty in some rows (read as null, never as 0).
 *
 * Names and dates of birth are deliberately not carried into the records: an audit needs groups,
 * decisions and outcomes, not identities. O(rows) time, O(1) memory per record when streamed.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { AuditColumns } from './person-audit';

export interface CompasRecord {
  /** 1-based line of the record in the file (header = line 1). */
  line: number;
  id: number;
  sex: string;
  age: number;
  ageCat: string;
  race: string;
  juvFelCount: number;
  juvMisdCount: number;
  juvOtherCount: number;
  priorsCount: number;
  /** Days between screening and arrest; null where the file leaves it empty. */
  daysBScreeningArrest: number | null;
  cChargeDegree: string;
  isRecid: number;
  isViolentRecid: number;
  decileScore: number;
  /** 'Low' | 'Medium' | 'High' (or 'N/A' in older extracts). */
  scoreText: string;
  vDecileScore: number | null;
  vScoreText: string;
  twoYearRecid: number;
}

const REQUIRED = [
  'id',
  'sex',
  'age',
  'age_cat',
  'race',
  'juv_fel_count',
  'juv_misd_count',
  'juv_other_count',
  'priors_count',
  'days_b_screening_arrest',
  'c_charge_degree',
  'is_recid',
  'is_violent_recid',
  'decile_score',
  'score_text',
  'two_year_recid',
] as const;
const OPTIONAL = ['v_decile_score', 'v_score_text'] as const;

interface HeaderIndex {
  file: string;
  at: Map<string, number[]>;
  width: number;
}

function indexHeader(header: string[], file: string): HeaderIndex {
  const at = new Map<string, number[]>();
  header.forEach((h, i) => {
    const name = h.trim().replace(/^\uFEFF/, '');
    at.set(name, [...(at.get(name) ?? []), i]);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length)
    throw new InputError(
      msg('fairness.notCompas', { file, columns: missing.join(', ') }),
      missing.map((c) => ({ file, row: 1, field: c, expected: `a column named ${c}` })),
    );
  return { file, at, width: header.length };
}

function toRecord(h: HeaderIndex, f: string[], line: number): CompasRecord {
  const { file } = h;
  if (f.length !== h.width)
    throw new InputError(msg('fairness.compasFieldCount', { file, line, count: f.length, width: h.width }), [
      { file, row: line, expected: `${h.width} fields`, got: String(f.length) },
    ]);
  const text = (c: string): string => {
    const idx = h.at.get(c);
    if (!idx) return '';
    const v = f[idx[0]].trim();
    // Duplicate header names: every copy must agree, else the file is not what we think it is.
    for (let j = 1; j < idx.length; j++)
      if (f[idx[j]].trim() !== v)
        throw new InputError(msg('fairness.compasColumnsDisagree', { file, line, column: c }), [
          {
            file,
            row: line,
            field: c,
            expected: 'equal values in both copies of the column',
            got: `${v} vs ${f[idx[j]].trim()}`.slice(0, 60),
          },
        ]);
    return v;
  };
  const int = (c: string): number => {
    const s = text(c);
    const v = Number(s);
    if (s === '' || !Number.isInteger(v))
      throw new InputError(msg('fairness.compasNotInteger', { file, line, column: c }), [
        { file, row: line, field: c, expected: 'an integer', got: s.slice(0, 40) },
      ]);
    return v;
  };
  const intOrNull = (c: string): number | null => (text(c) === '' ? null : int(c));
  return {
    line,
    id: int('id'),
    sex: text('sex'),
    age: int('age'),
    ageCat: text('age_cat'),
    race: text('race'),
    juvFelCount: int('juv_fel_count'),
    juvMisdCount: int('juv_misd_count'),
    juvOtherCount: int('juv_other_count'),
    priorsCount: int('priors_count'),
    daysBScreeningArrest: intOrNull('days_b_screening_arrest'),
    cChargeDegree: text('c_charge_degree'),
    isRecid: int('is_recid'),
    isViolentRecid: int('is_violent_recid'),
    decileScore: int('decile_score'),
    scoreText: text('score_text'),
    vDecileScore: h.at.has(OPTIONAL[0]) ? intOrNull('v_decile_score') : null,
    vScoreText: text('v_score_text'),
    twoYearRecid: int('two_year_recid'),
  };
}

/** Stream records from a COMPAS CSV file. */
export async function* readCompas(path: string): AsyncGenerator<CompasRecord> {
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true, bom: true }));
  let h: HeaderIndex | null = null;
  let line = 0;
  for await (const fields of parser as AsyncIterable<string[]>) {
    line++;
    if (!h) {
      h = indexHeader(fields, path);
      continue;
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield toRecord(h, fields, line);
  }
  if (!h)
    throw new InputError(msg('fairness.compasEmpty', { file: path }), [
      { file: path, expected: 'a header row and data rows' },
    ]);
}

/** Parse COMPAS CSV text held in memory (tests, uploads). */
export function parseCompas(text: string, file = 'compas.csv'): CompasRecord[] {
  const rows = parseSync(text, { relax_column_count: true, bom: true, skip_empty_lines: true }) as string[][];
  if (!rows.length)
    throw new InputError(msg('fairness.compasEmpty', { file }), [{ file, expected: 'a header row and data rows' }]);
  const h = indexHeader(rows[0], file);
  return rows.slice(1).map((f, i) => toRecord(h, f, i + 2));
}

/** Collect a stream (or any async iterable) into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * ProPublica's regression filter (6,172 of the 7,214 rows): screening within 30 days of the arrest,
 * a known recidivism status, not an ordinary traffic offence, and a score present.
 */
export function propublicaFilter(r: CompasRecord): boolean {
  return (
    r.daysBScreeningArrest !== null &&
    r.daysBScreeningArrest <= 30 &&
    r.daysBScreeningArrest >= -30 &&
    r.isRecid !== -1 &&
    r.cChargeDegree !== 'O' &&
    r.scoreText !== 'N/A' &&
    r.scoreText !== ''
  );
}

export interface CompasAuditSpec {
  /** score_text values that count as flagged; ProPublica: Medium and High. */
  positive?: string[];
  /** Or flag by decile: decile_score ≥ this (overrides `positive`). */
  decileThreshold?: number;
  /** Outcome column; default two_year_recid. */
  outcome?: 'twoYearRecid' | 'isRecid' | 'isViolentRecid';
  /** Group attributes; default race, sex, ageCat. */
  attributes?: ('race' | 'sex' | 'ageCat')[];
}

/** Integer-coded audit columns from COMPAS records (feed to `auditColumns`). O(rows). */
export function compasAuditColumns(records: CompasRecord[], spec: CompasAuditSpec = {}): AuditColumns {
  const positive = new Set(spec.positive ?? ['Medium', 'High']);
  const outcome = spec.outcome ?? 'twoYearRecid';
  const attrs = spec.attributes ?? ['race', 'sex', 'ageCat'];
  const n = records.length;
  const predicted = new Uint8Array(n);
  const label = new Uint8Array(n);
  const maps = attrs.map(() => new Map<string, number>());
  const codes = attrs.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const r = records[i];
    predicted[i] =
      spec.decileThreshold !== undefined
        ? r.decileScore >= spec.decileThreshold
          ? 1
          : 0
        : positive.has(r.scoreText)
          ? 1
          : 0;
    label[i] = r[outcome] === 1 ? 1 : 0;
    attrs.forEach((a, j) => {
      const v = r[a];
      if (!v) {
        codes[j][i] = -1;
        return;
      }
      let c = maps[j].get(v);
      if (c === undefined) maps[j].set(v, (c = maps[j].size));
      codes[j][i] = c;
    });
  }
  return {
    predicted,
    label,
    attributes: attrs.map((name, j) => ({ name, levels: [...maps[j].keys()], codes: codes[j] })),
  };
}
