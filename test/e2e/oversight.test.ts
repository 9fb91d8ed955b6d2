import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { launchBrowser } from '../support/browser';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const COMPAS = 'test/fixtures/compas/compas-scores-two-years.csv';

/**
 * Oversight's jobs in the browser only, in English and in Korean: a bias audit from an uploaded CSV with the
 * columns picked from its header (ProPublica's COMPAS data: Black defendants' false-positive rate is about
 * twice White defendants', so the audit fails), published and then readable by the public; a statistics
 * release within the privacy budget. Results are read through the API.
 */
describe('oversight in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let systemId = '';
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    systemId = (await activeSystem(s, 'Risk score (vendor Z)')).systemId;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  for (const [lang, text] of [
    ['en', { failed: 'failed', published: 'Published', release: 'Published: ε' }],
    ['ko', { failed: '불합격', published: '게시했습니다', release: '공개했습니다' }],
  ] as const) {
    it(`runs, reads and publishes an audit and a statistics release in ${lang}`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${s.url}/login`);
      await page.fill('input[name=username]', 'oversight');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('form.login button[type=submit]');
      await page.waitForSelector('[data-testid=who]');
      await page.click('nav a[href="/oversight"]');
      await page.waitForSelector('[data-testid=audit-form]');

      await page.selectOption('select[name=audit-system]', systemId);
      await page.setInputFiles('input[name=audit-file]', COMPAS);
      await page.waitForSelector('[data-testid=audit-header]');
      await page.selectOption('select[name=audit-predicted]', 'score_text');
      await page.fill('input[name=audit-positive]', 'Medium,High');
      await page.selectOption('select[name=audit-label]', 'two_year_recid');
      await page.check('input[name=audit-group-race]');
      await page.fill('input[name=audit-reference]', 'Caucasian');
      await page.click('button[name=run-audit]');
      await page.waitForSelector('[data-testid=audit-result]', { timeout: 60_000 });
      expect(await page.getAttribute('[data-testid=audit-result]', 'data-passed')).toBe('false');
      expect(await page.textContent('[data-testid=audit-result]')).toContain(text.failed);
      await page.click('button[name=publish-audit]');
      await expect.poll(() => page.textContent('[data-testid=audit-published]')).toContain(text.published);

      const audits = (await s.app.inject({ url: `/api/register/${systemId}` })).json().audits as {
        id: number;
        passed: boolean;
      }[];
      expect(audits.length).toBe(lang === 'en' ? 1 : 2);
      expect(audits.every((a) => a.passed === false)).toBe(true);
      // The report opens from the result, in the page's language.
      await page.click('[data-testid=audit-result] a');
      await page.waitForSelector('[data-testid=audit-report]');
      await page.screenshot({ path: `docs/screenshots/oversight-audit-report.${lang}.png`, fullPage: true });
      await page.goBack();

      await page.waitForSelector('[data-testid=release-form]');
      await page.fill('input[name=release-epsilon]', '0.25');
      await page.click('button[name=publish-release]');
      await expect.poll(() => page.textContent('[data-testid=release-done]')).toContain(text.release);
      const releases = (await s.app.inject({ url: '/api/statistics/releases' })).json() as unknown[];
      expect(releases.length).toBe(lang === 'en' ? 1 : 2);
      // Past the per-release bound the server refuses, naming the field, in the page's language.
      await page.fill('input[name=release-epsilon]', '50');
      await page.click('button[name=publish-release]');
      await expect.poll(() => page.textContent('[data-testid=release-error]')).toContain('epsilonPerTable');
      expect(((await s.app.inject({ url: '/api/statistics/releases' })).json() as unknown[]).length).toBe(
        lang === 'en' ? 1 : 2,
      );
      await page.screenshot({ path: `docs/screenshots/oversight.${lang}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await ctx.close();
    }, 180_000);
  }
});
