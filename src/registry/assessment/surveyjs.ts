/**
 * Import SurveyJS questionnaires that follow the Canadian Algorithmic Impact Assessment conventions, so
 * an agency can run the official AIA (canada-ca/aia-eia-js, src/survey-enfr.json) unchanged and get the
 * tool's score and level. The conventions, as the tool's src/store.ts applies them:
 *  - a choice value `item<n>-<weight>` carries its weight after the last dash (no number: weight 0);
 *  - a radiogroup, dropdown or checkbox question scores raw impact when its own name, or else its
 *    immediate parent's (panel or page) name, ends in `-RS`, mitigation for `-MS`, nothing for `-NS`
 *    or no suffix; other question types never score;
 *  - design and implementation forks are pages whose `visibleIf` tests the project phase; only answers
 *    to questions shown for the given answers count (SurveyJS clears hidden answers on completion),
 *    while maxima count every scored question and the mitigation maximum is halved, as in the tool;
 *  - a checkbox sums the weights of its picks, and its maximum is the sum of all its weights.
 * Conditions are parsed by expression.ts (no eval); the import refuses anything it cannot parse,
 * naming the element's path.
 */
import { InputError, preview, type Where } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { parseExpression } from './expression';
import { parseQuestionnaire, type Question, type Questionnaire, type Text } from './engine';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCORABLE = new Set(['radiogroup', 'dropdown', 'checkbox']);
const CHOICE = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'imagepicker', 'ranking']);
const LAYOUT = new Set(['html', 'image', 'expression']);
const MAX_ELEMENTS = 20_000;
const MAX_DEPTH = 32;

/** The AIA's suffix rule (case-sensitive endsWith, as the tool does). */
export function scoreKind(name: string | undefined): 'impact' | 'mitigation' | 'unscored' | undefined {
  if (!name) return undefined;
  return name.endsWith('-RS')
    ? 'impact'
    : name.endsWith('-MS')
      ? 'mitigation'
      : name.endsWith('-NS')
        ? 'unscored'
        : undefined;
}

/** The weight in `item<n>-<weight>`: the number after the last dash, 0 when there is none (the tool's parseEmbeddedValue). */
export function embeddedWeight(value: string): number {
  const i = value.lastIndexOf('-');
  if (i < 0) return 0;
  const tail = value.slice(i + 1);
  const n = tail.trim() === '' ? NaN : Number(tail);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

const WEIGHTED = /^item\d+-\d+(\.\d+)?$/;

function toText(t: unknown, fallback: string): Text {
  if (typeof t === 'string' && t.trim()) return { en: t.slice(0, 4000) };
  if (isObj(t)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(t))
      if (typeof v === 'string' && v.trim()) out[k === 'default' ? 'en' : k] = v.slice(0, 4000);
    if (out.en) return out as Text;
    const first = Object.values(out)[0];
    if (first) return { ...out, en: first };
  }
  return { en: fallback.slice(0, 4000) || '(untitled)' };
}

export interface ImportResult {
  questionnaire: Questionnaire;
  /** Conventions bent but scorable (e.g. a scored choice without an `item<n>-<weight>` value). */
  warnings: Where[];
}

/**
 * Convert SurveyJS JSON into a questionnaire (AIA scoring settings). Throws InputError with the
 * element path (`pages.3(impact).elements.0(impactPanel-RS).elements.2(impact5)`) for anything that
 * cannot be imported; never any other error.
 */
