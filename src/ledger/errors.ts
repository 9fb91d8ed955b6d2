import { InputError, type Where } from '../domain/errors';

/**
 * A ledger input or verification failure. `code` is a stable machine-readable reason
 * (e.g. 'inclusion-root-mismatch', 'note-no-trusted-signature') that adapters can map
 * to HTTP problems or CLI exit messages; `where` names the line, field or index.
 */
export class LedgerError extends InputError {
  constructor(
    public readonly code: string,
    message: string,
    where: Where[] = [],
    status = 400,
  ) {
    super(message, where, status);
    this.name = 'LedgerError';
  }
}

/** Shorthand used by the parsers: a LedgerError that names one line of a text format. */
export function lineError(code: string, message: string, line: number, expected?: string, got?: string): LedgerError {
  const w: Where = { row: line, field: `line ${line}` };
  if (expected !== undefined) w.expected = expected;
  if (got !== undefined) w.got = got.length > 80 ? `${got.slice(0, 80)}…` : got;
  return new LedgerError(code, `${message} (line ${line})`, [w]);
}
