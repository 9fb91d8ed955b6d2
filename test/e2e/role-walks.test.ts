/**
 * Issue 17 "Done when": each role walks its main jobs in the browser only, in English and in Korean, on a
 * fresh demo start (startUp with the Chicago demo, as `npm start -- --demo chicago` runs it; the people and
 * passwords are the ones the first start gave out). One start per language, shared by that language's roles
 * in the order the work flows: the analyst proposes a mission, the supervisor approves it, the officer
 * decides an alert and opens a released mission, the system owner works on a system, the public reads what
 * was published. The test clicks and types only; results are read through the API or the store afterwards.
 * In Korean every page visited is checked for English left behind (test/support/korean-mode.ts, the check
 * every-page.test.ts makes), and each walk writes docs/screenshots/<role>-walk.<lang>.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TAXONOMY } from '../../src/demo/load-demo';
import { startUp } from '../../src/server/start';
import { openStore, type Store } from '../../src/store/db';
import { launchBrowser, signIn } from '../support/browser';
import { englishLeft, englishPatterns, SCREENSHOTS } from '../support/korean-mode';

const dict = (lang: string) => JSON.parse(readFileSync(`web/src/i18n/${lang}.json`, 'utf8')) as Record<string, string>;
const fill = (s: string, p: Record<string, string | number>) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(p[k] ?? `{{${k}}}`));

describe.each(['en', 'ko'] as const)('every role walks its main jobs on a fresh demo start (%s)', (lang) => {
  const t = dict(lang);
  const patterns = englishPatterns();
  const dir = mkdtempSync(join(tmpdir(), 'cw-e2e-walks-'));
  let store: Store;
  let s: Awaited<ReturnType<typeof startUp>>;
  let url: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Page errors and, in Korean, English left behind: collected along each walk, asserted at its end. */
  let problems: string[] = [];

  const person = (role: string) => {
    const p = s.demoAccounts!.people.find((x) => x.roles.includes(role));
    if (!p) throw new Error(`the demo has no ${role}`);
    return p;
  };
  /** A browser of the walk's own, in the walk's language, signed in through the form unless public. */
  async function browse(role: string | null): Promise<Page> {
    const ctx = await browser.newContext({
      locale: lang === 'ko' ? 'ko-KR' : 'en-US',
      viewport: { width: 1280, height: 1000 },
    });
    contexts.push(ctx);
    await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
    const page = await ctx.newPage();
    // The forecast map draws with software WebGL: on a loaded machine a click can wait long for the page.
    page.setDefaultTimeout(90_000);
    page.on('pageerror', (e) => problems.push(`${role ?? 'public'}: page error ${e.message}`));
    if (role) {
      const p = person(role);
      await signIn(page, url, p.username, p.password);
    } else await page.goto(url);
    return page;
  }
  /** In Korean: nothing visible is an English string that has a Korean key, and no raw JSON. */
  async function readsInLanguage(page: Page, where: string) {
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    if (lang === 'ko') problems.push(...(await englishLeft(page, where, patterns)));
  }
  async function finish(page: Page, role: string) {
    await page.screenshot({ path: `${SCREENSHOTS}/${role}-walk.${lang}.png`, fullPage: true });
    expect(problems).toEqual([]);
  }

  beforeAll(async () => {
    store = openStore({ sqliteFile: join(dir, 'cw.db') });
    s = await startUp(
      store,
      { webDist: 'web/dist', keysDir: join(dir, 'keys'), logOrigin: 'test.counterweight/log' },
      { adminPassword: 'a-long-test-password', demo: { name: 'chicago', taxonomyFile: DEMO_TAXONOMY.chicago } },
    );
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await s?.app.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => {
    problems = [];
  };

  it('the analyst forecasts, reads a cell explanation, backtests and proposes a mission', async () => {
    fresh();
    const page = await browse('analyst');
    await page.click('nav a[href="/forecast"]');
    await page.waitForSelector('[data-testid=forecast-map][data-state=styled]');
    const forecasts = async () => ((await (await page.request.get(`${url}/api/forecasts`)).json()) as unknown[]).length;
    const before = await forecasts();
    await page.click('[data-testid=forecast-form] button[type=submit]');
    await page.waitForSelector('[data-testid=hotspots] tbody tr');
    await expect.poll(forecasts).toBe(before + 1);
    await readsInLanguage(page, 'forecast');

    // A hotspot's explanation: its "why" button in the table opens it beside the map, in the page's language.
    await page.click(`[data-testid=hotspots] tbody tr button:has-text("${t['forecast.why']}")`);
    await page.waitForSelector('[data-testid=explanation] tbody tr');
    expect(await page.textContent('[data-testid=explanation] strong')).toMatch(
      lang === 'ko' ? /모델이 .*선정했습니다/ : /^Flagged by /,
    );
    await readsInLanguage(page, 'forecast explanation');

    await page.fill('[data-testid=backtest-form] input[name=from]', '2019-03-04');
    await page.fill('[data-testid=backtest-form] input[name=to]', '2019-04-01');
    await page.click('[data-testid=backtest-form] button[type=submit]');
    await page.waitForSelector('[data-testid=backtest-chart] svg', { timeout: 90_000 });
    expect(await page.locator('[data-testid=backtest] table tbody tr').count()).toBeGreaterThan(0);
    await readsInLanguage(page, 'backtest');

    const missions = await store.db.selectFrom('missions').select('id').execute();
    await page.fill('[data-testid=mission-form] input[name=cells]', '3');
    await page.click('[data-testid=mission-form] button[name=tradeoff]');
    await page.waitForSelector('[data-testid=tradeoff] svg');
    await page.click('[data-testid=mission-form] button[type=submit]');
    await expect
      .poll(async () => (await store.db.selectFrom('missions').select('id').execute()).length)
      .toBe(missions.length + 1);
    const proposed = await store.db
      .selectFrom('missions')
      .select('status')
      .where('id', 'not in', missions.map((m) => m.id).concat(['']))
      .executeTakeFirstOrThrow();
    expect(proposed.status).toBe('proposed');
    // A second proposal for the same shift: the supervisor will send one back.
    await page.click('[data-testid=mission-form] button[type=submit]');
    await expect
      .poll(async () => (await store.db.selectFrom('missions').select('id').execute()).length)
      .toBe(missions.length + 2);
    // The demo's released missions say where their alert stands in the page's language.
    const released = `${t['forecast.status_released']} · ${t['forecast.alertStatus.pending']}`;
    expect(await page.locator('[data-testid=mission-status]').allTextContents()).toContain(released);
    await readsInLanguage(page, 'missions');
    await finish(page, 'analyst');
  }, 240_000);

  it('the supervisor sends one mission back with a reason, approves the other, sees review statistics and the roster', async () => {
    fresh();
    const page = await browse('supervisor');
    await page.click('nav a[href="/forecast"]');
    await page.waitForSelector('[data-testid=missions] button[name=approve]');
    const proposedRows = '[data-testid=missions] tr:has(button[name=reject])';
    expect(await page.locator(proposedRows).count()).toBe(2);
    const sendBack = (await page.locator(proposedRows).first().getAttribute('data-mission'))!;
    // Sending back without a reason is refused on the page, in the page's language; nothing is decided.
    await page.click(`[data-mission="${sendBack}"] button[name=reject]`);
    await page.waitForSelector('[data-testid=decision-problem]');
    expect(await page.textContent('[data-testid=decision-problem]')).toBe(t['forecast.reasonNeeded']);
    await readsInLanguage(page, 'missions (reason missing)');
    const why = lang === 'ko' ? '같은 교대에 중복 제안입니다' : 'duplicate of the other proposal for this shift';
    await page.fill('input[name=reason]', why);
    await page.click(`[data-mission="${sendBack}"] button[name=reject]`);
    await expect
      .poll(() => page.textContent(`[data-mission="${sendBack}"] [data-testid=mission-status]`))
      .toContain(t['forecast.status_rejected']);
    // The reason given stays on the row, for the analyst who proposed it.
    expect(await page.textContent(`[data-mission="${sendBack}"] [data-testid=mission-reason]`)).toBe(why);
    const rejected = await store.db
      .selectFrom('missions')
      .select(['status', 'reason'])
      .where('id', '=', sendBack)
      .executeTakeFirstOrThrow();
    expect(rejected).toEqual({ status: 'rejected', reason: why });
    expect(await page.locator(proposedRows).count()).toBe(1);
    await readsInLanguage(page, 'missions (sent back)');

    await page.fill(
      'input[name=reason]',
      lang === 'ko' ? '공원 북쪽 밀집 지역을 포함합니다' : 'covers the park cluster',
    );
    await page.click('[data-testid=missions] button[name=approve]');
    await expect.poll(() => page.locator('[data-testid=missions] button[name=approve]').count()).toBe(0);
    await expect
      .poll(
        async () =>
          (await store.db.selectFrom('missions').select('status').where('status', '=', 'proposed').execute()).length,
      )
      .toBe(0);
    await readsInLanguage(page, 'missions (supervisor)');

    await page.click('nav a[href="/review"]');
    await page.waitForSelector('[data-testid=roster] tbody tr');
    await page.waitForSelector('[data-testid=response-stats] h3');
    expect(await page.textContent('[data-testid=response-stats] h3')).toBe(t['review.response.title']);
    const officer = person('officer').displayName;
    expect(await page.textContent('[data-testid=roster] tbody')).toContain(officer);
    // Roster the officer for a night shift: one more row.
    const rows = () => page.locator('[data-testid=roster] tbody tr').count();
    const before = await rows();
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.selectOption('select[name=rosterUser]', { label: officer });
    await page.fill('input[name=rosterStart]', `${day}T22:00`);
    await page.fill('input[name=rosterEnd]', `${day}T23:30`);
    await page.click('button[name=roster]');
    await expect.poll(rows).toBe(before + 1);
    await readsInLanguage(page, 'review (supervisor)');
    await finish(page, 'supervisor');
  }, 120_000);

  it('the officer opens an alert on its map with why and how sure, decides it with a reason sentence, and opens a released mission', async () => {
    fresh();
    const page = await browse('officer');
    await page.click('nav a[href="/review"]');
    await page.waitForSelector('[data-testid=queue] button[data-alert]');
    const waiting = await page.$$eval('[data-testid=queue] button[data-alert]', (bs) =>
      bs.map((b) => b.getAttribute('data-alert')!),
    );
    const kinds = await store.db.selectFrom('alerts').select(['id', 'system_id']).where('id', 'in', waiting).execute();
    const vendorAlert = kinds.find((k) => k.system_id === s.demoAccounts!.systems.vendor)!.id;
    const missionAlert = kinds.find((k) => k.system_id === s.demoAccounts!.systems.forecaster)!.id;
    await readsInLanguage(page, 'review queue');

    await page.click(`[data-alert="${vendorAlert}"]`);
    await page.waitForSelector('[data-testid=alert-detail]');
    await page.waitForSelector('[data-testid=alert-map][data-state=ready]');
    expect(await page.textContent('[data-testid=alert-detail]')).toContain(t['review.why']);
    const confidence = (await page.textContent('[data-testid=confidence]'))!;
    expect(confidence).toMatch(/\d+%/);
    const reasons = await page.locator('select[name=reasonCode] option').allTextContents();
    expect(reasons).toContain(t['review.reason.no-activity-found']);
    await readsInLanguage(page, 'alert');

    await page.selectOption('select[name=outcome]', 'not-acted');
    await page.selectOption('select[name=reasonCode]', { label: t['review.reason.no-activity-found'] });
    await page.fill('textarea[name=reasonText]', lang === 'ko' ? '현장에 아무도 없었습니다' : 'nobody there');
    // What the officer types can be Korean in either language: the box's fonts must include Hangul.
    expect(await page.$eval('textarea[name=reasonText]', (el) => getComputedStyle(el).fontFamily)).toContain(
      'Noto Sans KR',
    );
    await page.click('button[name=decide]');
    await page.waitForSelector('[data-testid=decision]');
    expect(await page.textContent('[data-testid=decision]')).toContain(t['review.reason.no-activity-found']);
    const decided = await store.db
      .selectFrom('decisions')
      .select(['reason_code', 'outcome'])
      .where('alert_id', '=', vendorAlert)
      .executeTakeFirstOrThrow();
    expect(decided).toEqual({ reason_code: 'no-activity-found', outcome: 'not-acted' });
    await readsInLanguage(page, 'decision');

    // A released patrol mission: its cells on the map, why in words, no confidence claimed.
    await page.click(`[data-alert="${missionAlert}"]`);
    // The previous alert's detail and map stay until the new one loads: wait for this alert's own id.
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid=alert-detail]')?.textContent?.includes(id),
      missionAlert,
    );
    await page.waitForSelector('[data-testid=alert-map][data-state=ready]');
    const where = (await page.textContent('[data-testid=alert-where]'))!;
    expect(where).toContain(fill(t['review.where.cells'], { count: '' }).split('{{')[0].trim().split(' ')[0]);
    expect(await page.textContent('[data-testid=alert-detail]')).toContain(t['review.noConfidence']);
    // The forecaster's own words (summary, each cell's reason) are messages: rendered in the page's language.
    const why = await page.locator('[data-testid=alert-explanation]').innerText(); // not the closed technical fold
    if (lang === 'ko') {
      expect(why).not.toMatch(/Patrol \d+ cells|Flagged by|next-highest/);
      expect(why).toMatch(/모델이 .*선정했습니다/);
      expect(why).toMatch(/셀 \d+개/);
    } else {
      expect(why).toMatch(/Patrol \d+ cells where/);
      expect(why).toMatch(/Flagged by /);
    }
    await readsInLanguage(page, 'released mission');
    await finish(page, 'officer');
  }, 120_000);

  it('the system owner opens a workspace with its gate checklist, and fills a register field of a new draft', async () => {
    fresh();
    const page = await browse('system-owner');
    await page.click('nav a[href="/systems"]');
    await page.click(`a[href="/systems/${s.demoAccounts!.systems.consultation}"]`);
    await page.waitForSelector('[data-testid=workspace]');
    await page.waitForSelector('[data-testid=gate-checklist] li, [data-testid=gate-ok]');
    expect(await page.textContent('[data-testid=workspace]')).toContain(t['systems.gate']);
    await readsInLanguage(page, 'workspace (consultation)');

    await page.click('nav a[href="/systems"]');
    await page.fill('input[name=system-name]', lang === 'ko' ? '순찰 안내 초안' : 'Patrol guidance draft');
    await page.click('button[name=create-system]');
    await page.waitForSelector('[data-testid=workspace][data-state=draft]');
    await page.waitForSelector('[data-testid=gate-checklist] li');
    const use = lang === 'ko' ? '감독자가 검토하는 순찰 권고' : 'Advisory patrol missions reviewed by a supervisor';
    await page.locator('[data-testid=record-panel] [name=intendedUse]').fill(use);
    await page.click('button[name=save-record]');
    await page.waitForSelector('[data-testid=record-saved]');
    const id = page.url().split('/').pop()!;
    const saved = (await (await page.request.get(`${url}/api/systems/${id}/workspace`)).json()) as {
      record: { intendedUse?: string };
    };
    expect(saved.record.intendedUse).toBe(use);
    await readsInLanguage(page, 'workspace (draft)');
    await finish(page, 'system-owner');
  }, 120_000);

  it('the public reads the register, a system page, a published audit, verifies a log entry and reads the statistics', async () => {
    fresh();
    const page = await browse(null);
    await page.click('nav a[href="/register"]');
    await page.waitForSelector('[data-testid=register-table] tbody tr');
    await readsInLanguage(page, 'register');
    await page.click(`a[href="/register/${s.demoAccounts!.systems.forecaster}"]`);
    await page.waitForSelector('[data-testid=state]');
    await readsInLanguage(page, 'register entry');
    await page.click('a[href^="/audits/"]');
    await page.waitForSelector('[data-testid=audit-report]');
    await page.waitForSelector('[data-testid=audit-verdict]');
    await readsInLanguage(page, 'audit report');

    await page.click('nav a[href="/log"]');
    await page.waitForSelector('[data-testid=log-size]');
    await page.fill('input[name=index]', '1');
    await page.click(`button:has-text("${t['log.fetchReceipt']}")`);
    await expect.poll(() => page.inputValue('textarea[name=receipt]')).toMatch(/^c2sp.org\/tlog-proof@v1\n/);
    await page.click(`button:has-text("${t['log.verify']}")`);
    await expect.poll(() => page.getAttribute('[data-testid=verify-result]', 'data-ok')).toBe('true');
    // Each verification step in the page's language.
    expect(await page.textContent('[data-testid=verify-result]')).toContain(
      `${t['log.step.inclusion']}: ${fill(t['log.check.included'], { index: 1, hashes: '' }).split('(')[0]}`,
    );
    // What the verified entry records, in words; the recorded JSON only in a closed fold.
    expect(await page.textContent('[data-testid=verified-entry]')).toMatch(
      lang === 'ko' ? /^1번 항목은 .+ “[a-z.-]+” 기록이며/ : /^Entry 1 records “[a-z.-]+” by /,
    );
    expect(await page.locator('[data-testid=verify-result] details.technical[open]').count()).toBe(0);
    await readsInLanguage(page, 'log');

    await page.click('nav a[href="/statistics"]');
    await page.waitForSelector('[data-testid=privacy-budget]');
    await readsInLanguage(page, 'statistics');
    await finish(page, 'public');
  }, 120_000);
});
