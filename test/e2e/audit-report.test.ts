import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { launchBrowser } from '../support/browser';
import { startDemoServer, type DemoServer } from '../support/server';

describe('audit report page', () => {
  let s: DemoServer;
  let browser: Browser;
  let auditId = 0;
  let systemId = '';
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    const ctx = await activeSystem(s, 'Recidivism risk scores');
    systemId = ctx.systemId;
    const csv = readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8');
    const r = await ctx.call(
      'oversight',
      'POST',
      `/api/systems/${systemId}/versions/1/audits?predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race,sex&reference=Caucasian`,
      csv,
      { 'content-type': 'text/csv' },
    );
    auditId = r.json().id;
    await ctx.call('oversight', 'POST', `/api/audits/${auditId}/publish`, {});
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('the public reaches the published COMPAS audit from the register and sees rates, intervals, verdicts and the chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/register/${systemId}`);
    await page.click('text=person-level');
    await page.waitForSelector('[data-testid=audit-report]');
    expect(await page.textContent('[data-testid=audit-verdict]')).toBe('failed');
    const disp = await page.textContent('[data-testid=disparities]');
    expect(disp).toContain('FPR vs Caucasian');
    expect(disp).toMatch(/African-American1\.91 \[\d\.\d\d, \d\.\d\d\]/);
    expect(disp).toContain('outside band');
    expect(await page.textContent('[data-testid=audit-report]')).toContain('44.8%'); // FPR of African-American defendants
    expect(await page.locator('[data-testid=audit-chart] svg').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid=audit-report]')).toContain('race × sex');
    await page.screenshot({ path: 'test-results/audit-report.png', fullPage: false });
    expect(errors).toEqual([]);
  });
});
