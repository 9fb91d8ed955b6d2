import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { launchBrowser } from '../support/browser';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const COMPAS = 'test/fixtures/compas/compas-scores-two-years.csv';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * Oversight's jobs in the browser only, in English and in Korean (issue 17.3): a bias audit from a
 * registered data source, the file's columns picked from its header and the metrics fixed by policy
 * (ProPublica's COMPAS data: White defendants' false-positive rate is about half Black defendants', the
 * largest group and the policy's reference, so the audit fails), read in words and published; a disparity
 * monitor created, run from the page, its breach and the automatic pause seen, the system resumed with a
 * reason; a register field redacted; a statistics release within the privacy budget. The public register
 * then shows the published audit and the redaction notice. Results are read through the API.
 *
 * Set-up through the API is only what other roles and machines do: the admin registers the data source
 * (test/e2e/admin.test.ts walks that page), the agency's records system reports stop outcomes through
 * the feed oversight authorised.
 */
describe('oversight in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let systemId = '';
  const monitored: Record<string, string> = {};
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    const audited = await activeSystem(s, 'Risk score (vendor Z)');
    systemId = audited.systemId;
    const call = audited.call;
    const created = await call('admin', 'POST', '/api/sources', {
      id: 'court-outcomes',
      name: 'County pre-trial risk scores and two-year outcomes',
      provenance: 'ProPublica release of county court records (2013-2014)',
      collectingBody: 'County sheriff and court',
      legalBasis: 'public records request',
      consentStatus: 'not applicable: public records',
      personalDataCategories: ['race', 'age', 'charge'],
      purposes: ['fairness-audit'],
      retentionDays: 3650,
      sharingAgreements: [],
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    // One patrol system per language whose monitoring plan names the agency's stop records, fed by its key.
    for (const lang of ['en', 'ko']) {
      const m = await activeSystem(s, `Patrol guidance ${lang}`, {
        ...completeRecord(),
        outcomeSources: [{ sourceId: 'court-outcomes' }],
      });
      monitored[lang] = m.systemId;
      const k = await createApiKey(s.ledger, 'system:test-setup', { name: `records ${lang}`, roles: ['integration'] });
      await call('oversight', 'POST', `/api/systems/${m.systemId}/outcome-feeds`, {
        keyId: k.id,
        sourceId: 'court-outcomes',
      });
      // Stops of group A are twice group B's (80/1000 vs 40/1000, p < 0.001): a disparity monitor must breach.
      const fed = await s.app.inject({
        method: 'POST',
        url: `/api/systems/${m.systemId}/outcomes`,
        headers: { authorization: `Bearer ${k.key}` },
        payload: {
          periodStart: daysAgo(3),
          rows: [
            { recordId: `${lang}-a`, kind: 'stop', group: 'A', count: 80, denominator: 1000 },
            { recordId: `${lang}-b`, kind: 'stop', group: 'B', count: 40, denominator: 1000 },
          ],
        },
      });
      if (fed.statusCode !== 201) throw new Error(fed.body);
    }
    // One person holding both roles owns the monitored systems (as in a small agency): oversight's page is
    // open to them, but resuming their own system is refused (separation of duties).
    const dual = await createUser(s.ledger, 'system:test-setup', {
      username: 'owner-overseer',
      password: PASSWORD,
      roles: ['system-owner', 'oversight'],
      unit: 'district-1',
    });
    await s.store.db
      .updateTable('ai_systems')
      .set({ owner_id: dual.id })
      .where('id', 'in', Object.values(monitored))
      .execute();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  for (const [lang, text] of [
    [
      'en',
      {
        failed: 'failed',
        published: 'Published',
        release: 'Published: ε',
        fpr: 'false positive rate',
        auditDone: 'Bias audit done: the report is below.',
        finding: /Caucasian: false positive rate is 0\.\d\d times African-American's/,
        breach: 'breach',
        paused: 'Paused',
        redacted: 'Withheld: trade secret under procurement contract',
        ownerRefused: 'cannot resume it (separation of duties)',
      },
    ],
    [
      'ko',
      {
        failed: '불합격',
        published: '게시했습니다',
        release: '공개했습니다',
        fpr: '거짓 양성률',
        auditDone: '편향 감사 완료: 보고서는 아래에 있습니다.',
        finding: /Caucasian의 거짓 양성률은 African-American의 0\.\d\d배/,
        breach: '위반',
        paused: '일시 중지',
        redacted: '비공개: trade secret under procurement contract',
        ownerRefused: '재개할 수 없습니다(직무 분리)',
      },
    ],
  ] as const) {
    it(`audits from a data source, monitors, pauses and resumes, redacts and publishes in ${lang}`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
      const page = await ctx.newPage();
      const count = async (url: string) => ((await s.app.inject({ url })).json() as unknown[]).length;
      const auditsBefore = (await s.app.inject({ url: `/api/register/${systemId}` })).json().audits.length as number;
      const releasesBefore = await count('/api/statistics/releases');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${s.url}/login`);
      await page.fill('input[name=username]', 'oversight');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('form.login button[type=submit]');
      await page.waitForSelector('[data-testid=who]');
      await page.click('nav a[href="/oversight"]');
      await page.waitForSelector('[data-testid=audit-form]');

      // 1. A bias audit from the registered data source: the metrics are the policy's, shown with their meaning.
      await page.selectOption('select[name=audit-system]', systemId);
      await page.selectOption('select[name=audit-source]', 'court-outcomes');
      await expect.poll(() => page.textContent('[data-testid=audit-metrics]')).toContain(text.fpr);
      await page.fill('input[name=audit-period-start]', '2013-01-01');
      await page.fill('input[name=audit-period-end]', '2014-12-31');
      await page.fill('textarea[name=audit-population]', 'everyone scored at pre-trial in the county, 2013-2014');
      await page.setInputFiles('input[name=audit-file]', COMPAS);
      await page.waitForSelector('[data-testid=audit-header]');
      await expect.poll(() => page.textContent('[data-testid=audit-sha256]')).toMatch(/[0-9a-f]{16}/);
      await page.selectOption('select[name=audit-predicted]', 'score_text');
      await page.fill('input[name=audit-positive]', 'Medium,High');
      await page.selectOption('select[name=audit-label]', 'two_year_recid');
      await page.check('input[name=audit-group-race]');
      // From a registered source the reference group is the policy's: no field to change it.
      expect(await page.locator('input[name=audit-reference]').count()).toBe(0);
      await page.click('button[name=run-audit]');
      await page.waitForSelector('[data-testid=audit-result]', { timeout: 60_000 });
      // The audit ran as a job: its progress bar ends full, with the last state in the page's language.
      const bar = '[data-testid=audit-run] [data-testid=run-progress]';
      await expect.poll(() => page.getAttribute(bar, 'data-phase')).toBe('done');
      expect(await page.getAttribute(bar, 'data-fraction')).toBe('1');
      expect(await page.getAttribute(`${bar} progress`, 'value')).toBe('100');
      expect((await page.textContent(bar))!.trim()).toBe(text.auditDone);
      expect(await page.getAttribute('[data-testid=audit-result]', 'data-passed')).toBe('false');
      expect(await page.getAttribute('[data-testid=audit-result]', 'data-counts-for-gate')).toBe('true');
      const result = (await page.textContent('[data-testid=audit-result]'))!;
      expect(result).toContain(text.failed);
      expect(result).toMatch(text.finding);
      await page.click('button[name=publish-audit]');
      await expect.poll(() => page.textContent('[data-testid=audit-published]')).toContain(text.published);
      const audits = (await s.app.inject({ url: `/api/register/${systemId}` })).json().audits as {
        id: number;
        passed: boolean;
      }[];
      expect(audits.length).toBe(auditsBefore + 1);
      expect(audits.every((a) => a.passed === false)).toBe(true);
      const auditId = audits.at(-1)!.id;
      const report = (await s.app.inject({ url: `/api/audits/${auditId}` })).json();
      expect(report.countsForGate).toBe(true);

      // 2. A disparity monitor on the live system, run from the page: the breach and the pause it caused.
      await page.selectOption('select[name=monitor-system]', monitored[lang]);
      await page.selectOption('select[name=monitor-kind]', 'disparity');
      await page.selectOption('select[name=monitor-outcome]', 'stop');
      await page.fill('input[name=monitor-windowDays]', '30');
      await page.fill('input[name=monitor-ratioMax]', '1.25');
      await page.fill('input[name=monitor-minCount]', '20');
      await page.fill('input[name=monitor-alpha]', '0.05');
      await page.click('button[name=create-monitor]');
      await page.waitForSelector(`[data-testid=monitor-row][data-system="${monitored[lang]}"]`);
      await page.click('button[name=run-monitors]');
      const row = `[data-testid=monitor-row][data-system="${monitored[lang]}"]`;
      await page.waitForSelector(`${row}[data-breached=true]`);
      expect(await page.textContent(row)).toContain(text.breach);
      await page.waitForSelector(`[data-testid=system-state][data-system="${monitored[lang]}"][data-state=paused]`);
      expect(await page.textContent(`[data-testid=system-state][data-system="${monitored[lang]}"]`)).toContain(
        text.paused,
      );
      // The system's owner, though holding the oversight role, is refused, in the page's language.
      const ownerCtx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      await ownerCtx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
      const ownerPage = await ownerCtx.newPage();
      ownerPage.on('pageerror', (e) => errors.push(e.message));
      await ownerPage.goto(`${s.url}/login`);
      await ownerPage.fill('input[name=username]', 'owner-overseer');
      await ownerPage.fill('input[name=password]', PASSWORD);
      await ownerPage.click('form.login button[type=submit]');
      await ownerPage.waitForSelector('[data-testid=who]');
      await ownerPage.click('nav a[href="/oversight"]');
      const own = `li[data-system="${monitored[lang]}"]`;
      await ownerPage.fill(`${own} input[name=resume-reason]`, 'my system is fine');
      await ownerPage.fill(`${own} input[name=resume-remedy]`, 'nothing needed to be done');
      await ownerPage.click(`${own} button[name=resume]`);
      await expect.poll(() => ownerPage.textContent(`${own} [data-testid=resume-error]`)).toContain(text.ownerRefused);
      await ownerCtx.close();
      // Oversight resumes with a reason, from this page.
      await page.fill(`[data-system="${monitored[lang]}"] input[name=resume-reason]`, 'stop data re-checked');
      await page.fill(
        `[data-system="${monitored[lang]}"] input[name=resume-remedy]`,
        'stop counts of one precinct were double-counted; corrected at source',
      );
      await page.click(`[data-system="${monitored[lang]}"] button[name=resume]`);
      await page.waitForSelector(`[data-testid=system-state][data-system="${monitored[lang]}"][data-state=active]`);
      const history = (await s.app.inject({ url: `/api/systems/${monitored[lang]}/transitions` })).json() as {
        from: string;
        to: string;
        reason: string;
      }[];
      expect(history.slice(-2).map((h) => `${h.from}>${h.to}`)).toEqual(['active>paused', 'paused>active']);
      expect(history.at(-1)!.reason).toBe('stop data re-checked');

      // 3. Redact a register field with its legal reason.
      await page.selectOption('select[name=redact-system]', systemId);
      await page.selectOption('select[name=redact-field]', lang === 'en' ? 'provider' : 'model');
      await page.fill('input[name=redact-reason]', 'trade secret under procurement contract');
      await page.fill('input[name=redact-until]', '2030-01-01');
      await page.click('button[name=redact]');
      await page.waitForSelector('[data-testid=redact-done]');
      const record = (await s.app.inject({ url: `/api/register/${systemId}` })).json().record as Record<
        string,
        { redacted?: boolean }
      >;
      expect(record[lang === 'en' ? 'provider' : 'model'].redacted).toBe(true);

      // 4. Consultation comments are answered in the system's workspace, linked from here.
      expect(await page.getAttribute(`a[data-testid=comments-link][data-system="${systemId}"]`, 'href')).toBe(
        `/systems/${systemId}`,
      );

      // 5. A statistics release within the privacy budget, and a refusal past it naming the field.
      await page.fill('input[name=release-epsilon]', '0.25');
      await page.click('button[name=publish-release]');
      await expect.poll(() => page.textContent('[data-testid=release-done]')).toContain(text.release);
      expect(await count('/api/statistics/releases')).toBe(releasesBefore + 1);
      await page.fill('input[name=release-epsilon]', '50');
      await page.click('button[name=publish-release]');
      await expect.poll(() => page.textContent('[data-testid=release-error]')).toContain('epsilonPerTable');
      expect(await count('/api/statistics/releases')).toBe(releasesBefore + 1);
      await page.screenshot({ path: `docs/screenshots/oversight.${lang}.png`, fullPage: true });

      // The public: the register shows the redaction notice and the published audit, which opens.
      const visitor = await ctx.browser()!.newContext({ viewport: { width: 1280, height: 1000 } });
      await visitor.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
      const pub = await visitor.newPage();
      pub.on('pageerror', (e) => errors.push(e.message));
      await pub.goto(`${s.url}/register/${systemId}`);
      await pub.waitForSelector('[data-testid=redacted]');
      expect(await pub.textContent('body')).toContain(text.redacted);
      await pub.click(`a[href="/audits/${auditId}"]`);
      await pub.waitForSelector('[data-testid=audit-report]');
      expect(await pub.textContent('[data-testid=audit-verdict]')).toBe(text.failed);
      await pub.screenshot({ path: `docs/screenshots/oversight-audit-report.${lang}.png`, fullPage: true });
      await visitor.close();
      expect(errors).toEqual([]);
      await ctx.close();
    }, 240_000);
  }
});
