import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn as signInAs } from '../support/browser';
import { activeSystem } from '../support/active-system';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const signIn = (page: Parameters<typeof signInAs>[0], url: string, user: string) => signInAs(page, url, user, PASSWORD);

describe('review in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let alertId = '';
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    const ctx = await activeSystem(s, 'Crowd density (vendor Y)');
    const r = await ctx.postAlert(1, {
      idempotencyKey: 'crowd-000001',
      modelVersion: '1.0',
      output: { risk: 0.9 },
      explanation: { summary: 'person matched loitering pattern', factors: [{ name: 'dwell', weight: 0.7 }] },
    });
    alertId = r.json().id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('an officer reviews an alert (AI alone refused for an arrest) and a supervisor sees the decision', async () => {
    const officer = await browser.newPage();
    await signIn(officer, s.url, 'officer');
    await officer.goto(`${s.url}/review`);
    await expect
      .poll(() => officer.textContent('.review .note'))
      .toMatch(/on shift until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await officer.click(`[data-alert=${alertId}]`);
    await officer.waitForSelector('[data-testid=alert-detail]');
    expect(await officer.textContent('[data-testid=alert-detail]')).toContain('person matched loitering pattern');
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
    await expect.poll(() => officer.textContent('[data-testid=queue]')).toContain('No alerts are waiting');

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
});
