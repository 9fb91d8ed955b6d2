import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { launchBrowser } from '../support/browser';
import { completeRecord, minimalAnswers, QUESTIONNAIRE } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

async function signIn(page: Page, url: string, user: string) {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

describe('review in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let alertId = '';
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    const as: Record<string, { cookie: string; csrf: string; id: string }> = {};
    for (const u of ['system-owner', 'oversight', 'officer', 'supervisor']) {
      const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: PASSWORD } });
      as[u] = { cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`, csrf: r.json().csrfToken, id: r.json().id };
    }
    const call = (who: string, method: string, url: string, payload?: unknown) => s.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { cookie: as[who].cookie, 'x-csrf-token': as[who].csrf } });
    const id = (await call('system-owner', 'POST', '/api/systems', { name: 'Crowd density (vendor Y)', record: completeRecord() })).json().systemId;
    const base = `/api/systems/${id}/versions/1`;
    await call('system-owner', 'POST', `${base}/transition`, { to: 'consultation', reason: 'publish', consultationDays: 0 });
    const aid = (await call('system-owner', 'POST', `${base}/assessments`, { questionnaire: QUESTIONNAIRE, answers: minimalAnswers() })).json().id;
    await call('oversight', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'low impact' });
    await call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
    await call('system-owner', 'PUT', `${base}/model-card`, { method: 'density estimation' });
    await call('system-owner', 'POST', `${base}/transition`, { to: 'active', reason: 'live' });
    await call('supervisor', 'POST', '/api/training', { userId: as.officer.id, systemId: id, course: 'Advisory AI', completedAt: '2026-11-01T00:00:00Z', validUntil: '2027-11-01T00:00:00Z' });
    await call('supervisor', 'POST', '/api/duty', { unit: 'district-1', supervisorId: as.supervisor.id, startsAt: '2026-01-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' });
    const key = (await createApiKey(s.store.db, { name: 'vendor Y', roles: ['integration'], systemId: id })).key;
    const r = await s.app.inject({
      method: 'POST', url: `/api/systems/${id}/alerts`, headers: { authorization: `Bearer ${key}` },
      payload: { idempotencyKey: 'crowd-000001', kind: 'cctv-detection', modelVersion: '1.0', occurredAt: '2026-11-22T10:00:00Z', unit: 'district-1', output: { risk: 0.9 }, explanation: { summary: 'person matched loitering pattern', factors: [{ name: 'dwell', weight: 0.7 }] } },
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
    expect(await officer.textContent('[data-testid=queue]')).toContain('No alerts are waiting');

    const supervisor = await browser.newPage();
    await signIn(supervisor, s.url, 'supervisor');
    await supervisor.goto(`${s.url}/review?alert=${alertId}`);
    await supervisor.waitForSelector('[data-testid=decision]');
    const text = await supervisor.textContent('[data-testid=decision]');
    expect(text).toContain('Acted');
    expect(text).toContain('observed the hand-over myself');
    expect(text).toContain('arrest');
    expect(text).toContain('Reviewer: officer');
    expect(text).toContain('Supervisor on duty: supervisor');
    await supervisor.screenshot({ path: 'test-results/review-decision.png', fullPage: true });
  });
});
