/**
 * Text encodings of imported files. Korean public data usually arrives as CP949 (Microsoft's superset of
 * EUC-KR), often with thousands separators inside quoted numbers ("1,395"); UTF-8 files may start with a
 * BOM. A caller names the encoding (`--encoding cp949|euc-kr|utf-8`) or lets it be detected: a UTF-8 BOM
 * or bytes that are valid UTF-8 mean UTF-8, anything else is read as CP949 (both EUC-KR and CP949 decode
 * with the CP949 table, which covers every EUC-KR character).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';

export const ENCODINGS = ['utf-8', 'cp949', 'euc-kr'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export type EncodingChoice = Encoding | 'auto';

/** A user's --encoding value, checked. */
export function parseEncoding(value: string | undefined, field = '--encoding'): EncodingChoice {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  const v = value
    .toLowerCase()
    .replace(/^utf8$/, 'utf-8')
    .replace(/^euckr$/, 'euc-kr');
  if ((ENCODINGS as readonly string[]).includes(v)) return v as Encoding;
  throw new InputError(
    msg('encoding.unknown', { value: value.slice(0, 40), known: [...ENCODINGS, 'auto'].join(', ') }),
    [{ field, expected: `one of ${[...ENCODINGS, 'auto'].join(', ')}`, got: value.slice(0, 40) }],
  );
}

/** The encoding of a byte sample: BOM or valid UTF-8 → utf-8, otherwise cp949. O(sample). */
export function detectEncoding(sample: Uint8Array): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'cp949';
  }
}

/** Detect a file's encoding from its first 64 KiB. */
export function detectFileEncoding(file: string): Encoding {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return detectEncoding(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

export function resolveEncoding(choice: EncodingChoice | undefined, file: string): Encoding {
  return !choice || choice === 'auto' ? detectFileEncoding(file) : choice;
}

/** Decode a whole buffer, BOM removed. */
export function decodeText(buf: Buffer, encoding: Encoding): string {
  const text = encoding === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, 'cp949');
  return text.replace(/^\uFEFF/, '');
}

/** A transform stream from CP949/EUC-KR bytes to strings (iconv-lite strips a BOM). */
export function decodeCp949Stream(): NodeJS.ReadWriteStream {
  return iconv.decodeStream('cp949') as NodeJS.ReadWriteStream;
}

const GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * A number as Korean (and US) tables print it: `1395`, `1,395`, `-2,056.5`. Commas must group digits in
 * threes (`1,39` is not a number: it may be a decimal comma or a typo). NaN for anything else.
 */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  if (s === '') return Number.NaN;
  if (s.includes(',')) return GROUPED.test(s) ? Number(s.replace(/,/g, '')) : Number.NaN;
  return Number(s);
}
