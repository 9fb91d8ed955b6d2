/**
 * C2SP tlog-checkpoint: the note text of a signed tree head.
 *
 *   <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]*
 *
 * Parsing is strict: every error names the line. Signing and opening go through note.ts.
 */
import { LedgerError, lineError } from './errors';
import { msg } from '../domain/messages';
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
    throw new LedgerError(msg('ledger.checkpoint-origin.format'), [{ field: 'origin' }]);
  if (!Number.isSafeInteger(c.size) || c.size < 0)
    throw new LedgerError(msg('ledger.checkpoint-size.format', { got: c.size }), [{ field: 'size' }]);
  if (c.root.length !== HASH_SIZE)
    throw new LedgerError(msg('ledger.checkpoint-root.format', { bytes: HASH_SIZE, got: c.root.length }), [
      { field: 'root' },
    ]);
  for (const [i, e] of (c.extensions ?? []).entries()) {
    if (e.length === 0 || /\n/.test(e))
      throw new LedgerError(msg('ledger.checkpoint-extension.format', { i }), [{ field: `extensions[${i}]` }]);
  }
  const text =
    [c.origin, String(c.size), Buffer.from(c.root).toString('base64'), ...(c.extensions ?? [])].join('\n') + '\n';
  checkNoteText(text);
  return text;
}

/** Strict parse of checkpoint note text. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n'))
    throw new LedgerError(msg('ledger.checkpoint-malformed.newline'), [{ field: 'checkpoint' }]);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3)
    throw lineError(
      msg('ledger.checkpoint-malformed.lines', { lines: lines.length }),
      lines.length + 1,
      'origin, size, root hash',
    );
  const [origin, sizeStr, rootStr, ...extensions] = lines;
  if (origin.length === 0) throw lineError(msg('ledger.checkpoint-origin.empty'), 1, 'non-empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeStr))
    throw lineError(msg('ledger.checkpoint-size.decimal'), 2, 'decimal integer', sizeStr);
  const size = Number(sizeStr);
  if (!Number.isSafeInteger(size)) throw lineError(msg('ledger.checkpoint-size.tooLarge'), 2, '< 2^53', sizeStr);
  const root = Buffer.from(rootStr, 'base64');
  if (root.toString('base64') !== rootStr)
    throw lineError(msg('ledger.checkpoint-root.base64'), 3, 'standard base64', rootStr);
  if (root.length !== HASH_SIZE)
    throw lineError(
      msg('ledger.checkpoint-root.length', { got: root.length, bytes: HASH_SIZE }),
      3,
      `${HASH_SIZE}-byte hash`,
      rootStr,
    );
  extensions.forEach((e, i) => {
    if (e.length === 0) throw lineError(msg('ledger.checkpoint-extension.empty'), 4 + i);
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
      msg('ledger.checkpoint-origin-mismatch', {
        got: JSON.stringify(checkpoint.origin),
        want: JSON.stringify(origin),
      }),
      1,
      origin,
      checkpoint.origin,
    );
  }
  return { ...opened, checkpoint };
}
