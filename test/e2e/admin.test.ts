import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

/**
 * An administrator's jobs in the browser only, in English and in Korean: what is left to set up, create an
 * account (a weak password refused in the page's language), change roles, disable, reset a password, end
 * sessions, a machine key shown once, a supervisor on duty, the agency's time zone. The test reads results
 * through the API only.
 */
describe('administration in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function adminPage(lang: 'en' | 'ko'): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
    const page = await ctx.newPage();
    await page.goto(`${s.url}/login`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form.login button[type=submit]');
    // An admin lands on what still needs setting up.
    await page.waitForSelector('[data-testid=setup]');
    expect(new URL(page.url()).pathname).toBe('/admin');
    return page;
  }
  const users = async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: PASSWORD },
    });
    const cookie = `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`;
    return (await s.app.inject({ url: '/api/users', headers: { cookie } })).json() as {
      username: string;
      roles: string[];
      unit: string | null;
      disabled: boolean;
    }[];
  };

  for (const [lang, text] of [
    [
      'en',
      {
        weak: 'invalid account details',
        next: 'Next: ',
        disabled: 'Disabled',
        once: 'shown only once',
        zone: 'Asia/Seoul',
      },
    ],
    [
      'ko',
      {
        weak: '계정 정보가 올바르지 않습니다',
        next: '다음 단계: ',
        disabled: '비활성',
        once: '한 번만 표시',
        zone: 'Asia/Seoul',
      },
    ],
  ] as const) {
    it(`walks the admin's jobs in ${lang}`, async () => {
      const page = await adminPage(lang);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // No incidents and no forecaster on this install: the checklist says what is next.
      expect(await page.textContent('[data-testid=setup] .note')).toContain(text.next);
      expect(await page.getAttribute('[data-step=incidents]', 'data-done')).toBe('false');
      expect(await page.getAttribute('[data-step=role-analyst]', 'data-done')).toBe('true');

      const name = `clerk-${lang}`;
      await page.fill('input[name=new-username]', name);
      await page.fill('input[name=new-display-name]', `Clerk ${lang}`);
      await page.fill('input[name=new-password]', 'password1');
      await page.fill('input[name=new-unit]', 'district-2');
      await page.check('input[name=new-role-analyst]');
      await page.click('button[name=create-user]');
      await expect.poll(() => page.textContent('[data-testid=people-error]')).toContain(text.weak);
      expect(await page.textContent('[data-testid=people-error] li')).toContain('password');
      expect((await users()).some((u) => u.username === name)).toBe(false);
      await page.fill('input[name=new-password]', 'quiet-harbour-lantern-42');
      await page.click('button[name=create-user]');
      await page.waitForSelector(`[data-user=${name}]`);
      expect((await users()).find((u) => u.username === name)).toMatchObject({
        roles: ['analyst'],
        unit: 'district-2',
        disabled: false,
      });

      // Change roles, then disable; reset the password and end sessions.
      await page.click(`button[name=manage-${name}]`);
      await page.check('input[name=edit-role-supervisor]');
      await page.click('button[name=save-user]');
      await expect
        .poll(async () => (await users()).find((u) => u.username === name)?.roles.sort())
        .toEqual(['analyst', 'supervisor']);
      await page.click('button[name=toggle-disabled]');
      await expect.poll(() => page.textContent(`[data-user=${name}]`)).toContain(text.disabled);
      expect((await users()).find((u) => u.username === name)?.disabled).toBe(true);
      await page.fill('input[name=reset-password]', 'another-quiet-harbour-77');
      await page.click('button[name=do-reset-password]');
      await page.waitForSelector('[data-testid=people-done]');
      await page.click('button[name=revoke-sessions]');
      await page.waitForSelector('[data-testid=people-done]');

      // A machine key: its secret shown once.
      await page.fill('input[name=key-name]', `vendor-feed-${lang}`);
      await page.click('button[name=create-key]');
      await expect.poll(() => page.textContent('[data-testid=key-secret]')).toContain(text.once);
      expect(await page.textContent('[data-testid=key-secret] code')).toMatch(/^cwk_/);
      await page.waitForSelector(`[data-key=vendor-feed-${lang}]`);

      // Naming a forecaster with none chosen is refused, naming the field, in the page's language.
      await page.click('button[name=name-forecaster]');
      await expect.poll(() => page.textContent('[data-testid=forecaster-error]')).toContain('systemId');

      // A supervisor on duty tomorrow.
      const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await page.selectOption('select[name=duty-supervisor]', { label: 'supervisor' });
      // Each language's walk takes its own hours (one supervisor is not on duty twice at once).
      await page.fill('input[name=duty-start]', `${day}T${lang === 'en' ? '08' : '16'}:00`);
      await page.fill('input[name=duty-end]', `${day}T${lang === 'en' ? '16' : '23'}:00`);
      await page.click('button[name=put-on-duty]');
      await page.waitForSelector('[data-testid=duty-done]');
      const duty = await s.store.db.selectFrom('duty_roster').selectAll().execute();
      expect(duty.length).toBe(lang === 'en' ? 1 : 2);

      // The agency's zone: the page reloads and names it.
      await page.fill('input[name=timeZone]', text.zone);
      await page.click('button[name=save-time-zone]');
      await expect.poll(() => page.textContent('footer')).toContain('Asia/Seoul');
      expect((await s.app.inject({ url: '/api/agency' })).json().timeZone).toBe('Asia/Seoul');
      await page.screenshot({ path: `docs/screenshots/admin-walk.${lang}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    }, 180_000);
  }
});
