import { MESSAGES, render, type MessageCode } from '../../src/domain/messages';
import i18n from './i18n/index';

/** The one way the browser talks to the server: same-origin cookies, CSRF header on unsafe methods, problem+json errors. */
export interface Problem {
  title: string;
  status: number;
  /** Already in the language the request asked for (Accept-Language); `code` and `params` name it stably. */
  detail: string;
  code?: string;
  params?: Record<string, string | number>;
  errors?: Finding[];
}

/** One failing field or row of a problem (src/domain/errors.ts Where). */
export interface Finding {
  field?: string;
  row?: number;
  expected?: string;
  /** `expected` as a message code and parameters, when the server has one: rendered here in the language shown. */
  expectedCode?: string;
  expectedParams?: Record<string, string | number>;
  got?: string;
}

/** What was expected at a finding, in the language shown now (the server's words when this build lacks the code). */
export function findingExpected(f: Finding): string {
  const lang = i18n.language === 'ko' ? 'ko' : 'en';
  return f.expectedCode && f.expectedCode in MESSAGES
    ? render({ code: f.expectedCode as MessageCode, params: f.expectedParams }, lang)
    : (f.expected ?? '');
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail);
  }
}

/**
 * A problem's message in the language shown now: rendered here from its stable code and parameters
 * (src/domain/messages.ts), so a change of language re-renders it; the server's `detail` only when the
 * code is unknown to this build.
 */
export function problemDetail(p: Problem): string {
  const lang = i18n.language === 'ko' ? 'ko' : 'en';
  return p.code && p.code in MESSAGES ? render({ code: p.code as MessageCode, params: p.params }, lang) : p.detail;
}

/** What to show for a failed call: the problem's message and (unless listed apart) the fields it names, or the error itself. */
export function problemText(e: unknown, withFields = true): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const fields = withFields && e.problem.errors?.length ? ` (${e.problem.errors.map((x) => x.field).join(', ')})` : '';
  return `${problemDetail(e.problem)}${fields}`;
}

let csrfToken: string | null = null;
export function setCsrfToken(t: string | null) {
  csrfToken = t;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (method !== 'GET' && csrfToken) headers.set('x-csrf-token', csrfToken);
  // Server messages come back in the reader's language.
  if (!headers.has('accept-language')) headers.set('accept-language', i18n.language === 'ko' ? 'ko, en;q=0.5' : 'en');
  const res = await fetch(path, { ...init, method, headers, credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(body ?? { title: res.statusText, status: res.status, detail: res.statusText });
  return body as T;
}

export interface Me {
  signedIn: boolean;
  kind: string;
  id: string | null;
  name: string;
  roles: string[];
  unit: string | null;
  csrfToken: string | null;
}
