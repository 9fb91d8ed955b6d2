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
      // The refusal gives the test's reasons in the reader's language: coded, so Korean has no English sentence.
      expect(smooth.json().reasons.every((r: { code?: string }) => r.code?.startsWith('stress.'))).toBe(true);
      const fko = await w.call(
        'oversight',
        'POST',
        `${base}/transition`,
        { to: 'approved', reason: 'ok' },
        { 'accept-language': 'ko' },
      );
      expect(fko.statusCode).toBe(409);
      expect(fko.json().code).toBe('register.stressTestFailed');
      expect(fko.json().detail).toMatch(
        /^이 버전의 최근 피드백 루프 스트레스 테스트를 통과하지 못했습니다: 시민 신고 사건만으로 학습/,
      );
      expect(fko.json().detail).not.toMatch(/[A-Za-z]{4,}/);
      expect(failed.json().detail).toMatch(/failed: trained on citizen-reported incidents only: allocation within/);
      // A report stored before reasons were coded (English sentences) still gives its reasons, as written.
      const row = await s.store.db
        .selectFrom('audits')
        .select(['id', 'report'])
        .where('system_id', '=', id)
        .executeTakeFirstOrThrow();
      const old = { ...JSON.parse(row.report), reasons: ['the model feeds on its own patrols'] };
      await s.store.db
        .updateTable('audits')
        .set({ report: JSON.stringify(old) })
        .where('id', '=', row.id)
        .execute();
      const oldKo = await w.call(
        'oversight',
        'POST',
        `${base}/transition`,
        { to: 'approved', reason: 'ok' },
        { 'accept-language': 'ko' },
      );
      expect(oldKo.json().detail).toBe(
        '이 버전의 최근 피드백 루프 스트레스 테스트를 통과하지 못했습니다: the model feeds on its own patrols(원문)',
      );

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
