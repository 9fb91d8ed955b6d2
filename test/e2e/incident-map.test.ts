import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { resolveProfile } from '../../src/ingest/profiles';
import { loadTaxonomy } from '../../src/ingest/taxonomy';
import { importIncidentFile } from '../../src/store/incidents';
import { PASSWORD, startDemoServer } from '../support/server';

describe('web shell in Chromium', () => {
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync('web/dist/index.html'))
      throw new Error('web/dist is missing: npm test builds it first (npm run build:web)');
    server = await startDemoServer();
    // A second jurisdiction, far from the first, to choose on the map: the NIJ Portland burglaries (5,096).
    await importIncidentFile(
      server.store,
      'test/fixtures/portland-nij/crimes_bur_to_2017-02-28.csv',
      resolveProfile('portland-nij'),
      loadTaxonomy('config/taxonomy.json'),
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** What the page shows: the in-view count, the sum of the numbers on the cluster markers plus the single points, the box asked for. */
  async function shown(page: Page) {
    return page.evaluate(() => {
      const out = document.querySelector('[data-testid=incident-count]') as HTMLElement;
      const markers = [...document.querySelectorAll<HTMLElement>('.cluster-marker')];
      return {
        state: document.querySelector('[data-testid=map]')!.getAttribute('data-state'),
        text: out.textContent ?? '',
        inView: Number(out.dataset.inView),
        points: Number(out.dataset.points),
        markers: markers.length,
        // The numbers as written on the markers (digits only: "1,234" reads 1234).
        markerSum: markers.reduce((n, m) => n + Number((m.textContent ?? '').replace(/\D/g, '')), 0),
        bbox: (out.dataset.bbox ?? '').split(',').map(Number),
      };
    });
  }
  /** Matching incidents inside the box, counted in the database. */
  async function direct(bbox: number[], f: { source?: string; origin?: string } = {}) {
    let q = server.store.db
      .selectFrom('incidents')
      .where('lon', '>=', bbox[0])
      .where('lat', '>=', bbox[1])
      .where('lon', '<=', bbox[2])
      .where('lat', '<=', bbox[3]);
    if (f.source) q = q.where('source', '=', f.source);
    if (f.origin) q = q.where('origin', '=', f.origin);
    return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  /** Wait until the view is drawn and what is shown adds up; then check it against the database. */
  async function settled(page: Page, f: { source?: string; origin?: string } = {}) {
    await expect
      .poll(
        async () => {
          const v = await shown(page);
          return v.state === 'ready' && v.inView === v.markerSum + v.points && v.bbox.length === 4;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const v = await shown(page);
    expect(v.inView).toBe(await direct(v.bbox, f));
    return v;
  }

  it('an analyst picks a source, the map fits it, and the in-view count is the sum shown, in English and Korean', async () => {
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

    // All sources: the map fits both cities, so every incident is in view, drawn as a few clusters.
    const all = await settled(page);
    expect(all.inView).toBe(25_000 + 5096);
    expect(all.markers).toBeGreaterThan(0);
    expect(all.markers).toBeLessThan(200);
    expect(all.text).toBe(`${all.inView.toLocaleString('en')} incidents in view`);
    expect(await page.locator('.map canvas').count()).toBe(1);

    // Portland: the map fits its incidents (a box around the city, not the continent), all 5,096 in view.
    await page.selectOption('select[name=source]', 'nij-portland');
    await expect.poll(async () => (await shown(page)).inView, { timeout: 30_000 }).toBe(5096);
    const pdx = await settled(page, { source: 'nij-portland' });
    expect(pdx.bbox[0]).toBeGreaterThan(-124);
    expect(pdx.bbox[2]).toBeLessThan(-121.5);
    expect(pdx.bbox[2] - pdx.bbox[0]).toBeLessThan(2);

    // Chicago, then only officer-initiated incidents.
    await page.selectOption('select[name=source]', 'chicago-data-portal');
    await expect.poll(async () => (await shown(page)).inView, { timeout: 30_000 }).toBe(25_000);
    const chi = await settled(page, { source: 'chicago-data-portal' });
    expect(chi.bbox[0]).toBeGreaterThan(-89);
    expect(chi.bbox[2]).toBeLessThan(-87);
    await page.selectOption('select[name=origin]', 'officer');
    await page.click('button:has-text("Apply")');
    const officer = await direct(chi.bbox, { source: 'chicago-data-portal', origin: 'officer' });
    expect(officer).toBeGreaterThan(3000);
    await expect.poll(async () => (await shown(page)).inView, { timeout: 30_000 }).toBe(officer);
    await settled(page, { source: 'chicago-data-portal', origin: 'officer' });

    // Zoom in on the biggest cluster: a smaller view, still adding up, now with single points too.
    const before = (await shown(page)).bbox;
    await page.evaluate(() => {
      const ms = [...document.querySelectorAll<HTMLElement>('.cluster-marker')];
      ms.sort((a, b) => Number(b.dataset.count) - Number(a.dataset.count))[0].click();
    });
    await expect
      .poll(async () => (await shown(page)).bbox[2] - (await shown(page)).bbox[0], { timeout: 30_000 })
      .toBeLessThan((before[2] - before[0]) * 0.8);
    const zoomed = await settled(page, { source: 'chicago-data-portal', origin: 'officer' });
    expect(zoomed.inView).toBeLessThan(officer);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/incident-map.png' });

    // Korean: the same view, the count in Korean, still the sum shown.
    await page.click('button:has-text("한국어")');
    await expect.poll(async () => (await shown(page)).text, { timeout: 30_000 }).toContain('화면 안의 사건');
    const ko = await settled(page, { source: 'chicago-data-portal', origin: 'officer' });
    expect(ko.text).toBe(`화면 안의 사건 ${ko.inView.toLocaleString('ko')}건`);
    expect(await page.textContent('label:has(select[name=source])')).toContain('관할·데이터 출처');
    await page.selectOption('select[name=source]', 'nij-portland');
    await expect.poll(async () => (await shown(page)).bbox[0], { timeout: 30_000 }).toBeLessThan(-120);
    const koPdx = await settled(page, { source: 'nij-portland', origin: 'officer' });
    expect(koPdx.inView).toBe(await direct([-180, -90, 180, 90], { source: 'nij-portland', origin: 'officer' }));
    await page.screenshot({ path: 'test-results/incident-map-ko.png' });
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
  it("the home and sign-in pages load none of the map's, charts' or forms' code; the map page loads the map's when opened", async () => {
    const page = await browser.newPage();
    // Each script once (the hashed files are cached for good, so the second page takes them from the cache),
    // with its size as code and as sent (compressed: web/precompress.ts).
    const scripts: { url: string; bytes: number; sent: number }[] = [];
    const seen = new Set<string>();
    const sized: Promise<void>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'script' || r.status() !== 200 || seen.has(r.url())) return;
      seen.add(r.url());
      // Listed by its address at once (so the check on which code loaded never misses one), sized when the page
      // still has the body (a late script of the map page may outlive the page: then 0).
      const entry = { url: r.url(), bytes: 0, sent: 0 };
      scripts.push(entry);
      sized.push(
        (async () => {
          try {
            entry.bytes = (await r.body()).length;
            entry.sent = (await r.request().sizes()).responseBodySize;
          } catch {
            // the page closed first
          }
        })(),
      );
    });
    const heavy = (s: { url: string }) => /maplibre|\/map-|AssessmentPanel|plot/i.test(s.url);
    await page.goto(server.url);
    await page.waitForSelector('main');
    await page.goto(`${server.url}/login`);
    await page.waitForSelector('form.login');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter(heavy)).toEqual([]);
    await Promise.all(sized);
    // The whole app was one 2,026 kB script before its pages were split; the first load is now about a third of that.
    expect(scripts.reduce((n, s) => n + s.bytes, 0)).toBeLessThan(900_000);
    // And it travels compressed: brotli sends the first script in about a quarter of its bytes.
    const first = scripts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    expect(first.sent).toBeGreaterThan(0);
    expect(first.sent).toBeLessThan(first.bytes / 3);
    await page.fill('input[name=username]', 'analyst');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('[data-testid=map]');
    expect(scripts.filter(heavy).length).toBeGreaterThan(0);
    await page.close();
  });
});
