import { InputError, type Where } from '../domain/errors';
import type { Message, MessageParams } from '../domain/messages';

/** A ledger message: its code is `ledger.<reason>` or `ledger.<reason>.<variant>` (src/domain/messages.ts). */
export type LedgerMessage = Message & { code: `ledger.${string}` };

/** The stable reason of a ledger message: `inclusion-root-mismatch` for `ledger.inclusion-root-mismatch`. */
export function ledgerCodeOf(m: LedgerMessage): string {
  return m.code.split('.')[1];
}

/**
 * A ledger input or verification failure. `code` is a stable machine-readable reason
 * (e.g. 'inclusion-root-mismatch', 'note-no-trusted-signature') that adapters can map to HTTP problems
 * or CLI exit messages; it is the second part of the message's code, so the text a person reads
 * (English and Korean, `ledger.<code>[.<variant>]` in messages.ts) and the reason cannot disagree.
 * `where` names the line, field or index.
 */
export class LedgerError extends InputError {
  readonly code: string;
  constructor(message: LedgerMessage, where: Where[] = [], status = 400) {
    super(message, where, status);
    this.code = ledgerCodeOf(message);
    this.name = 'LedgerError';
  }
}

/**
 * Shorthand used by the parsers: a LedgerError that names one line of a text format. The message gets a
 * `line` parameter; its texts end with "(line {{line}})" and "({{line}}행)".
 */
export function lineError(message: LedgerMessage, line: number, expected?: string, got?: string): LedgerError {
  const w: Where = { row: line, field: `line ${line}` };
  if (expected !== undefined) w.expected = expected;
  if (got !== undefined) w.got = got.length > 80 ? `${got.slice(0, 80)}…` : got;
  const params: MessageParams = { ...message.params, line };
  return new LedgerError({ code: message.code, params }, [w]);
}
