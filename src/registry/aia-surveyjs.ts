/**
 * Import SurveyJS questionnaires that follow the Canadian Algorithmic Impact Assessment conventions, so
 * an agency can run the official AIA unchanged and get the same score and level:
 *  - answer values `item<n>-<weight>` carry their weight after the last dash (`item<n>` alone counts 0);
 *  - a question, or the panel or page holding it, whose name ends in `-RS` scores raw impact, `-MS`
 *    mitigation, `-NS` nothing;
 *  - design and implementation forks are chosen by `visibleIf` on the project phase, so only the
 *    questions visible for the given answers count (maximum included);
 *  - checkbox questions sum the weights of the chosen items.
 * `visibleIf` is evaluated by a small parser (no eval): {name} = 'v', !=, contains, notcontains,
 * anyof [...], empty, notempty, and, or, not, parentheses.
 */
import { InputError } from '../domain/errors';
import { score, type Question, type Questionnaire, type ScoreResult } from './service-rules';

type Answers = Record<string, unknown>;
interface SjElement { type?: string; name?: string; title?: unknown; visibleIf?: string; elements?: SjElement[]; choices?: unknown[] }
interface SjSurvey { title?: unknown; pages?: SjElement[] }

// ---- visibleIf ----
type Tok = { k: 'var' | 'str' | 'num' | 'op' | 'word' | '(' | ')' | '[' | ']' | ','; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '{') { const j = s.indexOf('}', i); if (j < 0) throw new Error('unclosed {'); out.push({ k: 'var', v: s.slice(i + 1, j).trim() }); i = j + 1; continue; }
    if (c === "'" || c === '"') { const j = s.indexOf(c, i + 1); if (j < 0) throw new Error('unclosed string'); out.push({ k: 'str', v: s.slice(i + 1, j) }); i = j + 1; continue; }
    if ('()[],'.includes(c)) { out.push({ k: c as Tok['k'], v: c }); i++; continue; }
    const op = /^(==|!=|<>|>=|<=|=|>|<)/.exec(s.slice(i));
    if (op) { out.push({ k: 'op', v: op[1] }); i += op[1].length; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(s.slice(i));
    if (num) { out.push({ k: 'num', v: num[0] }); i += num[0].length; continue; }
    const word = /^[A-Za-z_]+/.exec(s.slice(i));
    if (word) { out.push({ k: 'word', v: word[0].toLowerCase() }); i += word[0].length; continue; }
    throw new Error(`unexpected "${c}"`);
  }
  return out;
}

export function evaluateVisibleIf(expr: string, answers: Answers): boolean {
  const t = tokenize(expr);
  let p = 0;
  const peek = () => t[p];
  const take = () => t[p++];
  const value = (): unknown => {
    const x = take();
    if (!x) throw new Error('unexpected end');
    if (x.k === 'var') return answers[x.v];
    if (x.k === 'str') return x.v;
    if (x.k === 'num') return Number(x.v);
    if (x.k === 'word' && (x.v === 'true' || x.v === 'false')) return x.v === 'true';
    if (x.k === '[') {
      const arr: unknown[] = [];
      while (peek() && peek().k !== ']') { arr.push(value()); if (peek()?.k === ',') take(); }
      take();
      return arr;
    }
    throw new Error(`unexpected ${x.v}`);
  };
  const eq = (a: unknown, b: unknown) => (Array.isArray(a) ? a.some((x) => String(x) === String(b)) : a !== undefined && a !== null && String(a) === String(b));
  const comparison = (): boolean => {
    if (peek()?.k === '(') { take(); const r = or(); if (take()?.k !== ')') throw new Error('missing )'); return r; }
    if (peek()?.k === 'word' && peek().v === 'not') { take(); return !comparison(); }
    const left = value();
    const o = peek();
    if (!o || o.k === ')' || (o.k === 'word' && (o.v === 'and' || o.v === 'or'))) return left !== undefined && left !== null && left !== '' && left !== false;
    take();
    if (o.k === 'word' && o.v === 'empty') return left === undefined || left === null || left === '' || (Array.isArray(left) && left.length === 0);
    if (o.k === 'word' && o.v === 'notempty') return !(left === undefined || left === null || left === '' || (Array.isArray(left) && left.length === 0));
    const right = value();
    if (o.k === 'op' && (o.v === '=' || o.v === '==')) return eq(left, right);
    if (o.k === 'op' && (o.v === '!=' || o.v === '<>')) return !eq(left, right);
    if (o.k === 'word' && o.v === 'contains') return eq(left, right);
    if (o.k === 'word' && o.v === 'notcontains') return !eq(left, right);
    if (o.k === 'word' && o.v === 'anyof') return Array.isArray(right) && right.some((r) => eq(left, r));
    if (o.k === 'word' && o.v === 'allof') return Array.isArray(right) && right.every((r) => eq(left, r));
    throw new Error(`unsupported operator ${o.v}`);
  };
  const and = (): boolean => { let r = comparison(); while (peek()?.k === 'word' && peek().v === 'and') { take(); const x = comparison(); r = r && x; } return r; };
  const or = (): boolean => { let r = and(); while (peek()?.k === 'word' && peek().v === 'or') { take(); const x = and(); r = r || x; } return r; };
  const r = or();
  if (p !== t.length) throw new Error(`unexpected ${t[p].v}`);
  return r;
}

