/**
 * Issue 17 item 5, the stronger check: on the forecast page (a run, its data policy, the fairness trade-off)
 * and on the published place-based audit report, Korean mode shows no run of three English words at all —
 * not only no English string that has a Korean key (every-page.test.ts), but also no English the server sent
 * without a code. What may stay Latin is listed: model names, units and data values, each with its reason.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAXONOMY } from '../../src/demo/load-demo';
import { startUp } from '../../src/server/start';
import { openStore, type Store } from '../../src/store/db';
import { launchBrowser, signIn } from '../support/browser';
import { englishLeft, SCREENSHOTS, visibleTexts } from '../support/korean-mode';

/** Three or more English words in a row: a sentence or phrase nobody translated. */
const ENGLISH_RUN = /[A-Za-z]{4,}(\s+[A-Za-z]{2,}){2,}/;
/** Latin text that is a name or a data value, not interface text (none needed so far: kept empty on purpose). */
const ALLOWED: RegExp[] = [];

export async function englishRuns(page: Page, where: string): Promise<string[]> {
  return (await visibleTexts(page))
    .filter((text) => ENGLISH_RUN.test(text) && !ALLOWED.some((a) => a.test(text)))
    .map((text) => `${where}: English in Korean mode: "${text.slice(0, 100)}"`);
}

describe('Korean mode on the forecast page and the place-based audit report: no English left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-e2e-ko-'));
  let store: Store;
  let s: Awaited<ReturnType<typeof startUp>>;
  let url: string;
  let browser: Browser;
  let ctx: BrowserContext;
  beforeAll(async () => {
    store = openStore({ sqliteFile: join(dir, 'cw.db') });
    s = await startUp(
      store,
      { webDist: 'web/dist', keysDir: join(dir, 'keys'), logOrigin: 'test.counterweight/log' },
      { adminPassword: 'a-long-test-password', demo: { name: 'chicago', taxonomyFile: DEMO_TAXONOMY.chicago } },
    );
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 1000 } });
    await ctx.addInitScript(() => localStorage.setItem('cw.lang', 'ko'));
  }, 300_000);
  afterAll(async () => {
    await ctx?.close();
    await browser?.close();
    await s?.app.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the analyst reads a forecast run, its data policy and the fairness trade-off in Korean', async () => {
    const page = await ctx.newPage();
    page.setDefaultTimeout(90_000);
    const analyst = s.demoAccounts!.people.find((p) => p.roles.includes('analyst'))!;
    await signIn(page, url, analyst.username, analyst.password);
    await page.goto(`${url}/forecast`);
    await page.waitForSelector('select[name=run] option:nth-child(2)', { state: 'attached' });
    const run = await page.$eval('select[name=run] option:nth-child(2)', (o) => (o as HTMLOptionElement).value);
    await page.selectOption('select[name=run]', run);
    await page.waitForSelector('[data-testid=data-policy]');
    await page.waitForSelector('[data-testid=hotspots] tbody tr');
    const policy = (await page.textContent('[data-testid=data-policy]'))!;
    expect(policy).toContain('시민 신고');
    // The model's name with its parameters in Korean too ("모델 시간 가중 커널 밀도 추정(…)"), not the
    // server's English, which has too few plain words in a row for the English-run check to see.
    expect(policy).toMatch(/모델 [^;]*[가-힣][^;]*;/);
    await page.click('[data-testid=mission-form] button[name=tradeoff]');
    await page.waitForSelector('[data-testid=tradeoff] svg');
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    const problems = [...(await englishRuns(page, 'forecast')), ...(await englishLeft(page, 'forecast'))];
    expect(problems).toEqual([]);
  }, 240_000);

  it('the public reads the published place-based audit in Korean: title, headline, captions, findings', async () => {
    const audits = await store.db.selectFrom('audits').select(['id', 'kind']).where('published', '=', 1).execute();
    const place = audits.find((a) => a.kind === 'place-based');
    expect(place).toBeDefined();
    const problems: string[] = [];
    for (const a of audits.filter((x) => x.kind !== 'person-level')) {
      const page = await ctx.newPage();
      await page.goto(`${url}/audits/${a.id}`);
      await page.waitForSelector('[data-testid=audit-verdict]');
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
      problems.push(...(await englishRuns(page, `audit ${a.kind}`)), ...(await englishLeft(page, `audit ${a.kind}`)));
      // The report pages every-page.test.ts does not visit: one h1, no serious or critical axe violation.
      const h1 = await page.locator('h1').count();
      if (h1 !== 1) problems.push(`audit ${a.kind}: ${h1} h1 elements`);
      const axe = await new AxeBuilder({ page: page as never }).analyze();
      for (const x of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
        problems.push(`audit ${a.kind}: axe ${x.impact} ${x.id} at ${x.nodes[0]?.target.join(' ')}`);
      if (a.kind === 'place-based') expect(await page.textContent('h1')).toContain('장소 기반');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}/audit-${a.kind}.ko.png`, fullPage: true });
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);
});
