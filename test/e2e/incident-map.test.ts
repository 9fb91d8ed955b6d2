import { existsSync, mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { PASSWORD, startDemoServer } from '../support/server';

describe('web shell in Chromium', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync('web/dist/index.html'))
      throw new Error('web/dist is missing: npm test builds it first (npm run build:web)');
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an analyst signs in and sees the incident map with the right counts, then filters by origin', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(`${server.url}/map`);
    // Not signed in: the map route shows the sign-in form.
    await page.fill('input[name=username]', 'analyst');
    await page.fill('input[name=password]', 'wrong-password-here');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('wrong username or password');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=who]');
    expect(await page.textContent('[data-testid=who]')).toContain('analyst');

    const count = page.locator('[data-testid=incident-count]');
    await expect.poll(() => count.getAttribute('data-matched'), { timeout: 30_000 }).toBe('25000');
    expect(await count.getAttribute('data-returned')).toBe('25000');
    await expect.poll(() => page.getAttribute('[data-testid=map]', 'data-state'), { timeout: 30_000 }).toBe('ready');
    expect(await page.locator('.map canvas').count()).toBe(1);
    // Points are drawn, not just fetched (nearby points can overlap in one rendered feature tile, so > 20,000).
    expect(Number(await page.getAttribute('[data-testid=map]', 'data-rendered'))).toBeGreaterThan(20_000);

    // Officer-initiated only: 25,000 − citizen-reported; the numbers come from the taxonomy applied at import.
    const n = await server.store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('origin', '=', 'officer')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(3000);
    await page.selectOption('select[name=origin]', 'officer');
    await page.click('button:has-text("Apply")');
    await expect.poll(() => count.getAttribute('data-matched'), { timeout: 30_000 }).toBe(String(n.n));

    // Type and date filters together: NARCOTICS in 2018.
    await page.selectOption('select[name=origin]', '');
    await page.selectOption('select[name=type]', 'NARCOTICS');
    await page.fill('input[name=from]', '2018-01-01');
    await page.fill('input[name=to]', '2019-01-01');
    await page.click('button:has-text("Apply")');
    const expected = await server.store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'NARCOTICS')
      .where('occurred_at', '>=', '2018-01-01T00:00:00Z')
      .where('occurred_at', '<', '2019-01-01T00:00:00Z')
      .executeTakeFirstOrThrow();
    await expect.poll(() => count.getAttribute('data-matched'), { timeout: 30_000 }).toBe(String(expected.n));
    await expect.poll(() => page.getAttribute('[data-testid=map]', 'data-state'), { timeout: 30_000 }).toBe('ready');
    expect(Number(await page.getAttribute('[data-testid=map]', 'data-rendered'))).toBe(Number(expected.n));

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/incident-map.png' });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('the interface switches to Korean through the translation layer', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.click('button:has-text("한국어")');
    await expect.poll(() => page.textContent('nav')).toContain('공개 등록부');
    expect(await page.textContent('.advisory')).toContain('참고용');
    await page.close();
  });
});
