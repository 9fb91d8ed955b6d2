/**
 * C2SP tlog-checkpoint: the note text of a signed tree head.
 *
 *   <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]*
 *
 * Parsing is strict: every error names the line. Signing and opening go through note.ts.
 */
import { LedgerError, lineError } from './errors';
import { HASH_SIZE } from './merkle';
import { checkNoteText, openNote, signNote, type OpenedNote } from './note';
import type { NoteSigner, NoteVerifier } from './keys';

export interface Checkpoint {
  origin: string;
  size: number;
  /** 32-byte root hash. */
  root: Buffer;
  /** Optional extension lines (non-empty, without newlines). NOT RECOMMENDED by the spec. */
  extensions: string[];
}

/** Format checkpoint note text (ends with a newline). */
export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || /\n/.test(c.origin))
    throw new LedgerError('checkpoint-origin', 'origin must be a non-empty single line', [{ field: 'origin' }]);
  if (!Number.isSafeInteger(c.size) || c.size < 0)
    throw new LedgerError('checkpoint-size', `tree size must be a non-negative integer, got ${c.size}`, [
      { field: 'size' },
    ]);
  if (c.root.length !== HASH_SIZE)
    throw new LedgerError('checkpoint-root', `root hash must be ${HASH_SIZE} bytes, got ${c.root.length}`, [
      { field: 'root' },
    ]);
  for (const [i, e] of (c.extensions ?? []).entries()) {
    if (e.length === 0 || /\n/.test(e))
      throw new LedgerError('checkpoint-extension', `extension line ${i} must be non-empty and single-line`, [
        { field: `extensions[${i}]` },
      ]);
  }
  const text =
    [c.origin, String(c.size), Buffer.from(c.root).toString('base64'), ...(c.extensions ?? [])].join('\n') + '\n';
  checkNoteText(text);
  return text;
}

/** Strict parse of checkpoint note text. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n'))
    throw new LedgerError('checkpoint-malformed', 'checkpoint text must end with a newline', [{ field: 'checkpoint' }]);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3)
    throw lineError(
      'checkpoint-malformed',
      `checkpoint has ${lines.length} lines, needs at least 3 (origin, size, root hash)`,
      lines.length + 1,
      'origin, size, root hash',
    );
  const [origin, sizeStr, rootStr, ...extensions] = lines;
  if (origin.length === 0) throw lineError('checkpoint-origin', 'origin line is empty', 1, 'non-empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeStr))
    throw lineError(
      'checkpoint-size',
      'tree size is not a decimal number without leading zeros',
      2,
      'decimal integer',
      sizeStr,
    );
  const size = Number(sizeStr);
  if (!Number.isSafeInteger(size)) throw lineError('checkpoint-size', 'tree size is too large', 2, '< 2^53', sizeStr);
  const root = Buffer.from(rootStr, 'base64');
  if (root.toString('base64') !== rootStr)
    throw lineError('checkpoint-root', 'root hash is not canonical base64', 3, 'standard base64', rootStr);
  if (root.length !== HASH_SIZE)
    throw lineError(
      'checkpoint-root',
      `root hash is ${root.length} bytes, expected ${HASH_SIZE}`,
      3,
      `${HASH_SIZE}-byte hash`,
      rootStr,
    );
  extensions.forEach((e, i) => {
    if (e.length === 0) throw lineError('checkpoint-extension', 'extension lines must be non-empty', 4 + i);
  });
  return { origin, size, root, extensions };
}

/** Sign a checkpoint with the log key(s); during rotation pass both old and new signers. */
export function signCheckpoint(c: Checkpoint, signers: NoteSigner[]): string {
  return signNote(formatCheckpoint(c), signers);
}

export interface OpenedCheckpoint extends OpenedNote {
  checkpoint: Checkpoint;
}

/**
 * Verify a signed checkpoint against the log's trusted verifier keys and, when given, its
 * expected origin. Throws a LedgerError ('checkpoint-origin-mismatch', note-* codes, parse codes).
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: NoteVerifier[],
  origin?: string,
): OpenedCheckpoint {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw lineError(
      'checkpoint-origin-mismatch',
      `checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(origin)}`,
      1,
      origin,
      checkpoint.origin,
    );
  }
  return { ...opened, checkpoint };
}
