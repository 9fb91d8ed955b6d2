import type { Page } from 'playwright-core';
import { MESSAGES } from '../../src/domain/messages';
import en from '../../web/src/i18n/en.json';
import ko from '../../web/src/i18n/ko.json';

/** The folder the README names for the suite's screenshots (gitignored). */
export const SCREENSHOTS = 'docs/screenshots';

/**
 * An English text that has a Korean translation, as a whole-text pattern: placeholders match anything.
 * Texts with fewer than 3 literal letters (e.g. "{{n}} ε") say nothing about the language and are skipped.
 */
export function englishPatterns(): { key: string; re: RegExp }[] {
  const out: { key: string; re: RegExp }[] = [];
  const add = (key: string, enText: string, koText: string | undefined) => {
    if (!koText || koText === enText) return;
    const literal = enText.replace(/\{\{\w+\}\}/g, '');
    if ((literal.match(/[A-Za-z]/g) ?? []).length < 3) return;
    const body = enText
      .split(/\{\{\w+\}\}/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
      .join('[\\s\\S]*');
    out.push({ key, re: new RegExp(`^${body}$`) });
  };
  for (const [k, v] of Object.entries(en)) add(k, v, (ko as Record<string, string>)[k]);
  for (const [k, v] of Object.entries(MESSAGES)) add(k, v.en, v.ko);
  return out;
}

/** Every visible text node of the page, whitespace collapsed. */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      const el = n.parentElement;
      // translate="no" marks what people entered (record values, comments): data, not interface text.
      if (!text || !el || el.closest('script,style,noscript,details:not([open]),[translate=no]')) continue;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || cs.display === 'none') continue;
      out.push(text);
    }
    return out;
  });
}

/**
 * What Korean mode must not show, as one line each: raw JSON, or a visible text that is an English string
 * with a Korean key (its key named). Empty when the page reads in Korean.
 */
export async function englishLeft(page: Page, where: string, patterns = englishPatterns()): Promise<string[]> {
  const problems: string[] = [];
  for (const text of await visibleTexts(page)) {
    if (/^[{[]\s*"/.test(text)) problems.push(`${where}: raw JSON on the page: "${text.slice(0, 60)}"`);
    const hit = patterns.find((p) => p.re.test(text));
    if (hit) problems.push(`${where}: English text with Korean key ${hit.key}: "${text.slice(0, 80)}"`);
  }
  return problems;
}
