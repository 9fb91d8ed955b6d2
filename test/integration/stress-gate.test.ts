import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem, confirmClassification } from '../support/active-system';
import { forecasterRecord, minimalAnswers, QUESTIONNAIRE } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

describe.each(DIALECTS)(
  'a patrol forecaster is approved only after passing the feedback-loop stress test, on %s',
  (dialect) => {
    let s: DemoServer;
    let w: Awaited<ReturnType<typeof activeSystem>>;
    beforeAll(async () => {
      s = await startDemoServer({ demo: false, dialect });
      w = await activeSystem(s); // a vendor CCTV system: no stress test needed
    }, 120_000);
    afterAll(async () => s?.close());

    it('refuses approval without a test, with a failed one, and approves after a passed one', async () => {
      const id: string = (
        await w.call('system-owner', 'POST', '/api/systems', { name: 'Patrol guidance v2', record: forecasterRecord() })
      ).json().systemId;
      const base = `/api/systems/${id}/versions/1`;
      await w.call('system-owner', 'POST', `${base}/transition`, {
        to: 'consultation',
        reason: 'publish',
        consultationDays: 0,
      });
      await confirmClassification(w.call, base, forecasterRecord());
      const aid = (
        await w.call('system-owner', 'POST', `${base}/assessments`, {
          questionnaire: QUESTIONNAIRE,
          answers: minimalAnswers(),
        })
      ).json().id;
      await w.call('oversight', 'POST', `/api/assessments/${aid}/decision`, { decision: 'approved', reason: 'ok' });
      const none = await w.call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
      expect(none.statusCode).toBe(409);
      expect(none.json().detail).toMatch(/stress test/);

      expect((await w.call('officer', 'POST', `${base}/stress-test`, {})).statusCode).toBe(403);
      // A kernel as wide as a region smears patrols into neighbours even on citizen reports: it fails.
      const smooth = await w.call('oversight', 'POST', `${base}/stress-test`, { model: 'kde:gaussian:1000:60' });
      expect(smooth.statusCode, smooth.body).toBe(201);
      expect(smooth.json().passed).toBe(false);
      const failed = await w.call('oversight', 'POST', `${base}/transition`, { to: 'approved', reason: 'ok' });
      expect(failed.statusCode).toBe(409);
      expect(failed.json().detail).toMatch(/failed/);

      // Counts over 56 days on citizen reports tracks the true shares (0.125/0.125/0.25/0.5) within 0.1,
      // while learning from discovered incidents runs away: the test shows both arms.
      const counts = await w.call('analyst', 'POST', `${base}/stress-test`, { model: 'counts:56' });
      expect(counts.json()).toMatchObject({ passed: true, runawayWhenDiscovered: true });
      expect(counts.json().reportedOnly).toBeLessThan(0.1);
      expect(counts.json().withDiscovered).toBeGreaterThan(0.1);
      const ok = await w.call('oversight', 'POST', `${base}/transition`, {
        to: 'approved',
        reason: 'stress test passed',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const audits = await s.store.db
        .selectFrom('audits')
        .select(['kind', 'passed'])
        .where('system_id', '=', id)
        .orderBy('id')
        .execute();
      expect(audits).toEqual([
        { kind: 'forecaster-stress', passed: 0 },
        { kind: 'forecaster-stress', passed: 1 },
      ]);
    }, 60_000);

    it('names bad parameters', async () => {
      const bad = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/stress-test`, {
        trueRates: [1],
        days: 5,
      });
      expect(bad.statusCode).toBe(400);
      const fields = JSON.stringify(bad.json().errors);
      expect(fields).toMatch(/trueRates/);
      expect(fields).toMatch(/days/);
      const auto = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/stress-test`, {
        model: 'auto',
      });
      expect(auto.statusCode).toBe(400);
    });
  },
);
