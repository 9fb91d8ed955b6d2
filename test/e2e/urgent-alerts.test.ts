/**
 * Issue 24 in the browser: an urgent alert posted through the integration API appears on the on-shift
 * officer's open review page without a reload (banner and sound); left unacknowledged it escalates to
 * the duty supervisor's open page at its deadline; the officer then takes a protective action without
 * corroboration, and a coercive one is refused without it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUrgencyPolicy } from '../../src/review/urgency';
import { activeSystem } from '../support/active-system';
import { launchBrowser, signIn } from '../support/browser';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

/** Counts the alarm sounds the page starts (Web Audio oscillators). */
const countSounds = () => {
  const w = window as unknown as { __sounds: number; AudioContext: typeof AudioContext };
  w.__sounds = 0;
  const Real = w.AudioContext;
  w.AudioContext = class extends Real {
    override createOscillator() {
      w.__sounds++;
      return super.createOscillator();
    }
  } as typeof AudioContext;
};

describe('urgent alerts in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    const policy = loadUrgencyPolicy('config/urgency.json');
    // A short deadline: 3 s for the reviewers, then the duty supervisor; swept every 0.5 s.
    policy.urgencies.immediate = {
      ...policy.urgencies.immediate,
      acknowledgeWithinSeconds: 3,
      chain: [
        { to: 'on-shift-reviewers', withinSeconds: 3 },
        { to: 'duty-supervisor', withinSeconds: 60 },
        { to: 'unit', unit: 'control-room', withinSeconds: 60 },
      ],
    };
    policy.sweepSeconds = 0.5;
    s = await startDemoServer({ demo: false, config: { urgencyPolicy: policy } });
    const record = completeRecord();
    (record as { outputSchema: unknown }).outputSchema = {
      kinds: ['crowd-density', 'stalking-proximity'],
      fields: { risk: 'number' },
      required: ['risk'],
    };
    w = await activeSystem(s, 'Crowd density (vendor Y)', record);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const openReview = async (user: string): Promise<Page> => {
    const page = await browser.newPage();
    await page.addInitScript(countSounds);
    await signIn(page, s.url, user, PASSWORD);
    await page.goto(`${s.url}/review`);
    await page.waitForSelector('[data-testid=urgent][data-connected=yes]');
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    return page;
  };

  it('pushes, escalates at the deadline, and separates protective from coercive actions', async () => {
    const officer = await openReview('officer');
    const supervisor = await openReview('supervisor');

    // The vendor posts through the integration API over HTTP, as a real system would.
    const res = await fetch(`${s.url}/api/systems/${w.systemId}/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        idempotencyKey: 'crowd-e2e-000001',
        kind: 'crowd-density',
        modelVersion: '1',
        occurredAt: new Date(Date.now() - 1000).toISOString(),
        unit: 'district-1',
        output: { risk: 0.97 },
        explanation: { summary: 'density above 6 persons per m² in the alley', factors: [] },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    // On the officer's open page, without reload, in well under the deadline.
    await officer.waitForSelector(`[data-testid=urgent-banner][data-alert=${id}][data-type=alert]`, { timeout: 2500 });
    expect(await officer.textContent(`[data-testid=urgent-banner][data-alert=${id}]`)).toMatch(
      /IMMEDIATE.*Crowd density/,
    );
    expect(await officer.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await officer.evaluate(() => (window as unknown as { __sounds: number }).__sounds)).toBeGreaterThan(0);
    // The queue refreshed itself too.
    await officer.waitForSelector(`[data-testid=queue] [data-alert=${id}]`);

    // Nobody acknowledges: at the 3 s deadline it escalates to the duty supervisor's open page.
    await supervisor.waitForSelector(`[data-testid=urgent-banner][data-alert=${id}][data-type=escalation]`, {
      timeout: 10_000,
    });
    expect(await supervisor.textContent(`[data-testid=urgent-banner][data-alert=${id}]`)).toMatch(
      /Escalated \(step 1\) to you, the duty supervisor/,
    );
    expect(await supervisor.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    const step = await s.store.db
      .selectFrom('alert_escalations')
      .selectAll()
      .where('alert_id', '=', id)
      .executeTakeFirstOrThrow();
    const me = await s.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    expect(step).toMatchObject({ step: 1, to_kind: 'duty-supervisor', target_user: me.id });
    // The officer's banner did not turn into the supervisor's escalation.
    expect(await officer.getAttribute(`[data-testid=urgent-banner][data-alert=${id}]`, 'data-type')).toBe('alert');

    // The officer opens it and takes a protective action at once: no corroboration asked.
    await officer.click(`[data-testid=urgent-banner][data-alert=${id}] button[name=open-urgent]`);
    await officer.waitForSelector('[data-testid=protective]');
    await officer.selectOption('select[name=protectiveAction]', 'crowd-control');
    await officer.fill('textarea[name=protectiveReason]', 'closed the alley entrance, opened the side exits');
    await officer.click('button[name=protect]');
    await expect
      .poll(() => officer.textContent('[data-testid=actions]').catch(() => ''))
      .toContain('Crowd-control measures');
    const action = await s.store.db
      .selectFrom('alert_actions')
      .selectAll()
      .where('alert_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(action).toMatchObject({ kind: 'protective', action: 'crowd-control', corroboration: null });

    // A coercive action against a person on the AI alert alone is refused.
    await officer.selectOption('select[name=outcome]', 'acted');
    await officer.selectOption('select[name=reasonCode]', 'confirmed-on-scene');
    await officer.fill('textarea[name=reasonText]', 'the density model flagged him');
    await officer.selectOption('select[name=enforcementAction]', 'stop');
    await officer.click('button[name=decide]');
    await expect.poll(() => officer.textContent('[data-testid=alert-detail] [role=alert]')).toContain('never grounds');
    expect(await s.store.db.selectFrom('decisions').selectAll().where('alert_id', '=', id).execute()).toHaveLength(0);
    await officer.screenshot({ path: 'test-results/urgent-alert.png', fullPage: true });
    await supervisor.screenshot({ path: 'test-results/urgent-escalation.png', fullPage: true });
  }, 60_000);
});
