import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { forecasterRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';
import { getSource, registerSource } from '../../src/privacy/sources';
import { userRef } from '../../src/ledger-service/events';

const SQ_FT_PER_SQ_MI = 5280 ** 2 * (1200 / 3937 / 0.3048) ** -2; // EPSG:3435 is in US survey feet

describe.each(DIALECTS)(
  'the forecaster as a service on %s: forecasts, explanations, backtests, missions released through review (Chicago demo)',
  (dialect) => {
    let s: DemoServer;
    let w: Awaited<ReturnType<typeof activeSystem>>;
    let forecastId = '';

    beforeAll(async () => {
      s = await startDemoServer({ dialect });
      w = await activeSystem(s, 'Counterweight patrol guidance', forecasterRecord());
    }, 120_000);
    afterAll(async () => s?.close());

    it('forecasts from citizen-reported incidents strictly before the as-of date, within the hotspot area bounds', async () => {
      const r = await w.call('analyst', 'POST', '/api/forecasts', {
        asOf: '2019-06-01',
        window: '7d',
        cell: '600ft',
        model: 'kde:gaussian:600ft:365',
      });
      expect(r.statusCode, r.body).toBe(201);
      forecastId = r.json().id;
      const f = (await w.call('analyst', 'GET', `/api/forecasts/${forecastId}`)).json();
      expect(f.dataPolicy.label).toBe('citizen-reported records only');
      // Every citizen-reported demo incident before the as-of date inside the city's bounding box was read: trained on, or counted outside.
      const citizen = await s.store.db
        .selectFrom('incidents')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('origin', '=', 'citizen')
        .where('occurred_at', '<', '2019-06-01T00:00:00Z')
        .executeTakeFirstOrThrow();
      expect(f.run.trainingIncidents + f.run.outsideJurisdiction).toBe(Number(citizen.n));
      expect(f.run.dataPolicy.excludedOfficerInitiated).toBeGreaterThan(0);
      const sqmi = f.run.hotspotArea / SQ_FT_PER_SQ_MI;
      expect(sqmi).toBeGreaterThanOrEqual(0.25);
      expect(sqmi).toBeLessThanOrEqual(0.75);
      const hot = f.cells.features.filter((c: { properties: { hotspot: number } }) => c.properties.hotspot === 1);
      expect(hot).toHaveLength(f.run.hotspotCells);
      const [lon, lat] = hot[0].geometry.coordinates[0][0];
      expect(lon).toBeGreaterThan(-88);
      expect(lon).toBeLessThan(-87.5);
      expect(lat).toBeGreaterThan(41.6);
      expect(lat).toBeLessThan(42.1);
      // Ranks follow risk.
      const risks = f.cells.features.map((c: { properties: { risk: number } }) => c.properties.risk);
      expect([...risks].sort((a, b) => b - a)).toEqual(risks);
    }, 60_000);

    it('reproduces a stored forecast bit for bit, and says why not once the data changed', async () => {
      const again = await w.call('oversight', 'POST', `/api/forecasts/${forecastId}/reproduce`);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ reproduced: true });
      expect(again.json().riskFingerprint).toBe(again.json().recordedFingerprint);
      // One training incident moved by a foot: the snapshot no longer matches, and the answer says so.
      const one = await s.store.db
        .selectFrom('incidents')
        .select(['id', 'lon'])
        .where('origin', '=', 'citizen')
        .where('occurred_at', '<', '2019-06-01T00:00:00Z')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await s.store.db
        .updateTable('incidents')
        .set({ lon: one.lon + 0.000004 })
        .where('id', '=', one.id)
        .execute();
      const changed = (await w.call('oversight', 'POST', `/api/forecasts/${forecastId}/reproduce`)).json();
      expect(changed.reproduced).toBe(false);
      expect(changed.reason).toMatch(/not the data the run was made from/);
      await s.store.db.updateTable('incidents').set({ lon: one.lon }).where('id', '=', one.id).execute();
      expect((await w.call('officer', 'POST', `/api/forecasts/${forecastId}/reproduce`)).statusCode).toBe(403);
    }, 60_000);

    it('explains every hotspot: background plus named past incidents add up to its risk', async () => {
      const f = (await w.call('analyst', 'GET', `/api/forecasts/${forecastId}`)).json();
      const cell = f.cells.features.find(
        (c: { properties: { hotspot: number } }) => c.properties.hotspot === 1,
      ).properties;
      const e = (
        await w.call('officer', 'GET', `/api/forecasts/${forecastId}/explanations/${cell.explanationId}`)
      ).json();
      const sum =
        e.background +
        e.incidents.reduce((a: number, i: { contribution: number }) => a + i.contribution, 0) +
        e.others.contribution;
      expect(sum).toBeCloseTo(cell.risk, 9);
      expect(e.incidents.length).toBeGreaterThan(0);
      for (const i of e.incidents) expect(i.date < '2019-06-01').toBe(true);
      expect(e.sentence.length).toBeGreaterThan(20);
      expect(
        (await w.call('analyst', 'GET', `/api/forecasts/${forecastId}/explanations/cell-999999999`)).statusCode,
      ).toBe(404);
    });

    it('refuses the wrong role and bad parameters, naming the field, and stores nothing', async () => {
      const before = (await w.call('analyst', 'GET', '/api/forecasts')).json().length;
      expect((await w.call('officer', 'POST', '/api/forecasts', { asOf: '2019-06-01' })).statusCode).toBe(403);
      const badWindow = await w.call('analyst', 'POST', '/api/forecasts', { asOf: '2019-06-01', window: '5d' });
      expect(badWindow.statusCode).toBe(400);
      expect(JSON.stringify(badWindow.json().errors)).toMatch(/window/);
      const badModel = await w.call('analyst', 'POST', '/api/forecasts', {
        asOf: '2019-06-01',
        model: 'kde:box:600ft',
      });
      expect(badModel.statusCode).toBe(400);
      expect(JSON.stringify(badModel.json().errors)).toMatch(/model\.kernel/);
      const tooEarly = await w.call('analyst', 'POST', '/api/forecasts', { asOf: '2001-01-01', model: 'counts' });
      expect(tooEarly.statusCode).toBe(400);
      expect((await w.call('analyst', 'GET', '/api/forecasts')).json()).toHaveLength(before);
    }, 60_000);

    it('backtests on rolling origins with bootstrap intervals and monotone hit-rate curves, and stores the run', async () => {
      const r = await w.call('analyst', 'POST', '/api/backtests', {
        from: '2019-01-07',
        to: '2019-04-01',
        stepDays: 14,
        windows: ['7d'],
        cell: '1000ft',
        models: ['counts', 'counts:365', 'kde:gaussian:1000ft:365'],
      });
      expect(r.statusCode, r.body).toBe(201);
      const b = (await w.call('analyst', 'GET', `/api/backtests/${r.json().id}`)).json();
      expect(b.origins).toBe(7);
      expect(b.summary).toHaveLength(3);
      for (const m of b.summary) {
        expect(m.pai.n).toBe(7);
        expect(m.pai.lo).toBeLessThanOrEqual(m.pai.mean);
        expect(m.pai.mean).toBeLessThanOrEqual(m.pai.hi);
        const rates = m.hitRateCurve.map((h: { hitRate: { mean: number } }) => h.hitRate.mean);
        for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]);
      }
      expect(b.baseline).toBe('all-history counts');
      // Each row's model name also comes as a message, for the web app to show in the reader's language.
      expect(b.summary.map((m: { modelText: unknown }) => m.modelText)).toEqual([
        { code: 'model.countsAll' },
        { code: 'model.countsDays', params: { days: 365 } },
        { code: 'model.kdeGaussian', params: { bandwidth: 1000, halfLife: 365 } },
      ]);
      expect(b.dataSnapshotHash).toMatch(/^[0-9a-f]{64}$/);
      const huge = await w.call('analyst', 'POST', '/api/backtests', {
        from: '2017-01-01',
        to: '2019-12-01',
        stepDays: 1,
      });
      expect(huge.statusCode).toBe(400);
      // The forecaster's model card comes from this stored backtest, generated by the system's owner only.
      expect(
        (await w.call('analyst', 'POST', `/api/backtests/${b.id}/model-card`, { systemId: w.systemId, version: 1 }))
          .statusCode,
      ).toBe(403);
      const card = await w.call('system-owner', 'POST', `/api/backtests/${b.id}/model-card`, {
        systemId: w.systemId,
        version: 1,
      });
      expect(card.statusCode, card.body).toBe(201);
      const best = b.summary.reduce((x: any, y: any) => (y.pai.mean > x.pai.mean ? y : x));
      expect(card.json()).toMatchObject({
        source: 'counterweight-backtest',
        model: { name: best.model },
        data: { snapshotHash: b.dataSnapshotHash },
      });
      expect(card.json().metrics[0]).toMatchObject({
        name: 'PAI (7d)',
        value: best.pai.mean,
        interval: [best.pai.lo, best.pai.hi],
      });
      expect(card.json().limitations.join(' ')).toMatch(/only 7 backtest origins/);
      const stored = await s.store.db
        .selectFrom('model_cards')
        .select('card')
        .where('system_id', '=', w.systemId)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.card).data.snapshotHash).toBe(b.dataSnapshotHash);
    }, 120_000);

    it('plans missions under a dosage cap; a supervisor other than the proposer releases them as alerts officers review', async () => {
      const shift = (d: string) => ({ shiftStart: `${d}T14:00:00Z`, shiftEnd: `${d}T22:00:00Z` });
      const p1 = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        ...shift('2019-06-01'),
        budget: { cells: 5 },
        dosage: { maxTimes: 1, window: 2 },
      });
      expect(p1.statusCode, p1.body).toBe(201);
      expect(p1.json().cells).toBe(5);
      // Before Counterweight's forecaster is named as a registered system, nothing is released.
      const early = await w.call('supervisor', 'POST', `/api/missions/${p1.json().id}/decision`, {
        decision: 'approve',
        reason: 'covers the burglary cluster',
      });
      expect(early.statusCode).toBe(409);
      expect((await w.call('analyst', 'PUT', '/api/forecast/system', { systemId: w.systemId })).statusCode).toBe(403);
      expect(
        (await w.call('admin', 'PUT', '/api/forecast/system', { systemId: w.systemId })).statusCode,
        'admin names the forecaster',
      ).toBe(200);
      expect(
        (
          await w.call('analyst', 'POST', `/api/missions/${p1.json().id}/decision`, {
            decision: 'approve',
            reason: 'x',
          })
        ).statusCode,
      ).toBe(403);
      const ok = await w.call('supervisor', 'POST', `/api/missions/${p1.json().id}/decision`, {
        decision: 'approve',
        reason: 'covers the burglary cluster',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const alertId = ok.json().alertId;
      const queue = (await w.call('officer', 'GET', '/api/review/queue')).json();
      const a = queue.find((x: { id: string }) => x.id === alertId);
      expect(a.kind).toBe('patrol-mission');
      expect(a.output.cells).toHaveLength(5);
      expect(a.output.cells[0].ring.length).toBeGreaterThanOrEqual(4);
      expect(a.output.shift).toEqual({ start: '2019-06-01T14:00:00Z', end: '2019-06-01T22:00:00Z' });
      // Next shift: each cell at most once in any 2 consecutive shifts, so the 5 cells just sent are skipped.
      const p2 = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        ...shift('2019-06-02'),
        budget: { cells: 5 },
        dosage: { maxTimes: 1, window: 2 },
      });
      expect(p2.json().skippedForDosage).toBe(5);
      const missions = (await w.call('supervisor', 'GET', '/api/missions?unit=district-1')).json();
      const first = new Set(
        missions.find((m: { id: string }) => m.id === p1.json().id).cells.map((c: { cellId: number }) => c.cellId),
      );
      const second = missions
        .find((m: { id: string }) => m.id === p2.json().id)
        .cells.map((c: { cellId: number }) => c.cellId);
      expect(second.filter((c: number) => first.has(c))).toEqual([]);
      // Sending back needs a reason in words (blanks are none), refused with a coded message.
      const blank = await w.call('supervisor', 'POST', `/api/missions/${p2.json().id}/decision`, {
        decision: 'reject',
        reason: '   ',
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().code).toBe('mission.reasonRequired');
      const rejected = await w.call('supervisor', 'POST', `/api/missions/${p2.json().id}/decision`, {
        decision: 'reject',
        reason: 'event in the park',
      });
      expect(rejected.json().status).toBe('rejected');
      const again = await w.call('supervisor', 'POST', `/api/missions/${p2.json().id}/decision`, {
        decision: 'approve',
        reason: 'again',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('mission.alreadyDecided');
      const bad = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        shiftStart: '2019-06-03T22:00:00Z',
        shiftEnd: '2019-06-03T14:00:00Z',
        budget: { cells: 5 },
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().errors)).toMatch(/shiftEnd/);
    }, 60_000);

    it('pausing the forecaster withdraws its missions awaiting review and releases no new ones', async () => {
      const shift = { shiftStart: '2019-06-05T14:00:00Z', shiftEnd: '2019-06-05T22:00:00Z' };
      const p = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        ...shift,
        budget: { cells: 2 },
      });
      const released = await w.call('supervisor', 'POST', `/api/missions/${p.json().id}/decision`, {
        decision: 'approve',
        reason: 'ok',
      });
      const alertId = released.json().alertId;
      expect((await w.call('officer', 'GET', '/api/review/queue')).json().map((a: { id: string }) => a.id)).toContain(
        alertId,
      );
      const waiting = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        shiftStart: '2019-06-06T14:00:00Z',
        shiftEnd: '2019-06-06T22:00:00Z',
        budget: { cells: 2 },
      });
      const paused = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/transition`, {
        to: 'paused',
        reason: 'disparity in stops inside mission cells',
      });
      expect(paused.statusCode, paused.body).toBe(200);
      expect(
        (await w.call('officer', 'GET', '/api/review/queue')).json().map((a: { id: string }) => a.id),
      ).not.toContain(alertId);
      const decide = await w.call('officer', 'POST', `/api/alerts/${alertId}/decision`, {
        outcome: 'acted',
        reasonCode: 'confirmed-on-scene',
        reasonText: 'patrolled',
      });
      expect(decide.statusCode).toBe(409);
      expect(decide.json().detail).toMatch(/withdrawn/);
      const missions = (await w.call('supervisor', 'GET', '/api/missions?unit=district-1')).json();
      expect(missions.find((m: { id: string }) => m.id === p.json().id).status).toBe('withdrawn');
      const refused = await w.call('supervisor', 'POST', `/api/missions/${waiting.json().id}/decision`, {
        decision: 'approve',
        reason: 'ok',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toMatch(/paused/);
      const withdrawn = await s.store.db
        .selectFrom('ledger_payloads')
        .select('payload')
        .where('type', '=', 'alert.withdrawn')
        .execute();
      expect(withdrawn.map((r) => JSON.parse(r.payload!).alertIds).flat()).toContain(alertId);
    }, 60_000);

    it('shows what keeping every group within the audit band costs, and plans the mission the curve shows at that bound, recording it', async () => {
      const curve = await w.call('supervisor', 'GET', `/api/forecasts/${forecastId}/fairness-tradeoff?budget=10`);
      expect(curve.statusCode, curve.body).toBe(200);
      const c = curve.json();
      // Groups come from the layer's demographics declaration; Hispanic (any race) is declared overlapping.
      expect(c.demographics).toBe('chicago-community-areas-2014');
      expect(c.groups.map((g: { id: string }) => g.id)).toContain('black');
      expect(c.groups.find((g: { id: string }) => g.id === 'hispanic').overlapsOthers).toBe(true);
      expect(c.rule).toEqual({ minResidents: 1000, minVictimization: 30 });
      expect(c.victimizationPeriod).toEqual({ from: '2018-06-01T00:00:00Z', to: '2019-06-01T00:00:00Z' });
      expect(c.points.map((p: { bound: number }) => p.bound)).toEqual([4, 3, 2, 1.5, 1.25, 1.1]);
      for (const p of [c.unconstrained, ...c.points]) expect(p.expectedHitsKept).toBeLessThanOrEqual(1 + 1e-9);
      for (const p of c.points) {
        if (!p.feasible) continue;
        for (const g of p.groups.filter((x: { estimable: boolean }) => x.estimable)) {
          expect(g.ratio).toBeGreaterThanOrEqual(1 / p.bound - 1e-6);
          expect(g.ratio).toBeLessThanOrEqual(p.bound + 1e-6);
        }
      }
      const at125 = c.points.find((p: { bound: number }) => p.bound === 1.25);
      const m = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-2',
        shiftStart: '2019-06-08T14:00:00Z',
        shiftEnd: '2019-06-08T22:00:00Z',
        budget: { cells: 10 },
        fairnessBound: 1.25,
      });
      expect(m.statusCode, m.body).toBe(201);
      expect(m.json().fairness.band).toEqual([0.8, 1.25]);
      expect(m.json().fairness.feasible).toBe(at125.feasible);
      if (!at125.feasible) expect(m.json().warning.code).toBe('fairness.bandUnreachable');
      // The curve's 1.25 point is the mission planned at 1.25, and the log records the plan released.
      const logged = (
        await s.store.db
          .selectFrom('ledger_payloads')
          .select('payload')
          .where('type', '=', 'mission.proposed')
          .execute()
      )
        .map((r) => JSON.parse(r.payload!))
        .find((x) => x.missionId === m.json().id);
      expect([...logged.cells].sort()).toEqual([...at125.cellIds].sort());
      expect(logged.fairness.band).toEqual([0.8, 1.25]);
      expect(logged.fairness.droppedAfterPlanning).toEqual([]);
      expect(logged.fairness.groups.map((g: { group: string; ratio: number }) => g.ratio)).toEqual(
        at125.groups.map((g: { ratio: number }) => g.ratio),
      );
      const minutes = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-2',
        shiftStart: '2019-06-09T14:00:00Z',
        shiftEnd: '2019-06-09T22:00:00Z',
        budget: { minutes: 60, minutesPerCell: 15 },
        fairnessBound: 2,
      });
      expect(minutes.statusCode).toBe(400);
    }, 120_000);

    it('refuses a forecast whose window starts after the data end, in English and Korean', async () => {
      const late = await w.call('analyst', 'POST', '/api/forecasts', {
        asOf: '2020-03-01',
        window: '7d',
        cell: '600ft',
        model: 'counts',
      });
      expect(late.statusCode, late.body).toBe(400);
      expect(late.json().code).toBe('forecast.afterDataEnds');
      expect(late.json().detail).toMatch(/after the last citizen-reported incident \(2019-09-/);
      const ko = await w.call(
        'analyst',
        'POST',
        '/api/forecasts',
        { asOf: '2020-03-01', window: '7d', cell: '600ft', model: 'counts' },
        { 'accept-language': 'ko' },
      );
      expect(ko.json().detail).toMatch(/데이터가 예측 기간 전에 끝나므로/);
    }, 60_000);

    it('refuses a forecast with nothing to learn from, a backtest running backwards and an unknown forecast with coded messages, in Korean when asked (issue 17 item 5)', async () => {
      const ko = { 'accept-language': 'ko' };
      const early = await w.call('analyst', 'POST', '/api/forecasts', { asOf: '2001-01-01', model: 'counts' }, ko);
      expect(early.statusCode, early.body).toBe(400);
      expect(early.json()).toMatchObject({
        code: 'forecast.noIncidentsBefore',
        params: { asOf: '2001-01-01' },
        detail: '2001-01-01 이전에 학습할 사건이 없습니다',
      });
      const backwards = await w.call('analyst', 'POST', '/api/backtests', { from: '2019-04-01', to: '2019-01-07' }, ko);
      expect(backwards.statusCode, backwards.body).toBe(400);
      expect(backwards.json()).toMatchObject({
        code: 'forecast.backtest.toBeforeFrom',
        detail: '마지막 기준점이 첫 기준점보다 앞섭니다',
        errors: [expect.objectContaining({ field: 'to' })],
      });
      // English stays as it was for a caller who does not ask for Korean.
      const en = await w.call('analyst', 'POST', '/api/backtests', { from: '2019-04-01', to: '2019-01-07' });
      expect(en.json().detail).toBe('the last origin is before the first');
      const missing = await w.call('analyst', 'GET', '/api/forecasts/fc-000000000000', undefined, ko);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({
        code: 'forecast.notFound',
        detail: '예측 fc-000000000000이(가) 없습니다',
      });
    }, 60_000);

    it('refuses a model it cannot read with coded messages, in Korean when asked (issue 17 item 5)', async () => {
      const ko = { 'accept-language': 'ko-KR' };
      const badKernel = await w.call(
        'analyst',
        'POST',
        '/api/forecasts',
        { asOf: '2019-06-01', model: 'kde:box:600ft' },
        ko,
      );
      expect(badKernel.statusCode, badKernel.body).toBe(400);
      expect(badKernel.json()).toMatchObject({
        code: 'forecast.badModel',
        params: { model: 'kde:box:600ft' },
        detail: '모델 "kde:box:600ft"이(가) 올바르지 않습니다',
        errors: [expect.objectContaining({ field: 'model.kernel' })],
      });
      const unknown = await w.call(
        'analyst',
        'POST',
        '/api/backtests',
        {
          from: '2019-01-07',
          to: '2019-02-04',
          models: ['magic'],
        },
        ko,
      );
      expect(unknown.statusCode, unknown.body).toBe(400);
      expect(unknown.json()).toMatchObject({
        code: 'forecast.unknownModel',
        detail: '알 수 없는 모델 "magic"입니다',
      });
      const en = await w.call('analyst', 'POST', '/api/forecasts', { asOf: '2019-06-01', model: 'kde:box:600ft' });
      expect(en.json().detail).toBe('bad model "kde:box:600ft"');
    }, 60_000);

    it('audits the released missions place by place: exposure per resident by group, victimization, hit rates', async () => {
      const bad = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/place-audit`, {
        from: '2019-06-10',
        to: '2019-06-01',
      });
      expect(bad.statusCode).toBe(400);
      expect(
        (
          await w.call('analyst', 'POST', `/api/systems/${w.systemId}/versions/1/place-audit`, {
            from: '2019-06-01',
            to: '2019-06-10',
          })
        ).statusCode,
      ).toBe(403);
      const r = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/place-audit`, {
        from: '2019-06-01',
        to: '2019-06-10',
      });
      expect(r.statusCode, r.body).toBe(201);
      const alerts = await s.store.db
        .selectFrom('alerts')
        .select(['output'])
        .where('system_id', '=', w.systemId)
        .where('kind', '=', 'patrol-mission')
        .execute();
      expect(r.json().missions).toBe(alerts.length);
      const planned = alerts
        .flatMap((a) => JSON.parse(a.output).cells.map((c: { plannedMinutes: number }) => c.plannedMinutes))
        .reduce((x: number, y: number) => x + y, 0);
      const stored = JSON.parse(
        (await s.store.db.selectFrom('audits').select('report').where('id', '=', r.json().id).executeTakeFirstOrThrow())
          .report,
      );
      // Every mission cell lies inside a community area: all planned minutes are attributed.
      expect(stored.result.totalExposure + stored.result.exposureOutsideAreas).toBeCloseTo(planned, 9);
      // Victimization: every citizen report of the period placed in an area by its coordinates (a few fall outside every area).
      const reported = await s.store.db
        .selectFrom('incidents')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('origin', '=', 'citizen')
        .where('occurred_at', '>=', '2019-06-01T00:00:00Z')
        .where('occurred_at', '<', '2019-06-10T00:00:00Z')
        .executeTakeFirstOrThrow();
      expect(stored.result.totalVictimization).toBeLessThanOrEqual(Number(reported.n));
      expect(stored.result.totalVictimization).toBeGreaterThan(0.97 * Number(reported.n));
      expect(stored.result.exposureModel.period).toEqual({ from: '2019-06-01T00:00:00Z', to: '2019-06-10T00:00:00Z' });
      expect(stored.result.demographics).toBe('chicago-community-areas-2014');
      expect(stored.result.overlappingGroups).toEqual(['hispanic']);
      const trials = stored.result.hitRates.areas.reduce((a: number, x: { trials: number }) => a + x.trials, 0);
      expect(trials).toBe(alerts.reduce((a, x) => a + JSON.parse(x.output).cells.length, 0));
      expect(stored.report.kind).toBe('place-based');
      expect(stored.result.groups.map((g: { group: string }) => g.group)).toContain('black');
    }, 60_000);

    it('ties an area layer to its demographics declaration at import; refuses a layer that does not fit it, and audits nothing on a layer that declares none', async () => {
      const square = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'a1', name: 'one', community_area: 1, Pop2014: 100 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-87.7, 41.8],
                  [-87.6, 41.8],
                  [-87.6, 41.9],
                  [-87.7, 41.9],
                  [-87.7, 41.8],
                ],
              ],
            },
          },
        ],
      };
      const misfit = await w.call(
        'analyst',
        'POST',
        '/api/layers?name=misfit&kind=areas&demographics=chicago-community-areas-2014',
        square,
      );
      expect(misfit.statusCode, misfit.body).toBe(400);
      expect(misfit.json().code).toBe('demographics.badValues');
      expect(JSON.stringify(misfit.json().errors)).toMatch(/features\[0\]\.properties\.Wht14/);
      expect(
        await s.store.db.selectFrom('area_layers').select('id').where('name', '=', 'misfit').executeTakeFirst(),
      ).toBeUndefined();
      const plain = await w.call('analyst', 'POST', '/api/layers?name=plain&kind=areas', square);
      expect(plain.statusCode, plain.body).toBe(201);
      expect(plain.json().demographics).toBeNull();
      const r = await w.call(
        'oversight',
        'POST',
        `/api/systems/${w.systemId}/versions/1/place-audit`,
        { from: '2019-06-01', to: '2019-06-10', areasLayer: 'plain' },
        { 'accept-language': 'ko' },
      );
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('demographics.noDeclaration');
      expect(r.json().detail).toMatch(/인구 구성 선언이 없습니다/);
    }, 60_000);

    it('withdrawing patrol forecasting from a source stops missions from forecasts made before', async () => {
      const shift = { shiftStart: '2019-07-01T14:00:00Z', shiftEnd: '2019-07-01T22:00:00Z' };
      const proposed = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        ...shift,
        budget: { cells: 3 },
      });
      expect(proposed.statusCode, proposed.body).toBe(201);
      const rec = (await getSource(s.store.db, 'chicago-data-portal'))!;
      const { version: _v, ...record } = rec;
      await registerSource(s.store, s.ledger, userRef(w.as.admin.id), {
        ...record,
        purposes: record.purposes.filter((x) => x !== 'patrol-forecasting'),
      });
      const again = await w.call('analyst', 'POST', '/api/missions', {
        forecastId,
        unit: 'district-1',
        shiftStart: '2019-07-02T14:00:00Z',
        shiftEnd: '2019-07-02T22:00:00Z',
        budget: { cells: 3 },
      });
      expect(again.statusCode, again.body).toBe(403);
      const release = await w.call('supervisor', 'POST', `/api/missions/${proposed.json().id}/decision`, {
        decision: 'approve',
        reason: 'planned before the change',
      });
      expect(release.statusCode, release.body).toBe(403);
      const refused = await s.store.db
        .selectFrom('ledger_payloads')
        .select('payload')
        .where('type', '=', 'privacy.purpose-refused')
        .execute();
      expect(refused.some((r) => String(r.payload).includes(forecastId))).toBe(true);
      // The place audit reads the same incidents: once the source no longer allows fairness audits, it is refused.
      await registerSource(s.store, s.ledger, userRef(w.as.admin.id), {
        ...record,
        purposes: record.purposes.filter((x) => x !== 'patrol-forecasting' && x !== 'fairness-audit'),
      });
      const audit = await w.call('oversight', 'POST', `/api/systems/${w.systemId}/versions/1/place-audit`, {
        from: '2019-06-01',
        to: '2019-06-10',
      });
      expect(audit.statusCode, audit.body).toBe(403);
      expect(audit.json().detail).toMatch(/fairness-audit/);
    }, 60_000);
  },
);
