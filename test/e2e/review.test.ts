import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellAreas, loadPlaceModel } from '../../src/forecast-service/fairness';
import { launchBrowser, signIn as signInAs } from '../support/browser';
import { activeSystem } from '../support/active-system';
import { quickForecast } from '../support/forecasts';
import { forecasterRecord, ownerModelCard } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const signIn = (page: Parameters<typeof signInAs>[0], url: string, user: string) => signInAs(page, url, user, PASSWORD);
const dict = (lang: string) => JSON.parse(readFileSync(`web/src/i18n/${lang}.json`, 'utf8')) as Record<string, string>;
const en = dict('en');
const ko = dict('ko');
const fill = (s: string, p: Record<string, string | number>) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(p[k] ?? `{{${k}}}`));

/** What the map shows, read from the MapLibre instance the page hangs on its container (for tests). */
const mapFeatures = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=alert-map]') as HTMLElement & {
      map: {
        getSource(id: string): { serialize(): { data: { features: { properties: Record<string, unknown> }[] } } };
        queryRenderedFeatures(o: { layers: string[] }): unknown[];
      };
    };
    return {
      source: el.map
        .getSource('alert-places')
        .serialize()
        .data.features.map((f) => f.properties),
      outlines: el.map.getSource('alert-areas').serialize().data.features.length,
      rendered: el.map.queryRenderedFeatures({ layers: ['alert-cells', 'alert-point'] }).length,
    };
  });

