/**
 * A small, safe evaluator for SurveyJS conditions (`visibleIf`), enough for the Canadian AIA and
 * hand-written questionnaires: {name}, 'str' / "str", numbers, true/false, [lists], = == != <> > < >= <=,
 * contains, notcontains, anyof, allof, empty, notempty, and/&&, or/||, not/!, parentheses.
 * Parsed once into a tree (so a bad condition is refused at import, naming where), evaluated without
 * eval. Comparison semantics follow SurveyJS: strings compare case-insensitively and trimmed, "2" equals
 * 2, `contains` on a list means "has an element equal to", on a string "has the substring".
 */
export type Expr =
  | { t: 'var'; name: string }
  | { t: 'lit'; value: string | number | boolean | null }
  | { t: 'list'; items: Expr[] }
  | { t: 'not'; e: Expr }
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'unary'; op: 'empty' | 'notempty'; e: Expr }
  | { t: 'bin'; op: BinOp; a: Expr; b: Expr };
type BinOp = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'contains' | 'notcontains' | 'anyof' | 'allof';

export class ExpressionError extends Error {
  constructor(
    message: string,
    public readonly position: number,
  ) {
    super(`${message} at ${position}`);
    this.name = 'ExpressionError';
  }
}

type Tok = { k: 'var' | 'str' | 'num' | 'op' | 'word' | '(' | ')' | '[' | ']' | ','; v: string; at: number };
const MAX_LENGTH = 4000;
const MAX_DEPTH = 64;

