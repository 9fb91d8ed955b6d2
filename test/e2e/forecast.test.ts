import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { launchBrowser, signIn as signInAs } from '../support/browser';
import { forecasterRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const signIn = (page: Page, url: string, user: string) => signInAs(page, url, user, PASSWORD);

describe('the analyst page in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startDemoServer();
    const w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    const named = await w.call('admin', 'PUT', '/api/forecast/system', { systemId: w.systemId });
    if (named.statusCode !== 200) throw new Error(named.body);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('an analyst forecasts, clicks a hotspot for its explanation, backtests and proposes missions; a supervisor releases them to review', async () => {
    const analyst = await browser.newPage();
    await signIn(analyst, s.url, 'analyst');
    await analyst.goto(`${s.url}/forecast`);
    await analyst.waitForSelector('[data-testid=forecast-map][data-state=styled]');
    await analyst.click('[data-testid=forecast-form] button[type=submit]');
    await analyst.waitForSelector('[data-testid=hotspots] tbody tr');
    expect((await analyst.textContent('[data-testid=forecast-form] [data-testid=run-progress]'))?.trim()).toBe(
      'Forecast done.',
    );
    expect(await analyst.textContent('[data-testid=data-policy]')).toContain('citizen-reported records only');
    await analyst.waitForSelector('[data-testid=forecast-map][data-state=ready]');

    // Click the first hotspot on the map itself: its explanation opens in a popup and beside the map.
    const f = (await (await analyst.request.get(`${s.url}/api/forecasts`)).json())[0];
    const view = await (await analyst.request.get(`${s.url}/api/forecasts/${f.id}`)).json();
    const ring: [number, number][] = view.cells.features.find(
      (c: { properties: { hotspot: number } }) => c.properties.hotspot === 1,
    ).geometry.coordinates[0];
    const centre = [
      ring.slice(0, -1).reduce((a, p) => a + p[0], 0) / (ring.length - 1),
      ring.slice(0, -1).reduce((a, p) => a + p[1], 0) / (ring.length - 1),
    ];
    const xy = await analyst.evaluate((c) => {
      const el = document.querySelector('[data-testid=forecast-map]') as HTMLElement & {
        map: { project(p: number[]): { x: number; y: number } };
      };
      const p = el.map.project(c);
      return { x: p.x, y: p.y };
    }, centre);
    const box = (await analyst.locator('[data-testid=forecast-map]').boundingBox())!;
    await analyst.mouse.click(box.x + xy.x, box.y + xy.y);
    await analyst.waitForSelector('.explanation-popup');
    await analyst.waitForSelector('[data-testid=explanation] tbody tr');
    const explanation = await analyst.textContent('[data-testid=explanation]');
    expect(explanation).toMatch(/Long-run background: [\d.]+% of this cell's risk/);
    expect(await analyst.textContent('.explanation-popup')).toBe(
      (await analyst.textContent('[data-testid=explanation] strong'))!,
    );
    expect(await analyst.textContent('[data-testid=explanation] strong')).toMatch(/^Flagged by /);
    // In Korean the same explanation reads in Korean (from its message code), then back to English.
    await analyst.click('button:has-text("한국어")');
    await expect.poll(() => analyst.textContent('[data-testid=explanation] strong')).toMatch(/모델이 .*선정했습니다/);
    await analyst.click('button:has-text("English")');
    await expect.poll(() => analyst.textContent('[data-testid=explanation] strong')).toMatch(/^Flagged by /);

    await analyst.fill('[data-testid=backtest-form] input[name=from]', '2019-03-04');
    await analyst.fill('[data-testid=backtest-form] input[name=to]', '2019-04-01');
    // Every state the progress line shows while the backtest runs (polled by the page), recorded in the page.
    await analyst.evaluate(() => {
      const w = window as unknown as { progressSeen: string[] };
      w.progressSeen = [];
      const note = () => {
        const el = document.querySelector('[data-testid=backtest-form] [data-testid=run-progress]');
        const line = el ? `${el.getAttribute('data-phase')}|${el.textContent}` : '';
        if (line && w.progressSeen[w.progressSeen.length - 1] !== line) w.progressSeen.push(line);
      };
      new MutationObserver(note).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    await analyst.click('[data-testid=backtest-form] button[type=submit]');
    await analyst.waitForSelector('[data-testid=backtest-chart] svg', { timeout: 60_000 });
    expect(await analyst.textContent('[data-testid=backtest]')).toContain('3 origins');
    // It ends done with the count of forecast dates, and showed a phase with numbers before that.
    await expect
      .poll(async () =>
        (await analyst.textContent('[data-testid=backtest-form] [data-testid=run-progress][data-phase=done]'))?.trim(),
      )
      .toBe('Backtest done: 3 forecast dates scored.');
    const seen = await analyst.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.length, seen.join('\n')).toBeGreaterThanOrEqual(2);
    expect(
      seen.some((l) => /^(loading|computing|storing)\|/.test(l) && /\d/.test(l)),
      seen.join('\n'),
    ).toBe(true);

    await analyst.fill('[data-testid=mission-form] input[name=cells]', '3');
    await analyst.click('[data-testid=mission-form] button[name=tradeoff]');
    await analyst.waitForSelector('[data-testid=tradeoff] svg');
    await analyst.click('[data-testid=mission-form] button[type=submit]');
    await expect.poll(() => analyst.textContent('[data-testid=missions] tbody')).toContain('awaiting supervisor');
    await analyst.screenshot({ path: 'test-results/forecast-analyst.png', fullPage: true });

    const supervisor = await browser.newPage();
    await signIn(supervisor, s.url, 'supervisor');
    await supervisor.goto(`${s.url}/forecast`);
    await supervisor.waitForSelector('[data-testid=missions] button[name=approve]');
    await supervisor.fill('input[name=reason]', 'covers the cluster north of the park');
    await supervisor.click('[data-testid=missions] button[name=approve]');
    await expect.poll(() => supervisor.textContent('[data-testid=missions] tbody')).toContain('released for review');

    const mission = await s.store.db
      .selectFrom('missions')
      .select(['alert_id', 'cells'])
      .where('status', '=', 'released')
      .executeTakeFirstOrThrow();
    const officer = await browser.newPage();
    await signIn(officer, s.url, 'officer');
    await officer.goto(`${s.url}/review`);
    await officer.waitForSelector(`[data-alert=${mission.alert_id}]`);

    // The officer's device uploads pings from inside the first mission cell; the supervisor sees measured dosage.
    const cell: [number, number][] = JSON.parse(mission.cells)[0].ring;
    const [lon, lat] = [
      cell.slice(0, 4).reduce((a, p) => a + p[0], 0) / 4,
      cell.slice(0, 4).reduce((a, p) => a + p[1], 0) / 4,
    ];
    const pings = Array.from({ length: 11 }, (_, i) => ({
      t: new Date(Date.UTC(2019, 5, 1, 14, i)).toISOString(),
      lon,
      lat,
    }));
    // As the officer's device would: a batch upload on the officer's session (CSRF token from /api/auth/me).
    const up = await officer.evaluate(
      async (body) => {
        const me = await (await fetch('/api/auth/me')).json();
        const res = await fetch('/api/patrol/pings', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify(body),
        });
        return res.status;
      },
      { deviceRef: 'device:car-17', pings },
    );
    expect(up).toBe(201);
    await supervisor.click('[data-testid=missions] button[name=dosage]');
    await supervisor.waitForSelector('[data-testid=dosage] tbody tr');
    expect(await supervisor.textContent('[data-testid=dosage]')).toContain('10.0'); // 10 one-minute intervals inside the cell
    await supervisor.screenshot({ path: 'test-results/forecast-supervisor.png', fullPage: true });

    // Oversight audits the released missions place by place and publishes it; the public reads the report page.
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'oversight', password: PASSWORD },
    });
    const auth = {
      cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
      'x-csrf-token': login.json().csrfToken,
    };
    const sys = (await s.app.inject({ url: '/api/forecast/system', headers: auth })).json().systemId;
    const audit = await s.app.inject({
      method: 'POST',
      url: `/api/systems/${sys}/versions/1/place-audit`,
      payload: { from: '2019-06-01', to: '2019-06-02', exposure: 'measured' },
      headers: auth,
    });
    expect(audit.statusCode, audit.body).toBe(201);
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: `/api/audits/${audit.json().id}/publish`,
          payload: {},
          headers: auth,
        })
      ).statusCode,
    ).toBe(204);
    const reader = await browser.newPage();
    await reader.goto(`${s.url}/audits/${audit.json().id}`);
    await reader.waitForSelector('[data-testid=table-group-exposure] tbody tr');
    const report = await reader.textContent('[data-testid=audit-report]');
    expect(report).toContain('measured patrol minutes per resident');
    expect(report).toContain('Black');
    await reader.waitForSelector('[data-testid=chart-area-hit-rates] svg');
    await reader.screenshot({ path: 'test-results/place-audit.png', fullPage: true });
  }, 180_000);
});