/** No visible element's text is JSON, and no polygon coordinates are shown (the closed technical fold is not visible). */
const shownJson = (page: Page) =>
  page.evaluate(() => {
    const bad: string[] = [];
    if (document.body.innerText.includes('"coordinates"')) bad.push('"coordinates"');
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (!el.checkVisibility()) continue;
      const text = el.innerText.trim();
      if (!/^[[{]/.test(text)) continue;
      try {
        const v = JSON.parse(text);
        if (v && typeof v === 'object') bad.push(text.slice(0, 80));
      } catch {
        // not JSON: fine
      }
    }
    return bad;
  });

describe('review in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let alertId = '';
  let missionAlert = '';
  let missionCells: { cellId: number; risk: number; ring: [number, number][] }[] = [];
  beforeAll(async () => {
    s = await startDemoServer();
    const ctx = await activeSystem(s, 'Crowd density (vendor Y)');
    // The vendor's model card states how often its alerts were right: the page says what a score means by it.
    const card = await ctx.call('system-owner', 'PUT', `/api/systems/${ctx.systemId}/versions/1/model-card`, {
      ...ownerModelCard(),
      metrics: [
        { name: 'precision at 0.8 or above', value: 0.62, interval: [0.55, 0.69], dataset: 'vendor validation 2025' },
      ],
    });
    expect(card.statusCode, card.body).toBe(204);
    const r = await ctx.postAlert(1, {
      idempotencyKey: 'crowd-000001',
      modelVersion: '1.0',
      // State and Madison, the zero point of Chicago's street grid, in the Loop.
      place: { lon: -87.6278, lat: 41.8819 },
      output: { risk: 0.9 },
      confidence: 0.85,
      explanation: { summary: 'person matched loitering pattern', factors: [{ name: 'dwell', weight: 0.7 }] },
    });
    alertId = r.json().id;

    // A mission released the way the product does it: forecast, proposal, a supervisor's approval.
    const w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    const named = await w.call('admin', 'PUT', '/api/forecast/system', { systemId: w.systemId });
    if (named.statusCode !== 200) throw new Error(named.body);
    const forecastId = await quickForecast(w);
    const m = await w.call('analyst', 'POST', '/api/missions', {
      forecastId,
      unit: 'district-1',
      shiftStart: '2019-06-01T14:00:00Z',
      shiftEnd: '2019-06-01T22:00:00Z',
      budget: { cells: 3 },
    });
    if (m.statusCode !== 201) throw new Error(m.body);
    const released = await w.call('supervisor', 'POST', `/api/missions/${m.json().id}/decision`, {
      decision: 'approve',
      reason: 'covers the cluster north of the park',
    });
    if (released.statusCode !== 200) throw new Error(released.body);
    missionAlert = released.json().alertId;
    const row = await s.store.db
      .selectFrom('missions')
      .select('cells')
      .where('alert_id', '=', missionAlert)
      .executeTakeFirstOrThrow();
    missionCells = JSON.parse(row.cells);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('an officer sees the alert on a map with its area, why and how sure, decides it (AI alone refused for an arrest); a supervisor sees the decision', async () => {
    const officer = await browser.newPage();
    await signIn(officer, s.url, 'officer');
    await officer.goto(`${s.url}/review`);
    await expect
      .poll(() => officer.textContent('.review .note'))
      .toMatch(/on shift until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await officer.click(`[data-alert=${alertId}]`);
    await officer.waitForSelector('[data-testid=alert-detail]');
    // Where: the point on the map, inside the Chicago boundary, in the Loop.
    await officer.waitForSelector('[data-testid=alert-map][data-state=ready]');
    const drawn = await mapFeatures(officer);
    expect(drawn.source).toEqual([{ kind: 'point' }]);
    expect(drawn.outlines).toBe(1);
    expect(drawn.rendered).toBe(1);
    expect(await officer.textContent('[data-testid=alert-areas]')).toContain('Loop');
    expect(await officer.textContent('[data-testid=alert-where]')).toContain(
      fill(en['review.where.boundary'], { names: 'chicago' }),
    );
    // Why, in sentences; how sure, with its meaning and the card's own evaluation.
    const detail = (await officer.textContent('[data-testid=alert-detail]'))!;
    expect(detail).toContain('person matched loitering pattern');
    expect(detail).toContain(fill(en['review.factorSentence'], { name: 'dwell', weight: '0.70' }));
    const confidence = (await officer.textContent('[data-testid=confidence]'))!;
    expect(confidence).toContain(`85% — ${en['review.confidenceMeans.high']}`);
    expect(confidence).toContain('precision at 0.8 or above: 0.62');
    expect(confidence).toContain(fill(en['review.cardInterval'], { level: 95, lo: '0.55', hi: '0.69' }));
    // Reason codes are offered as sentences, not codes.
    const reasons = await officer.locator('select[name=reasonCode] option').allTextContents();
    expect(reasons).toContain('I confirmed it myself on scene');
    expect(reasons.some((x) => /^[a-z]+(-[a-z]+)+$/.test(x))).toBe(false);
    expect(await shownJson(officer)).toEqual([]);

    await officer.selectOption('select[name=outcome]', 'acted');
    await officer.selectOption('select[name=reasonCode]', 'confirmed-on-scene');
    await officer.fill('textarea[name=reasonText]', 'the camera said so');
    await officer.selectOption('select[name=enforcementAction]', 'arrest');
    await officer.click('button[name=decide]');
    await expect.poll(() => officer.textContent('[role=alert]')).toContain('never grounds');
    await officer.selectOption('select[name=corroborationKind]', 'officer-observation');
    await officer.fill('textarea[name=corroboration]', 'saw him pass a stolen card to a second person');
    await officer.fill('textarea[name=reasonText]', 'observed the hand-over myself');
    await officer.click('button[name=decide]');
    await officer.waitForSelector('[data-testid=decision]');
    expect(await officer.textContent('[data-testid=decision]')).toContain('I confirmed it myself on scene');
    await expect.poll(() => officer.locator(`[data-testid=queue] [data-alert=${alertId}]`).count()).toBe(0);
    expect(
      (
        await s.store.db
          .selectFrom('decisions')
          .select(['reason_code', 'enforcement_action'])
          .where('alert_id', '=', alertId)
          .executeTakeFirstOrThrow()
      ).reason_code,
    ).toBe('confirmed-on-scene');

    const supervisor = await browser.newPage();
    await signIn(supervisor, s.url, 'supervisor');
    await supervisor.goto(`${s.url}/review?alert=${alertId}`);
    await supervisor.waitForSelector('[data-testid=decision]');
    const text = await supervisor.textContent('[data-testid=decision]');
    expect(text).toContain('Acted');
    expect(text).toContain('observed the hand-over myself');
    expect(text).toContain('Arrest');
    expect(text).toContain('Reviewer: officer');
    expect(text).toContain('Supervisor on duty: supervisor');
    expect(await shownJson(supervisor)).toEqual([]);
    await supervisor.screenshot({ path: 'test-results/review-decision.png', fullPage: true });

    // The supervisor's roster: the officer's shift is listed; rostering a night shift adds a row.
    const rows = () => supervisor.locator('[data-testid=roster] tbody tr').count();
    await expect.poll(() => supervisor.textContent('[data-testid=roster]')).toContain('officer');
    const before = await rows();
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await supervisor.selectOption('select[name=rosterUser]', { label: 'officer' });
    await supervisor.fill('input[name=rosterStart]', `${day}T22:00`);
    await supervisor.fill('input[name=rosterEnd]', `${day}T23:30`);
    await supervisor.click('button[name=roster]');
    await expect.poll(rows).toBe(before + 1);
    // A shift that ends before it starts is refused, naming the field.
    await supervisor.fill('input[name=rosterEnd]', `${day}T21:00`);
    await supervisor.click('button[name=roster]');
    await expect.poll(() => supervisor.textContent('[data-testid=roster] [role=alert]')).toContain('endsAt');
    expect(await rows()).toBe(before + 1);
  });

  it.each([
    ['en', en],
    ['ko', ko],
  ] as const)(
    'an officer opens a released mission (%s): its cells on the map with the community areas they lie in, no polygon text',
    async (lang, t) => {
      const context = await browser.newContext({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
      await context.addInitScript((l) => localStorage.setItem('cw.lang', l), lang);
      const officer = await context.newPage();
      await signIn(officer, s.url, 'officer');
      await officer.goto(`${s.url}/review`);
      await officer.click(`[data-alert=${missionAlert}]`);
      await officer.waitForSelector('[data-testid=alert-map][data-state=ready]');
      const drawn = await mapFeatures(officer);
      expect(drawn.source.map((p) => p.cellId)).toEqual(missionCells.map((c) => c.cellId));
      expect(drawn.rendered).toBeGreaterThanOrEqual(missionCells.length);
      // The areas holding the cells' centres, placed here by the fairness place model (not the page's service).
      const model = await loadPlaceModel(s.store.db, 'chicago-community-areas');
      const expected = [
        ...new Set(
          [
            ...cellAreas(
              model,
              missionCells.map((c) => c.ring),
            ),
          ].map((i) => model.areas[i].name!),
        ),
      ];
      expect(expected.length).toBeGreaterThan(0);
      const areas = (await officer.textContent('[data-testid=alert-areas]'))!;
      for (const name of expected) expect(areas).toContain(name);
      expect(drawn.outlines).toBe(expected.length);
      expect(await officer.textContent('[data-testid=alert-where]')).toContain(
        fill(t['review.where.cells'], { count: missionCells.length }),
      );
      const detail = (await officer.textContent('[data-testid=alert-detail]'))!;
      expect(detail).toContain(t['review.why']);
      expect(detail).toContain(t['review.noConfidence']);
      // Each cell's contribution as a sentence in the page's language.
      const top = missionCells[0];
      expect(detail).toContain(
        fill(t['review.missionFactorSentence'], { name: `cell ${top.cellId}`, weight: top.risk.toFixed(2) }),
      );
      // The queue names the kind of alert in words.
      expect(await officer.textContent(`[data-alert=${missionAlert}]`)).toContain(
        t['review.urgent.kind.patrol-mission'],
      );
      const reasons = await officer.locator('select[name=reasonCode] option').allTextContents();
      expect(reasons).toContain(t['review.reason.no-activity-found']);
      expect(await shownJson(officer)).toEqual([]);
      await officer.screenshot({ path: `test-results/review-mission-${lang}.png`, fullPage: true });
      await context.close();
    },
  );
});
