/**
 * Errors that name what was wrong and where. Every reader and endpoint throws these for bad input;
 * the server turns them into RFC 9457 problem+json, the CLI into a readable list.
 */
import { isMessage, render, type Lang, type Message, type MessageCode } from './messages';

export interface Where {
  file?: string;
  /** 1-based line or row number in the source file. */
  row?: number;
  /** Column name, JSON pointer or dotted field path. */
  field?: string;
  /** What was expected there, in words. */
  expected?: string;
  /** `expected` as a message (code and parameters), so a server or web app can show it in the reader's language. */
  expectedCode?: Message['code'];
  expectedParams?: Message['params'];
  /** The offending value, truncated so hostile input cannot flood logs. */
  got?: string;
}

/**
 * Base of the errors a person reads. Given a `Message` (code + params from `messages.ts`) the server can
 * show it in the caller's language; a plain string is English only (older call sites; new ones use codes).
 */
export class UserError extends Error {
  readonly messageCode?: Message['code'];
  readonly messageParams?: Message['params'];
  constructor(message: string | Message) {
    super(isMessage(message) ? render(message, 'en') : message);
    if (isMessage(message)) {
      this.messageCode = message.code;
      this.messageParams = message.params;
    }
  }
  /** The message as a person in `lang` should read it. */
  text(lang: 'en' | 'ko'): string {
    return this.messageCode ? render({ code: this.messageCode, params: this.messageParams }, lang) : this.message;
  }
}

export class InputError extends UserError {
  constructor(
    message: string | Message,
    public readonly where: Where[] = [],
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The caller is not allowed to do this (403), is not known (401), or must wait (429). */
export class AccessError extends UserError {
  constructor(
    message: string | Message,
    public readonly status: 401 | 403 | 429 = 403,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

/** The request is well formed but the state of the world forbids it (409), e.g. a paused system. */
export class StateError extends UserError {
  constructor(
    message: string | Message,
    public readonly status = 409,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

export class NotFoundError extends UserError {
  readonly status = 404;
  constructor(message: string | Message) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Why something failed, as a message parameter: a coded error as its message (rendered in the reader's
 * language where it is shown), anything else as its text.
 */
export function reasonOf(e: unknown): string | Message[] {
  if (e instanceof UserError && e.messageCode) return [{ code: e.messageCode, params: e.messageParams }];
  return e instanceof Error ? e.message : String(e);
}

/** Shorten a value for an error message: hostile input must not flood a log or a page. */
export function preview(value: unknown, max = 80): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…(${clean.length} chars)` : clean;
}

export function formatWhere(w: Where, lang: Lang = 'en'): string {
  const say = (code: MessageCode, params: Record<string, string | number>) => render({ code, params }, lang);
  const parts: string[] = [];
  if (w.file) parts.push(w.file);
  if (w.row !== undefined) parts.push(say('cli.where.row', { row: w.row }));
  if (w.field) parts.push(say('cli.where.field', { field: w.field }));
  let s = parts.join(', ');
  if (w.expected) s += `${s ? ': ' : ''}${say('cli.where.expected', { expected: w.expected })}`;
  if (w.got !== undefined) s += `, ${say('cli.where.got', { got: JSON.stringify(w.got) })}`;
  return s;
}

/** Zod issues as places: the field path (under `prefix`) and what was expected. At most 100. */
export function zodWhere(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string,
): Where[] {
  return issues
    .slice(0, 100)
    .map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || prefix, expected: i.message }));
}