// ---- conversion ----
const kindOf = (name = ''): Question['kind'] | undefined => (/-RS$/i.test(name) ? 'RS' : /-MS$/i.test(name) ? 'MS' : /-NS$/i.test(name) ? 'NS' : undefined);
const weightOf = (v: string): number | undefined => {
  const m = /^item\d+-(-?\d+(?:\.\d+)?)$/.exec(v);
  return m ? Number(m[1]) : undefined;
};
const text = (t: unknown): string => (typeof t === 'string' ? t : t && typeof t === 'object' ? String((t as Record<string, unknown>).default ?? (t as Record<string, unknown>).en ?? Object.values(t)[0] ?? '') : '');

/** Validate the survey's structure once, naming the element path of anything that breaks the conventions. */
export function validateSurvey(json: unknown): SjSurvey {
  const s = json as SjSurvey;
  if (!s || typeof s !== 'object' || !Array.isArray(s.pages)) throw new InputError('not a SurveyJS survey', [{ field: 'pages', expected: 'an array of pages' }]);
  const problems: { field: string; expected: string; got?: string }[] = [];
  // Only scored questions (their own or an enclosing panel's/page's -RS or -MS) must carry weights;
  // free choices elsewhere (e.g. a list of departments) are fine.
  const walk = (els: SjElement[] | undefined, path: string, inherited: Question['kind'] | undefined) => (els ?? []).forEach((e, i) => {
    const here = `${path}[${i}]${e.name ? `(${e.name})` : ''}`;
    const kind = kindOf(e.name) ?? inherited;
    if (e.visibleIf) { try { tokenize(e.visibleIf); } catch (err) { problems.push({ field: `${here}.visibleIf`, expected: `a SurveyJS condition (${(err as Error).message})`, got: e.visibleIf.slice(0, 80) }); } }
    // The official AIA has unweighted items (e.g. `item1`) inside scored panels: they count 0, as in the
    // tool. Anything else that is not an item value is a broken survey.
    if (Array.isArray(e.choices) && (kind === 'RS' || kind === 'MS')) for (const c of e.choices) {
      const v = typeof c === 'object' && c !== null ? String((c as { value: unknown }).value) : String(c);
      if (!/^item\d+(-(-?\d+(\.\d+)?))?$/.test(v)) problems.push({ field: `${here}.choices`, expected: 'values like item1 or item1-3 (weight after the last dash)', got: v.slice(0, 40) });
    }
    walk(e.elements, `${here}.elements`, kind);
  });
  s.pages.forEach((pg, i) => walk(pg.elements, `pages[${i}]${pg.name ? `(${pg.name})` : ''}.elements`, kindOf(pg.name)));
  if (problems.length) throw new InputError('the survey does not follow the AIA conventions', problems.slice(0, 100));
  return s;
}

/** The questionnaire as it stands for these answers: only visible, scored questions (so the maximum matches the tool's). */
export function visibleQuestionnaire(id: string, json: unknown, answers: Answers): Questionnaire {
  const s = validateSurvey(json);
  const questions: Question[] = [];
  const walk = (els: SjElement[] | undefined, inherited: Question['kind'] | undefined) => {
    for (const e of els ?? []) {
      if (e.visibleIf && !evaluateVisibleIf(e.visibleIf, answers)) continue;
      const kind = kindOf(e.name) ?? inherited;
      if (e.elements) { walk(e.elements, kind); continue; }
      if (!e.name || !Array.isArray(e.choices) || !kind || kind === 'NS') continue;
      questions.push({
        id: e.name, kind, multiple: e.type === 'checkbox', text: { en: text(e.title), ko: text(e.title) },
        options: e.choices.map((c) => {
          const v = typeof c === 'object' && c !== null ? String((c as { value: unknown }).value) : String(c);
          return { value: v, weight: weightOf(v) ?? 0, text: { en: text((c as { text?: unknown }).text ?? v), ko: text((c as { text?: unknown }).text ?? v) } };
        }),
      });
    }
  };
  for (const pg of s.pages ?? []) if (!pg.visibleIf || evaluateVisibleIf(pg.visibleIf, answers)) walk(pg.elements, kindOf(pg.name));
  return { id, title: { en: text(s.title) || id, ko: text(s.title) || id }, sections: [{ id: 'all', title: { en: 'All', ko: '전체' }, questions }] };
}

/** Score answers to an imported AIA survey with the same rule as every questionnaire here. */
export function scoreSurvey(id: string, json: unknown, answers: Answers): ScoreResult {
  const qn = visibleQuestionnaire(id, json, answers);
  const scored = Object.fromEntries(Object.entries(answers).filter(([k]) => qn.sections[0].questions.some((q) => q.id === k)));
  return score(qn, scored);
}
