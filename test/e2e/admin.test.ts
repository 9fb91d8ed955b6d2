import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser';
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
      // The zone may already be Asia/Seoul (the other language's walk set it): wait for the reload itself.
      await Promise.all([page.waitForEvent('load'), page.click('button[name=save-time-zone]')]);
      await page.waitForSelector('[data-testid=setup]');
      await expect.poll(() => page.textContent('footer')).toContain('Asia/Seoul');
      expect((await s.app.inject({ url: '/api/agency' })).json().timeZone).toBe('Asia/Seoul');
      await page.screenshot({ path: `docs/screenshots/admin-walk.${lang}.png`, fullPage: true, timeout: 120_000 });
      expect(errors).toEqual([]);
      await page.context().close();
    }, 180_000);
  }
});

/**
 * The data an installation needs, in the browser only, in English and in Korean: a data source with its
 * purposes (a widening proposed for a second person), an area layer read from a real GeoJSON file with
 * its name fields chosen from the file, real incidents imported with a progress bar and counts, then a
 * file with one bad row refused with the CLI's row-level report in the page's language and nothing
 * written. Each language on its own fresh install; the test reads results through the API only.
 */
describe('data sources, area layers and incident imports in the browser', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'cw-admin-data-'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Three Houston rows moved to July (so they are new incidents), the middle one with a latitude that is not a number.
  const houston = readFileSync('test/fixtures/ingest/houston_sample.csv', 'utf8').split('\n');
  const moved = houston.slice(1, 4).map((l) => l.replace(/^2010-01-01/, '2010-07-01'));
  moved[1] = moved[1]!.replace(/,29\.\d+$/, ',north');
  const badCsv = [houston[0], ...moved, ''].join('\n');

  for (const [lang, text] of [
    [
      'en',
      {
        meaning: 'Crime analysis',
        rejected: 'nothing was imported',
        expected: 'a finite number',
        coordinates: 'coordinates in EPSG:4326 that fall inside lon -96..-94.8, lat 29.3..30.3',
        proposed: 'waiting for a second person',
        ownRefused: 'a second person must confirm this',
      },
    ],
    [
      'ko',
      {
        meaning: '범죄 분석',
        rejected: '아무것도 가져오지 않았습니다',
        expected: '유효한 숫자',
        coordinates: 'lon -96..-94.8, lat 29.3..30.3 안에 드는 EPSG:4326 좌표',
        proposed: '다른 사람의 결정을 기다리는 중',
        ownRefused: '다른 사람이 확인해야 합니다',
      },
    ],
  ] as const) {
    it(`registers a source, uploads a layer and imports incidents in ${lang}`, async () => {
      const s = await startDemoServer({ demo: false });
      const read = async <T>(url: string): Promise<T> => {
        const r = await s.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: PASSWORD },
        });
        const cookie = `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`;
        return (await s.app.inject({ url, headers: { cookie } })).json() as T;
      };
      const total = async () => (await read<{ total: number }>('/api/incidents/summary')).total;
      try {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
        await ctx.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, s.url, 'admin', PASSWORD);
        await page.waitForSelector('[data-testid=setup]');

        // The checklist, in order, each step linking to its section; nothing of the data is set up yet.
        const order = await page.$$eval('[data-testid=setup] li[data-step]', (li) =>
          li.map((x) => x.getAttribute('data-step')),
        );
        expect(order.filter((x) => !x!.startsWith('role-'))).toEqual([
          'source',
          'layer',
          'incidents',
          'forecaster',
          'duty',
        ]);
        expect(order.indexOf('role-analyst')).toBeLessThan(order.indexOf('source'));
        for (const [step, section] of [
          ['source', 'data-sources'],
          ['layer', 'area-layers'],
          ['incidents', 'import-incidents'],
          ['forecaster', 'forecaster'],
          ['duty', 'duty'],
        ] as const) {
          expect(await page.getAttribute(`[data-step=${step}]`, 'data-done')).toBe('false');
          expect(await page.getAttribute(`[data-step=${step}] a`, 'href')).toBe(`#${section}`);
          expect(await page.$(`[data-testid=${section}]`)).not.toBeNull();
        }

        // 1. A data source, its purposes chosen by their meaning.
        expect(await page.textContent('label:has(input[name=source-purpose-crime-analysis])')).toContain(text.meaning);
        await page.fill('input[name=source-id]', 'houston-pd');
        await page.fill('input[name=source-name]', 'Houston Police Department offences 2010');
        await page.fill('textarea[name=source-provenance]', 'Houston Police Department crime statistics, 2010');
        await page.fill('input[name=source-collecting-body]', 'Houston Police Department');
        await page.fill('textarea[name=source-legal-basis]', 'Public crime statistics published by the city');
        await page.fill('input[name=source-consent]', 'not applicable: public-task records');
        await page.fill('textarea[name=source-categories]', 'incident location (block level)\noffence type');
        await page.fill('input[name=source-retention]', '3650');
        await page.check('input[name=source-purpose-crime-analysis]');
        await page.check('input[name=source-purpose-patrol-forecasting]');
        await page.click('button[name=register-source]');
        await page.waitForSelector('[data-source=houston-pd]');
        const sources =
          await read<{ id: string; purposes: string[]; personalDataCategories: string[] }[]>('/api/sources');
        expect(sources).toHaveLength(1);
        expect(sources[0]).toMatchObject({
          id: 'houston-pd',
          purposes: ['crime-analysis', 'patrol-forecasting'],
          personalDataCategories: ['incident location (block level)', 'offence type'],
        });
        expect(await page.textContent('[data-source=houston-pd]')).toContain(text.meaning);
        expect(await page.getAttribute('[data-step=source]', 'data-done')).toBe('true');

        // Widening what it may be used for is a proposal a second person (oversight) decides.
        await page.click('button[name=change-purposes-houston-pd]');
        await page.check('input[name=change-purpose-fairness-audit]');
        await page.fill('textarea[name=change-legal-basis]', 'Audit duty under the oversight policy, section 4');
        await page.click('button[name=propose-change]');
        await page.waitForSelector('[data-proposal]');
        expect(await page.textContent('[data-proposal]')).toContain(text.proposed);
        const proposals = await read<{ sourceId: string; adds: string[]; status: string }[]>('/api/sources/proposals');
        expect(proposals).toMatchObject([{ sourceId: 'houston-pd', adds: ['fairness-audit'], status: 'pending' }]);
        expect((await read<{ purposes: string[] }[]>('/api/sources'))[0]!.purposes).toEqual([
          'crime-analysis',
          'patrol-forecasting',
        ]);

        // 2. An area layer from a real GeoJSON file; its name fields picked from the file's properties.
        await page.setInputFiles('input[name=layer-file]', 'test/fixtures/seoul/seoul-districts-2017.geojson');
        await expect
          .poll(() => page.$$eval('select[name=layer-code-field] option', (o) => o.map((x) => x.textContent)))
          .toEqual(expect.arrayContaining(['code', 'name', 'name_eng', 'population']));
        await page.fill('input[name=layer-name]', 'seoul-districts');
        await page.selectOption('select[name=layer-kind]', 'areas');
        await page.selectOption('select[name=layer-code-field]', 'code');
        await page.selectOption('select[name=layer-name-field]', 'name');
        await page.selectOption('select[name=layer-crs]', 'EPSG:4326');
        await page.click('button[name=upload-layer]');
        await page.waitForSelector('[data-layer=seoul-districts]');
        // 25 districts in the file (test/fixtures/seoul/ORIGIN.md).
        expect(await page.textContent('[data-layer=seoul-districts] [data-count]')).toContain('25');
        expect(await read<{ name: string; kind: string; featureCount: number }[]>('/api/layers')).toMatchObject([
          { name: 'seoul-districts', kind: 'areas', featureCount: 25 },
        ]);
        const gj = await read<{ features: { properties: { code: string; name: string } }[] }>(
          '/api/layers/seoul-districts',
        );
        expect(gj.features.map((f) => f.properties.name)).toContain('강동구');

        // 3. Incidents: the real Houston sample (2,000 rows). Some rows are geocoded outside Houston (the
        // profile's extent lon -96..-94.8, lat 29.3..30.3): counted here from the file itself.
        const outside = houston
          .slice(1)
          .map((line, i) => ({ row: i + 2, line, lonLat: line.split(',').slice(-2).map(Number) }))
          .filter((r) => r.line.trim() !== '')
          .filter(({ lonLat: [lon, lat] }) => lon! < -96 || lon! > -94.8 || lat! < 29.3 || lat! > 30.3)
          .map((r) => String(r.row));
        expect(outside.length).toBe(9);
        await expect
          .poll(() => page.$$eval('select[name=import-profile] option', (o) => o.map((x) => x.getAttribute('value'))))
          .toEqual(expect.arrayContaining(['houston', 'chicago', 'portland-nij']));
        await page.selectOption('select[name=import-profile]', 'houston');
        await page.selectOption('select[name=import-source]', 'houston-pd');
        await page.setInputFiles('input[name=import-file]', 'test/fixtures/ingest/houston_sample.csv');
        // All or nothing: the file is refused with every bad row listed, in the page's language.
        await page.click('button[name=start-import]');
        await page.waitForSelector('[data-testid=import-errors] tbody tr', { timeout: 120_000 });
        expect(await page.textContent('[data-testid=import-error]')).toContain(text.rejected);
        expect(await page.textContent('[data-testid=import-error]')).toContain('houston_sample.csv');
        expect(await page.textContent('[data-testid=import-error]')).not.toContain('cw-upload');
        const refused = await page.$$eval('[data-testid=import-errors] tbody tr', (tr) =>
          tr.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
        );
        expect(refused.map((r) => r[0])).toEqual(outside);
        for (const r of refused) expect(r[2]).toContain(text.coordinates);
        expect(await total()).toBe(0);

        // Skipping the bad rows: the rest imported, the progress bar at its end, the counts reported.
        await page.check('input[name=import-skip-invalid]');
        await page.click('button[name=start-import]');
        await page.waitForSelector('[data-testid=import-result], [data-testid=import-error]', { timeout: 120_000 });
        expect(await page.$('[data-testid=import-error]')).toBeNull();
        const bar = await page.$eval('progress[data-testid=import-progress]', (p) => ({
          value: (p as HTMLProgressElement).value,
          max: (p as HTMLProgressElement).max,
        }));
        // The bar counts the file's bytes: at its end when the whole file was read.
        expect(bar.max).toBe(statSync('test/fixtures/ingest/houston_sample.csv').size);
        expect(bar.value).toBe(bar.max);
        expect(await page.getAttribute('[data-testid=import-result]', 'data-imported')).toBe('1991');
        expect(await page.getAttribute('[data-testid=import-result]', 'data-skipped')).toBe('9');
        expect(await page.textContent('[data-testid=import-result]')).toContain('1,991');
        expect(await page.$$eval('[data-testid=import-skipped] tbody tr', (tr) => tr.length)).toBe(9);
        expect(await total()).toBe(1991);
        expect(await page.getAttribute('[data-step=incidents]', 'data-done')).toBe('true');
        expect(await page.getAttribute('[data-step=layer]', 'data-done')).toBe('true');
        await page.uncheck('input[name=import-skip-invalid]');

        // A file with one bad row: refused with the row, the field and what was expected, in the page's language.
        const bad = join(dir, `bad_houston_${lang}.csv`);
        writeFileSync(bad, badCsv);
        await page.setInputFiles('input[name=import-file]', bad);
        await page.click('button[name=start-import]');
        await page.waitForSelector('[data-testid=import-errors] tbody tr');
        expect(await page.textContent('[data-testid=import-error]')).toContain(text.rejected);
        const rows = await page.$$eval('[data-testid=import-errors] tbody tr', (tr) =>
          tr.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
        );
        expect(rows).toEqual([['3', 'lat', expect.stringContaining(text.expected), 'north']]);
        expect(await page.$('[data-testid=import-result]')).toBeNull();
        expect(await total()).toBe(1991);

        // The same file, skipping the bad row: two imported, one skipped, reported.
        await page.check('input[name=import-skip-invalid]');
        await page.click('button[name=start-import]');
        await page.waitForSelector('[data-testid=import-result]');
        expect(await page.getAttribute('[data-testid=import-result]', 'data-imported')).toBe('2');
        expect(await page.getAttribute('[data-testid=import-result]', 'data-skipped')).toBe('1');
        expect(await total()).toBe(1993);

        // Four eyes: the proposer, given the oversight role too, still may not approve their own widening.
        await page.click('button[name=manage-admin]');
        await page.check('input[name=edit-role-oversight]');
        await page.click('button[name=save-user]');
        await expect
          .poll(async () =>
            (await read<{ username: string; roles: string[] }[]>('/api/users'))
              .find((u) => u.username === 'admin')
              ?.roles.sort(),
          )
          .toEqual(['admin', 'oversight']);
        // Saving roles ends the person's sessions: sign in again.
        await signIn(page, s.url, 'admin', PASSWORD);
        await page.waitForSelector('[data-proposal] button[name^=approve-proposal-]');
        await page.click('[data-proposal] button[name^=approve-proposal-]');
        await expect.poll(() => page.textContent('[data-testid=sources-error]')).toContain(text.ownRefused);
        expect(await read<{ status: string }[]>('/api/sources/proposals')).toMatchObject([{ status: 'pending' }]);

        await page.screenshot({ path: `docs/screenshots/admin-data.${lang}.png`, fullPage: true, timeout: 120_000 });
        expect(errors).toEqual([]);
        await ctx.close();
      } finally {
        await s.close();
      }
    }, 240_000);
  }
});