export function importSurveyJs(
  json: unknown,
  meta: {
    id: string;
    version: string;
    /** The AIA halves the mitigation maximum (two forks); set 1 for a survey without forks. */ mitigationMaxDivisor?: number;
  },
): ImportResult {
  if (!isObj(json))
    throw new InputError(msg('questionnaires.notSurvey'), [
      { field: 'survey', expected: 'a JSON object with pages', got: preview(json) },
    ]);
  const pages = json.pages;
  if (!Array.isArray(pages) || pages.length === 0)
    throw new InputError(msg('questionnaires.notSurvey'), [
      { field: 'survey.pages', expected: 'a non-empty array of pages', got: preview(pages) },
    ]);
  const problems: Where[] = [];
  const warnings: Where[] = [];
  const sections: Questionnaire['sections'] = [];
  const names = new Map<string, string>();
  let count = 0;

  const condition = (el: Json, path: string): string[] => {
    const out: string[] = [];
    if (el.visible === false) out.push('false');
    const v = el.visibleIf;
    if (v === undefined || v === null || v === '') return out;
    if (typeof v !== 'string') {
      problems.push({ field: `${path}.visibleIf`, expected: 'a condition string', got: preview(v) });
      return out;
    }
    try {
      parseExpression(v);
      out.push(v);
    } catch (e) {
      problems.push({
        field: `${path}.visibleIf`,
        expected: `a SurveyJS condition (${(e as Error).message})`,
        got: preview(v),
      });
    }
    return out;
  };

  const walk = (
    els: unknown,
    path: string,
    parentName: string | undefined,
    conds: string[],
    questions: Question[],
    depth: number,
  ) => {
    if (els === undefined) return;
    if (!Array.isArray(els)) {
      problems.push({ field: path, expected: 'an array of elements', got: preview(els) });
      return;
    }
    if (depth > MAX_DEPTH) {
      problems.push({ field: path, expected: `panels nested at most ${MAX_DEPTH} deep` });
      return;
    }
    els.forEach((el, i) => {
      if (++count > MAX_ELEMENTS) {
        if (count === MAX_ELEMENTS + 1) problems.push({ field: path, expected: `at most ${MAX_ELEMENTS} elements` });
        return;
      }
      if (!isObj(el)) {
        problems.push({ field: `${path}.${i}`, expected: 'an element object', got: preview(el) });
        return;
      }
      const name = typeof el.name === 'string' ? el.name : undefined;
      const here = `${path}.${i}${name ? `(${preview(name, 60)})` : ''}`;
      const type = typeof el.type === 'string' ? el.type : undefined;
      const own = [...conds, ...condition(el, here)];
      if (type === 'panel' || type === 'paneldynamic') {
        if (type === 'paneldynamic') {
          problems.push({
            field: `${here}.type`,
            expected: 'no dynamic panels (not part of the AIA conventions)',
            got: type,
          });
          return;
        }
        walk(el.elements, `${here}.elements`, name, own, questions, depth + 1);
        return;
      }
      if (!type) {
        problems.push({ field: `${here}.type`, expected: 'an element type' });
        return;
      }
      if (LAYOUT.has(type)) return;
      if (!name || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name)) {
        problems.push({
          field: `${here}.name`,
          expected: 'a question name (letters, digits, _ . -)',
          got: preview(name),
        });
        return;
      }
      if (names.has(name)) {
        problems.push({ field: `${here}.name`, expected: `a unique name (also at ${names.get(name)})`, got: name });
        return;
      }
      names.set(name, here);
      const kind = SCORABLE.has(type) ? (scoreKind(name) ?? scoreKind(parentName) ?? 'unscored') : 'unscored';
      const isChoice = CHOICE.has(type);
      if (!isChoice) {
        // Free text, comments, booleans, ratings: answerable, shown by their conditions, never scored.
        questions.push({
          id: name,
          scoring: 'unscored',
          type: 'text',
          required: el.isRequired === true,
          text: toText(el.title, name),
          options: [],
          visibleIf: own,
        });
        return;
      }
      if (!Array.isArray(el.choices)) {
        if (kind !== 'unscored')
          problems.push({
            field: `${here}.choices`,
            expected: 'inline choices (choicesByUrl and copied choices cannot be scored)',
          });
        else
          questions.push({
            id: name,
            scoring: 'unscored',
            type: 'text',
            required: el.isRequired === true,
            text: toText(el.title, name),
            options: [],
            visibleIf: own,
          });
        return;
      }
      const options: Question['options'] = [];
      const seen = new Set<string>();
      el.choices.forEach((c, k) => {
        const raw = isObj(c) ? c.value : c;
        if (typeof raw !== 'string' && typeof raw !== 'number') {
          problems.push({
            field: `${here}.choices.${k}`,
            expected: 'a choice value (string or number)',
            got: preview(raw),
          });
          return;
        }
        const value = String(raw);
        if (!value || value.length > 200) {
          problems.push({
            field: `${here}.choices.${k}`,
            expected: 'a value of 1-200 characters',
            got: preview(value),
          });
          return;
        }
        if (seen.has(value)) {
          warnings.push({
            field: `${here}.choices.${k}`,
            expected: 'a unique choice value (duplicate ignored)',
            got: value,
          });
          return;
        }
        seen.add(value);
        if (kind !== 'unscored' && !WEIGHTED.test(value))
          warnings.push({
            field: `${here}.choices.${k}`,
            expected: 'item<n>-<weight> (scored as 0, as the AIA tool does)',
            got: preview(value),
          });
        options.push({ value, weight: embeddedWeight(value), text: toText(isObj(c) ? c.text : undefined, value) });
      });
      // SurveyJS's built-in extra choices score 0 in the tool (no weight after a dash).
      if (el.hasOther === true || el.showOtherItem === true)
        if (!seen.has('other')) options.push({ value: 'other', weight: 0, text: { en: 'Other' } });
      if (el.hasNone === true || el.showNoneItem === true)
        if (!seen.has('none')) options.push({ value: 'none', weight: 0, text: { en: 'None' } });
      if (options.length === 0) {
        problems.push({ field: `${here}.choices`, expected: 'at least one choice' });
        return;
      }
      const multiple = type === 'checkbox' || type === 'tagbox' || type === 'ranking';
      questions.push({
        id: name,
        scoring: kind,
        type: multiple ? 'multiple' : 'single',
        required: el.isRequired === true,
        text: toText(el.title, name),
        options,
        visibleIf: own,
      });
    });
  };

  pages.forEach((pg, i) => {
    if (!isObj(pg)) {
      problems.push({ field: `survey.pages.${i}`, expected: 'a page object', got: preview(pg) });
      return;
    }
    const name = typeof pg.name === 'string' && pg.name ? pg.name : `page${i + 1}`;
    const here = `survey.pages.${i}(${preview(name, 60)})`;
    const conds = condition(pg, here);
    const questions: Question[] = [];
    walk(pg.elements, `${here}.elements`, name, [], questions, 0);
    sections.push({ id: name.slice(0, 128), title: toText(pg.title, name), visibleIf: conds, questions });
  });
  if (problems.length)
    throw new InputError(msg('questionnaires.cannotImport', { count: problems.length }), problems.slice(0, 100));
  const questionnaire = parseQuestionnaire({
    id: meta.id,
    version: meta.version,
    title: toText(json.title, meta.id),
    sections,
    scoring: { maxBasis: 'all', mitigationMaxDivisor: meta.mitigationMaxDivisor ?? 2, rounding: 'nearest' },
  });
  return { questionnaire, warnings: warnings.slice(0, 200) };
}