function tokenize(s: string): Tok[] {
  if (s.length > MAX_LENGTH) throw new ExpressionError(`condition longer than ${MAX_LENGTH} characters`, 0);
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '{') {
      const j = s.indexOf('}', i);
      if (j < 0) throw new ExpressionError('unclosed {', i);
      out.push({ k: 'var', v: s.slice(i + 1, j).trim(), at: i });
      i = j + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const j = s.indexOf(c, i + 1);
      if (j < 0) throw new ExpressionError('unclosed string', i);
      out.push({ k: 'str', v: s.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    if ('()[],'.includes(c)) {
      out.push({ k: c as Tok['k'], v: c, at: i });
      i++;
      continue;
    }
    const rest = s.slice(i, i + 3);
    const op = /^(==|!=|<>|>=|<=|&&|\|\||=|>|<|!)/.exec(rest);
    if (op) {
      out.push({ k: 'op', v: op[1], at: i });
      i += op[1].length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(s.slice(i, i + 40));
    if (num) {
      out.push({ k: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_]+/.exec(s.slice(i, i + 40));
    if (word) {
      out.push({ k: 'word', v: word[0].toLowerCase(), at: i });
      i += word[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  return out;
}

const BIN_WORDS: Record<string, BinOp> = {
  contains: 'contains',
  contain: 'contains',
  notcontains: 'notcontains',
  notcontain: 'notcontains',
  anyof: 'anyof',
  allof: 'allof',
  equal: 'eq',
  notequal: 'ne',
  greater: 'gt',
  less: 'lt',
  greaterorequal: 'ge',
  lessorequal: 'le',
};
const BIN_OPS: Record<string, BinOp> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'ne',
  '<>': 'ne',
  '>': 'gt',
  '<': 'lt',
  '>=': 'ge',
  '<=': 'le',
};

/** Parse a condition. Throws ExpressionError (with the character position) on anything unsupported. */
export function parseExpression(src: string): Expr {
  const t = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = () => t[p];
  const end = () => (t[p - 1] ? t[p - 1].at + t[p - 1].v.length : 0);
  const isWord = (w: string) => peek()?.k === 'word' && peek().v === w;
  const isOp = (o: string) => peek()?.k === 'op' && peek().v === o;
  const enter = () => {
    if (++depth > MAX_DEPTH) throw new ExpressionError('condition nested too deeply', peek()?.at ?? end());
  };

  const operand = (): Expr => {
    const x = t[p++];
    if (!x) throw new ExpressionError('unexpected end of condition', end());
    if (x.k === 'var') {
      if (!x.v) throw new ExpressionError('empty {}', x.at);
      return { t: 'var', name: x.v };
    }
    if (x.k === 'str') return { t: 'lit', value: x.v };
    if (x.k === 'num') return { t: 'lit', value: Number(x.v) };
    if (x.k === 'word' && (x.v === 'true' || x.v === 'false')) return { t: 'lit', value: x.v === 'true' };
    if (x.k === 'word' && (x.v === 'null' || x.v === 'undefined')) return { t: 'lit', value: null };
    if (x.k === '[') {
      const items: Expr[] = [];
      while (peek() && peek().k !== ']') {
        items.push(operand());
        if (peek()?.k === ',') p++;
        else if (peek()?.k !== ']') throw new ExpressionError('expected , or ]', peek()?.at ?? end());
      }
      if (!peek()) throw new ExpressionError('unclosed [', x.at);
      p++;
      return { t: 'list', items };
    }
    throw new ExpressionError(`unexpected ${JSON.stringify(x.v)}`, x.at);
  };

  const comparison = (): Expr => {
    enter();
    try {
      if (peek()?.k === '(') {
        const open = t[p++];
        const e = or();
        if (peek()?.k !== ')') throw new ExpressionError('missing )', peek()?.at ?? open.at);
        p++;
        return e;
      }
      if (isWord('not') || isOp('!')) {
        p++;
        return { t: 'not', e: comparison() };
      }
      const left = operand();
      const o = peek();
      if (o?.k === 'word' && (o.v === 'empty' || o.v === 'notempty')) {
        p++;
        return { t: 'unary', op: o.v, e: left };
      }
      const op = o?.k === 'op' ? BIN_OPS[o.v] : o?.k === 'word' ? BIN_WORDS[o.v] : undefined;
      if (!op) return left; // a bare value: true when not empty
      p++;
      return { t: 'bin', op, a: left, b: operand() };
    } finally {
      depth--;
    }
  };
  const and = (): Expr => {
    let e = comparison();
    while (isWord('and') || isOp('&&')) {
      p++;
      e = { t: 'and', a: e, b: comparison() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (isWord('or') || isOp('||')) {
      p++;
      e = { t: 'or', a: e, b: and() };
    }
    return e;
  };

  const e = or();
  if (p !== t.length) throw new ExpressionError(`unexpected ${JSON.stringify(t[p].v)}`, t[p].at);
  return e;
}

export type Answers = Readonly<Record<string, unknown>>;

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const asNumber = (v: unknown) =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

/** SurveyJS's equality: empty equals empty, numbers equal numeric strings, strings case-insensitive, lists as sets. */
function equals(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x) => b.some((y) => equals(x, y)));
  }
  const na = asNumber(a),
    nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  return norm(a) === norm(b);
}

function contains(left: unknown, right: unknown): boolean {
  if (isEmpty(left)) return false;
  if (!Array.isArray(left)) {
    if (isEmpty(right)) return false;
    return String(norm(String(left))).includes(String(norm(String(right))));
  }
  const rs = Array.isArray(right) ? right : [right];
  return rs.every((r) => left.some((l) => equals(l, r)));
}

function compare(a: unknown, b: unknown): number | undefined {
  const na = asNumber(a),
    nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function value(e: Expr, answers: Answers): unknown {
  if (e.t === 'var') return Object.prototype.hasOwnProperty.call(answers, e.name) ? answers[e.name] : undefined;
  if (e.t === 'lit') return e.value;
  if (e.t === 'list') return e.items.map((x) => value(x, answers));
  return evaluate(e, answers);
}

/** Evaluate a parsed condition against answers. Never throws; unknown names are unanswered. */
export function evaluate(e: Expr, answers: Answers): boolean {
  switch (e.t) {
    case 'not':
      return !evaluate(e.e, answers);
    case 'and':
      return evaluate(e.a, answers) && evaluate(e.b, answers);
    case 'or':
      return evaluate(e.a, answers) || evaluate(e.b, answers);
    case 'unary':
      return e.op === 'empty' ? isEmpty(value(e.e, answers)) : !isEmpty(value(e.e, answers));
    case 'var':
    case 'lit':
    case 'list': {
      const v = value(e, answers);
      return !isEmpty(v) && v !== false;
    }
    case 'bin': {
      const a = value(e.a, answers),
        b = value(e.b, answers);
      switch (e.op) {
        case 'eq':
          return equals(a, b);
        case 'ne':
          return !equals(a, b);
        case 'contains':
          return contains(a, b);
        case 'notcontains':
          return isEmpty(a) ? !isEmpty(b) : !contains(a, b);
        case 'anyof': {
          if (isEmpty(a)) return false;
          const rs = Array.isArray(b) ? b : [b];
          return Array.isArray(a) ? rs.some((r) => a.some((l) => equals(l, r))) : rs.some((r) => equals(a, r));
        }
        case 'allof': {
          if (isEmpty(a)) return false;
          const rs = Array.isArray(b) ? b : [b];
          return Array.isArray(a) ? rs.every((r) => a.some((l) => equals(l, r))) : rs.every((r) => equals(a, r));
        }
        default: {
          const c = compare(a, b);
          if (c === undefined) return false;
          return e.op === 'gt' ? c > 0 : e.op === 'lt' ? c < 0 : e.op === 'ge' ? c >= 0 : c <= 0;
        }
      }
    }
  }
}
