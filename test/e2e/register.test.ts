import { fillSchemaForm } from '../support/schema-form';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn as signInAs } from '../support/browser';
import { registerBundledSources } from '../../src/privacy/sources';
import { completeRecord, minimalAnswers, QUESTIONNAIRE } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

const signIn = (page: Parameters<typeof signInAs>[0], url: string, user: string) => signInAs(page, url, user, PASSWORD);

describe('a system walks from draft to active in the browser', () => {
  let s: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    await registerBundledSources(s.store, s.ledger); // the source completeRecord() names
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it(
    'owner registers and submits; oversight approves; owner activates; the public sees it active',
    { timeout: 180_000 },
    async () => {
      const owner = await browser.newPage();
      const errors: string[] = [];
      owner.on('pageerror', (e) => errors.push(e.message));
      await signIn(owner, s.url, 'system-owner');
      await owner.goto(`${s.url}/systems`);
      await owner.fill('input[name=system-name]', 'Patrol guidance v1');
      // The record is a form generated from its schema; a field left empty is named in plain words.
      await owner.waitForSelector('[data-testid=record-form] [name=purpose]');
      await owner.fill('[data-testid=record-form] [name=purpose]', 'Patrol guidance from citizen-reported crime');
      // No JSON to type: the technical fold is closed and only shows, read-only, what the form will send.
      expect(await owner.locator('[data-testid=systems-new] details textarea, textarea[name=record]').count()).toBe(0);
      expect(await owner.locator('[data-testid=systems-new-technical][open]').count()).toBe(0);
      await owner.click('[data-testid=systems-new-technical] summary');
      expect(
        JSON.parse((await owner.textContent('[data-testid=systems-new-technical] pre')) ?? '').record.purpose,
      ).toBe('Patrol guidance from citizen-reported crime');
      // Every field of a complete record, entered through the form alone.
      await fillSchemaForm(owner.locator('[data-testid=record-form]'), completeRecord());
      expect(JSON.parse((await owner.textContent('[data-testid=systems-new-technical] pre')) ?? '').record).toEqual(
        completeRecord(),
      );
      await owner.click('button[name=create-system]');
      await owner.waitForSelector('[data-testid=workspace][data-state=draft]');
      const workspaceUrl = owner.url();
      expect(await owner.textContent('[data-testid=gate-checklist] li[data-action=assessment]')).toContain(
        'no impact assessment',
      );

      // The owner answers the classification questions (a patrol forecaster naming nobody: every answer "no").
      await owner.click('button[name=save-classification]');
      await owner.waitForSelector('[data-testid=classification][data-status=answered]');
      expect(await owner.locator('button[name=confirm-classification]').count()).toBe(0);
      await owner.fill('input[name=reason]', 'ready for public comment');
      await owner.fill('input[name=consultation-days]', '0'); // level I: policy allows a 0-day period
      await owner.click('button[name=start-consultation]');
      await owner.waitForSelector('[data-testid=workspace][data-state=consultation]');
      // The assessment is a questionnaire: every answer clicked (lowest impact, every mitigation in place).
      expect(await owner.inputValue('[data-testid=assessment-panel] select[name=questionnaire]')).toBe(QUESTIONNAIRE);
      for (const [id, a] of Object.entries(minimalAnswers()))
        for (const value of Array.isArray(a) ? (a.length ? a : ['none']) : [a])
          await owner.click(`[data-testid=assessment-panel] [data-name="${id}"] label:has(input[value="${value}"])`);
      await expect.poll(() => owner.getAttribute('[data-testid=live-score]', 'data-level')).toBe('1');
      await owner.click('button[name=submit-assessment]');
      await expect.poll(() => owner.textContent('[data-testid=assessment]')).toContain('awaiting oversight');
      // The owner is offered no approve button, and the API would refuse it anyway.
      expect(await owner.locator('button[name=approve-assessment]').count()).toBe(0);

      const board = await browser.newPage();
      await signIn(board, s.url, 'oversight');
      await board.goto(workspaceUrl);
      await board.waitForSelector('[data-testid=workspace]');
      await board.fill('input[name=reason]', 'mitigations adequate');
      await board.click('button[name=confirm-classification]');
      await board.waitForSelector('[data-testid=classification][data-status=confirmed]');
      await board.click('button[name=approve-assessment]');
      await expect.poll(() => board.textContent('[data-testid=assessment]')).toContain('approved by oversight');
      // A patrol forecaster is approved only after a passed feedback-loop stress test.
      await board.click('button[name=approve-system]');
      await expect.poll(() => board.textContent('[role=alert]')).toContain('stress test');
      await board.click('button[name=stress-test]');
      await expect.poll(() => board.textContent('[data-testid=stress-result]')).toContain('Stress test passed');
      // Its reasons are messages: English here, Korean after switching language, without a reload.
      expect(await board.textContent('[data-testid=stress-reasons]')).toContain(
        'trained on citizen-reported incidents only',
      );
      await board.click('button.link[lang]');
      await expect.poll(() => board.textContent('[data-testid=stress-reasons]')).toContain('시민 신고 사건만으로 학습');
      expect(await board.textContent('[data-testid=stress-reasons]')).not.toMatch(/trained on|tolerance/);
      await board.click('button.link[lang]');
      await board.evaluate(() => localStorage.removeItem('cw.lang'));
      await board.click('button[name=approve-system]');
      await board.waitForSelector('[data-testid=workspace][data-state=approved]');

      await owner.reload();
      await owner.waitForSelector('[data-testid=workspace][data-state=approved]');
      await owner.fill('input[name=reason]', 'go live');
      await owner.click('button[name=activate]');
      await expect.poll(() => owner.textContent('[role=alert]')).toContain('model card');
      // The gate checklist's action opens the model-card form.
      await owner.click('[data-testid=gate-checklist] li[data-action=model-card] button');
      const card = owner.locator('[data-testid=model-card-panel]');
      await card.locator('[name="model.name"]').fill('Grid ETAS');
      await card.locator('[name="model.version"]').fill('1');
      await card.locator('[name="model.method"]').fill('grid ETAS');
      await card.locator('[name=intendedUse]').fill('Advisory patrol missions');
      await card.locator('[name="data.description"]').fill('Citizen-reported incidents');
      await card.locator('button[name=add-metrics]').click();
      await card.locator('[name="metrics.0.name"]').fill('PAI');
      await card.locator('[name="metrics.0.value"]').fill('3.1');
      await card.locator('button[name=add-limitations]').click();
      await card.locator('[name="limitations.0"]').fill('date-only data');
      await owner.click('button[name=save-model-card]');
      await owner.waitForSelector('[data-testid=gate-ok]');
      await owner.click('button[name=activate]');
      await owner.waitForSelector('[data-testid=workspace][data-state=active]');

      const visitor = await browser.newPage();
      await visitor.goto(`${s.url}/register`);
      await expect.poll(() => visitor.textContent('[data-testid=register-table]')).toContain('Patrol guidance v1');
      expect(await visitor.textContent('[data-testid=register-table] [data-testid=state]')).toBe('Active');
      await visitor.click('text=Patrol guidance v1');
      await expect.poll(() => visitor.textContent('.history')).toContain('go live');
      await visitor.screenshot({ path: 'test-results/register-entry.png', fullPage: true });
      expect(errors).toEqual([]);
    },
  );
});
