/**
 * The Seoul demo walked in Korean: the public pages (home with the demo indicator, register, log), an
 * owner registering an example intelligent-CCTV record and seeing its Korean legal classification, and the
 * review queue. Korean mode is the web app's own switch (localStorage cw.lang), as a reader would set it.
 */
import { fillSchemaForm } from '../support/schema-form';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const ko = JSON.parse(readFileSync('web/src/i18n/ko.json', 'utf8')) as Record<string, string>;
const cctv = JSON.parse(readFileSync('config/register-examples/intelligent-cctv.json', 'utf8')) as {
  record: Record<string, unknown>;
  name: { ko: string };
};

describe('the Seoul demo in Korean', () => {
  let s: DemoServer;
  let browser: Browser;
  let korean: BrowserContext;
  const errors: string[] = [];
  const page = async (): Promise<Page> => {
    const p = await korean.newPage();
    p.on('pageerror', (e) => errors.push(e.message));
    return p;
  };
  beforeAll(async () => {
    s = await startDemoServer({ demo: 'seoul' });
    browser = await launchBrowser();
    korean = await browser.newContext({ locale: 'ko-KR' });
    await korean.addInitScript(() => localStorage.setItem('cw.lang', 'ko'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('public pages: the demo indicator names Seoul and its time zone; register and log read in Korean', async () => {
    const visitor = await page();
    await visitor.goto(s.url);
    await expect.poll(() => visitor.textContent('[data-testid=demo-badge]')).toContain('서울 데모');
    expect(await visitor.textContent('[data-testid=demo-badge]')).toContain('Asia/Seoul');
    expect(await visitor.textContent('nav')).toContain(ko['nav.register']);
    await visitor.goto(`${s.url}/register`);
    await expect.poll(() => visitor.textContent('main')).toContain(ko['register.title']);
    await visitor.goto(`${s.url}/log`);
    await expect.poll(() => visitor.textContent('main')).toContain(ko['log.title']);
    // The demo's loads are in the log: data sources and the three Seoul layers.
    await expect.poll(async () => Number(await visitor.textContent('[data-testid=log-size]'))).toBeGreaterThan(3);
  });

  it('an owner registers the example intelligent-CCTV record and reads its classification under Korean law', async () => {
    const owner = await page();
    await signIn(owner, s.url, 'system-owner', PASSWORD);
    await owner.goto(`${s.url}/systems`);
    await expect.poll(() => owner.textContent('main')).toContain(ko['systems.title']);
    await owner.fill('input[name=system-name]', cctv.name.ko);
    // The example record, entered in the record form field by field.
    await fillSchemaForm(owner.locator('[data-testid=record-form]'), cctv.record);
    await owner.click(`button:has-text("${ko['systems.create']}")`);
    await owner.waitForSelector('[data-testid=workspace][data-state=draft]');
    await owner.check('input[name="q-cctv-detection.analysesPeople"]');
    await owner.click('button[name=save-classification]');
    await owner.waitForSelector('[data-testid=classification][data-status=answered]');
    const c = await owner.textContent('[data-testid=classification]');
    expect(c).toContain(ko['register.highImpact']);
    expect(c).toContain('제2조제4호바목');
  });

  it('the review queue opens in Korean for an officer', async () => {
    const officer = await page();
    await signIn(officer, s.url, 'officer', PASSWORD);
    await officer.goto(`${s.url}/review`);
    await expect.poll(() => officer.textContent('main')).toContain(ko['review.title']);
    expect(errors).toEqual([]);
  });
});
