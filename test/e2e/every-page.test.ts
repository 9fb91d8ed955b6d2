import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { launchBrowser } from '../support/browser';
import { englishLeft, englishPatterns, SCREENSHOTS } from '../support/korean-mode';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

interface Visit {
  who: string;
  path: string;
  name: string;
  /** What only the page itself draws: pages load their code when first opened, and `main` alone is there meanwhile. */
  ready: string;
}

describe('every page, in English and Korean: one h1, right <html lang>, no serious axe violation, no English in Korean mode', () => {
  let s: DemoServer;
  let browser: Browser;
  let systemId = '';
  let alertId = '';
  let draftId = '';
  const patterns = englishPatterns();
  beforeAll(async () => {
    s = await startDemoServer();
    const ctx = await activeSystem(s, 'Crowd density (vendor Y)');
    systemId = ctx.systemId;
    // A draft in the owner's hands: its workspace shows the record form and the questionnaire.
    draftId = (await ctx.call('system-owner', 'POST', '/api/systems', { name: 'Draft (owner)', record: {} })).json()
      .systemId;
    alertId = (
      await ctx.postAlert(1, {
        idempotencyKey: 'crowd-000001',
        modelVersion: '1.0',
        output: { risk: 0.9 },
        confidence: 0.9,
        explanation: { summary: 'person matched loitering pattern', factors: [{ name: 'dwell', weight: 0.7 }] },
      })
    ).json().id;
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const visits = (): Visit[] => [
    { who: 'public', path: '/', name: 'home', ready: 'main h1' },
    { who: 'public', path: '/login', name: 'login', ready: 'form.login' },
    { who: 'public', path: '/register', name: 'register', ready: 'main h1' },
    { who: 'public', path: `/register/${systemId}`, name: 'register-entry', ready: 'main h1' },
    { who: 'public', path: '/log', name: 'log', ready: '[data-testid=log-size]' },
    { who: 'public', path: '/statistics', name: 'statistics', ready: 'main h1' },
    { who: 'analyst', path: '/map', name: 'map', ready: 'main h1' },
    { who: 'analyst', path: '/forecast', name: 'forecast', ready: 'main h1' },
    { who: 'officer', path: `/review?alert=${alertId}`, name: 'review-officer', ready: '[data-testid=alert-detail]' },
    { who: 'supervisor', path: '/review', name: 'review-supervisor', ready: '[data-testid=roster]' },
    { who: 'system-owner', path: '/systems', name: 'systems', ready: 'main h1' },
    { who: 'oversight', path: `/systems/${systemId}`, name: 'workspace', ready: '[data-testid=workspace]' },
    {
      who: 'system-owner',
      path: `/systems/${draftId}`,
      name: 'workspace-owner',
      ready: '[data-testid=assessment-panel] [data-name="scale-people"]',
    },
    { who: 'oversight', path: '/oversight', name: 'oversight', ready: '[data-testid=release-form]' },
    { who: 'admin', path: '/admin', name: 'admin', ready: '[data-testid=users] tbody tr' },
  ];

  async function contextFor(who: string, lang: 'en' | 'ko'): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
    if (who !== 'public') {
      const r = await ctx.request.post(`${s.url}/api/auth/login`, { data: { username: who, password: PASSWORD } });
      expect(r.status()).toBe(200);
    }
    return ctx;
  }

  for (const lang of ['en', 'ko'] as const) {
    it(`every page in ${lang}`, async () => {
      const problems: string[] = [];
      const contexts = new Map<string, BrowserContext>();
      for (const v of visits()) {
        if (!contexts.has(v.who)) contexts.set(v.who, await contextFor(v.who, lang));
        const started = Date.now();
        const page = await contexts.get(v.who)!.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${s.url}${v.path}`);
        await page.waitForSelector(v.ready);
        // Data loads after the shell; a page that keeps polling (the map) is taken as it is after 5 s.
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
        const where = `${v.name} (${lang}, ${v.who})`;
        if (errors.length) problems.push(`${where}: page errors ${errors.join('; ')}`);
        if ((await page.getAttribute('html', 'lang')) !== lang)
          problems.push(`${where}: <html lang> is ${await page.getAttribute('html', 'lang')}`);
        const h1 = await page.locator('h1').count();
        if (h1 !== 1) problems.push(`${where}: ${h1} h1 elements`);
        const axe = await new AxeBuilder({ page: page as never }).analyze();
        for (const x of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          problems.push(
            `${where}: axe ${x.impact} ${x.id} at ${x.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(', ')}`,
          );
        }
        if (lang === 'ko') {
          // The officer's alert explains the confidence in words, with no raw JSON outside the technical fold.
          if (v.name === 'review-officer') {
            const conf = await page.textContent('[data-testid=confidence]');
            if (!conf?.includes('90%') || !conf.includes('높음'))
              problems.push(`${where}: confidence shown as "${conf}"`);
          }
          problems.push(...(await englishLeft(page, where, patterns)));
        }
        await page.screenshot({ path: `${SCREENSHOTS}/${v.name}.${lang}.png`, fullPage: true });
        await page.close();
        console.log(`${v.name} ${lang}: ${Date.now() - started} ms`);
      }
      for (const c of contexts.values()) await c.close();
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
