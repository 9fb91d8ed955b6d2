import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { launchBrowser } from '../support/browser';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

/**
 * A widening of a data source's purposes is decided where oversight works: on the Oversight page. The
 * proposer is refused there too (in the page's language); a second oversight person approves it in the
 * browser, and the source then allows the purpose. The test proposes and reads through the API only.
 */
describe('source purpose proposals decided on the Oversight page', () => {
  let s: DemoServer;
  let browser: Browser;
  const session: Record<string, { cookie: string; 'x-csrf-token': string }> = {};
  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    s.app.inject({
      method,
      url,
      headers: session[who],
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const houston = JSON.parse(readFileSync('config/sources/houston-pd.json', 'utf8'));

  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    await createUser(s.ledger, 'system:test-setup', {
      username: 'oversight-2',
      password: PASSWORD,
      roles: ['oversight'],
      unit: 'district-1',
    });
    for (const u of ['admin', 'oversight']) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u, password: PASSWORD },
      });
      session[u] = {
        cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
        'x-csrf-token': r.json().csrfToken,
      };
    }
    expect((await call('admin', 'POST', '/api/sources', { ...houston, purposes: ['crime-analysis'] })).statusCode).toBe(
      201,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const latest = async () =>
    ((await call('admin', 'GET', '/api/sources/houston-pd')).json() as { record: { purposes: string[] } }[]).at(-1)!
      .record;
  const page = async (who: string, lang: 'en' | 'ko') => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
    const p = await ctx.newPage();
    await p.goto(`${s.url}/login`);
    await p.fill('input[name=username]', who);
    await p.fill('input[name=password]', PASSWORD);
    await p.click('form.login button[type=submit]');
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    await p.goto(`${s.url}/oversight`);
    await p.waitForSelector('[data-testid=oversight-proposals]');
    return p;
  };

  for (const [lang, purpose, text] of [
    ['en', 'fairness-audit', { none: 'Nothing is waiting', own: 'a second person must confirm this' }],
    ['ko', 'research', { none: '결정을 기다리는 제안이 없습니다', own: '다른 사람이 확인해야 합니다' }],
  ] as const) {
    it(`the proposer is refused and a second oversight person approves, in ${lang}`, async () => {
      const before = await page('oversight-2', lang);
      expect(await before.textContent('[data-testid=oversight-proposals]')).toContain(text.none);
      const current = await latest();
      const proposed = await call('oversight', 'POST', '/api/sources/proposals', {
        record: { ...houston, purposes: [...current.purposes, purpose] },
        legalBasis: 'Oversight policy, section 4',
      });
      expect(proposed.statusCode).toBe(202);

      const proposer = await page('oversight', lang);
      await proposer.click('[data-testid=oversight-proposals] button[name^=approve-proposal-]');
      await expect.poll(() => proposer.textContent('[data-testid=proposals-error]')).toContain(text.own);
      expect(((await call('admin', 'GET', '/api/sources/proposals')).json() as unknown[]).length).toBe(1);

      const second = await page('oversight-2', lang);
      await second.click('[data-testid=oversight-proposals] button[name^=approve-proposal-]');
      await second.waitForSelector('[data-testid=proposals-done]');
      await expect.poll(() => second.textContent('[data-testid=oversight-proposals]')).toContain(text.none);
      expect((await call('admin', 'GET', '/api/sources/proposals')).json()).toEqual([]);
      expect((await latest()).purposes).toContain(purpose);
      await Promise.all([before, proposer, second].map((p) => p.context().close()));
    });
  }
});
