import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/ledger/keys';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { launchBrowser } from '../support/browser';
import { startDemoServer, type DemoServer } from '../support/server';

describe('transparency log page (public, no sign-in)', () => {
  let s: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startDemoServer();
    for (let i = 0; i < 300; i++)
      void s.ledger.append({ type: 'ai.output', actor: 'system:test-vendor', subjects: [], payload: { i } });
    await s.ledger.drain();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('shows the signed checkpoint and verifies a receipt in the page with WebCrypto', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/log`);
    const size = (await latestCheckpoint(s.store.db))!.size;
    expect(size).toBeGreaterThan(300);
    await expect.poll(() => page.textContent('[data-testid=log-size]')).toBe(String(size));
    await page.fill('input[name=index]', '257');
    await page.click('button:has-text("Get receipt")');
    await expect.poll(() => page.inputValue('textarea[name=receipt]')).toMatch(/^c2sp.org\/tlog-proof@v1\n/);
    await page.click('button:has-text("Verify")');
    await expect.poll(() => page.getAttribute('[data-testid=verify-result]', 'data-ok')).not.toBeNull();
    expect(await page.textContent('[data-testid=verify-result]')).toContain('Valid');
    expect(await page.textContent('[data-testid=verify-result]')).toContain('entry 257 is in the signed tree');

    // A receipt edited to claim another position fails the inclusion check.
    const text = await page.inputValue('textarea[name=receipt]');
    await page.fill('textarea[name=receipt]', text.replace(/^index 257$/m, 'index 258'));
    await page.click('button:has-text("Verify")');
    await expect.poll(() => page.getAttribute('[data-testid=verify-result]', 'data-ok')).toBe('false');
    expect(await page.textContent('[data-testid=verify-result]')).toContain('does not lead to the signed root');

    // The right receipt under a key we do not trust is refused at the signature step.
    await page.fill('textarea[name=receipt]', text);
    await page.fill('input[name=vkey]', generateKeyPair('test.counterweight/log').verifierKey);
    await page.click('button:has-text("Verify")');
    await expect.poll(() => page.getAttribute('[data-testid=verify-result]', 'data-ok')).toBe('false');
    expect(await page.textContent('[data-testid=verify-result]')).toContain('no signature by');

    // No entry at that index: the refusal is shown as a problem in the language shown, and the receipt box keeps its text.
    await page.fill('input[name=index]', '99999999');
    await page.click('button:has-text("Get receipt")');
    await expect.poll(() => page.textContent('[data-testid=receipt-error]')).toContain('99999999');
    expect(await page.inputValue('textarea[name=receipt]')).toBe(text);
    await page.evaluate(() => localStorage.setItem('cw.lang', 'ko'));
    await page.reload();
    await page.fill('input[name=index]', '99999999');
    await page.click('.receipt-form button >> nth=0'); // "Get receipt", in Korean
    await expect.poll(() => page.textContent('[data-testid=receipt-error]')).toMatch(/[\uac00-\ud7a3]/);
    expect(await page.textContent('[data-testid=receipt-error]')).not.toMatch(/no log entry/);
    await page.evaluate(() => localStorage.removeItem('cw.lang'));
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test-results/transparency-log.png', fullPage: true });
  });

  it('shows published statistics with their error bars and suppressed cells', async () => {
    const { publishRelease } = await import('../../src/privacy/statistics');
    const { registerBundledSources } = await import('../../src/privacy/sources');
    await registerBundledSources(s.store, s.ledger);
    const rel = await publishRelease(s.store, s.ledger, 'system:test-oversight', {
      epsilonPerTable: 1,
      suppressBelow: 10,
    });
    const page = await browser.newPage();
    await page.goto(`${s.url}/statistics`);
    await page.waitForSelector('[data-testid=incidents-by-area-month-origin]');
    const text = await page.textContent('[data-testid=incidents-by-area-month-origin]');
    expect(text).toMatch(/\d+ \(\d+–\d+\)/);
    expect(text).toContain('suppressed');
    expect(await page.textContent('.note')).toContain(`#${rel.logIndex}`);
    // The spent budget is public: ε = 1 of 2 for each table in every year of the released data.
    const budget = await page.textContent('[data-testid=privacy-budget]');
    expect(budget).toContain('at most ε = 2 per calendar year');
    expect(budget).toMatch(/Incidents by community area and origin\s*1\s*1/);
    await page.screenshot({ path: 'test-results/statistics.png' });
  });
});
